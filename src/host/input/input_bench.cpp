// SPDX-License-Identifier: MIT OR Apache-2.0
// Input injection latency (issue "Input injection service"): from handing an
// input event to the injector until an X client on the same headless display
// has it (XNextEvent returned it), for keys and pointer motion through XTest.
// Reports mean (Google Benchmark's time) plus p50/p99 counters in µs.
#include <X11/Xlib.h>
#undef Status
#undef None
#undef Bool

#include <linux/input-event-codes.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include <benchmark/benchmark.h>

#include "host/input/xtest_injector.h"
#include "host/vdisplay/xvfb_display.h"

namespace {

using namespace pf::host;
using pf::proto::native::InputDatagram;
using pf::proto::native::InputKind;

// A full-screen window with the focus that reports keys and motion.
struct Observer {
  Display* dpy = nullptr;
  Window win = 0;
  explicit Observer(const std::string& display) {
    dpy = XOpenDisplay(display.c_str());
    if (!dpy)
      return;
    const int s = DefaultScreen(dpy);
    win = XCreateSimpleWindow(dpy, RootWindow(dpy, s), 0, 0, DisplayWidth(dpy, s),
                              DisplayHeight(dpy, s), 0, 0, 0);
    XSelectInput(dpy, win, KeyPressMask | KeyReleaseMask | PointerMotionMask | StructureNotifyMask);
    XMapWindow(dpy, win);
    XEvent e;
    do
      XNextEvent(dpy, &e);
    while (e.type != MapNotify);
    XSetInputFocus(dpy, win, RevertToPointerRoot, CurrentTime);
    XSync(dpy, 0);
  }
  ~Observer() {
    if (dpy)
      XCloseDisplay(dpy);
  }
  void wait_for(int type) {
    XEvent e;
    do
      XNextEvent(dpy, &e);
    while (e.type != type);
  }
};

void report(benchmark::State& state, std::vector<double>& us) {
  if (us.empty())
    return;
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
}

template <typename Inject>
void run(benchmark::State& state, Inject inject) {
  auto display = XvfbDisplay::create({1280, 720, 60});
  if (!display) {
    state.SkipWithError(display.error().to_string().c_str());
    return;
  }
  auto inj = XTestInjector::open((*display)->address());
  if (!inj) {
    state.SkipWithError(inj.error().to_string().c_str());
    return;
  }
  Observer obs((*display)->address());
  if (!obs.dpy) {
    state.SkipWithError("cannot open the display for the observer");
    return;
  }
  std::vector<double> us;
  int n = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    inject(**inj, obs, n++);
    us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  report(state, us);
}

void BM_XTestKeyToXClient(benchmark::State& state) {
  run(state, [](XTestInjector& inj, Observer& obs, int) {
    inj.inject(InputDatagram{static_cast<uint8_t>(InputKind::kKeyDown), KEY_A, 0, 0, 0});
    obs.wait_for(KeyPress);
    inj.inject(InputDatagram{static_cast<uint8_t>(InputKind::kKeyUp), KEY_A, 0, 0, 0});
    obs.wait_for(KeyRelease);
  });
}

void BM_XTestPointerToXClient(benchmark::State& state) {
  run(state, [](XTestInjector& inj, Observer& obs, int n) {
    const int32_t x = (n % 2) ? 10000 : 50000;
    inj.inject(InputDatagram{static_cast<uint8_t>(InputKind::kMouseAbsolute), 0, x, 30000, 0});
    obs.wait_for(MotionNotify);
  });
}

BENCHMARK(BM_XTestKeyToXClient)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_XTestPointerToXClient)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
