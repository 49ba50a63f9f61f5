// SPDX-License-Identifier: MIT OR Apache-2.0
// Real sway: input injected through the virtual keyboard and pointer is
// watched by `wev` (a Wayland client that prints every event it gets), which
// sway opens on the session's output.
#include "host/input/wlr_virtual_injector.h"

#include <gtest/gtest.h>
#include <linux/input-event-codes.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "host/input/wev_watch.h"
#include "host/vdisplay/sway_display.h"
#include "host/vdisplay/sway_test_env.h"

namespace pf::host {
namespace {

using proto::native::InputDatagram;
using proto::native::InputKind;
using std::chrono::milliseconds;

InputDatagram ev(InputKind kind, uint32_t code = 0, int32_t x = 0, int32_t y = 0) {
  InputDatagram e;
  e.kind = static_cast<uint8_t>(kind);
  e.code = code;
  e.x = x;
  e.y = y;
  return e;
}

class WlrInjectorTest : public testing::SwayEnv {
 protected:
  // wev on the focused output, with a window.
  void start_wev() { ASSERT_TRUE(wev_.start(dir_ + "/wev.log")) << "wev (Debian package wev)"; }
  std::string log() const { return wev_.log(); }
  bool wait_for(const std::string& text, milliseconds timeout = milliseconds(5000)) const {
    return wev_.wait_for(text, timeout);
  }
  bool wait_until(const std::function<bool()>& ok) const { return wev_.wait_until(ok); }
  // The surface coordinates of wev's last pointer motion.
  std::optional<std::pair<double, double>> last_motion() const {
    const std::string l = log();
    const size_t p = l.rfind("wl_pointer] motion");
    double x = 0, y = 0;
    if (p == std::string::npos ||
        std::sscanf(l.c_str() + p, "wl_pointer] motion: time: %*u; x, y: %lf, %lf", &x, &y) != 2)
      return std::nullopt;
    return std::make_pair(x, y);
  }
  testing::WevWatch wev_;
};

TEST(WlrInjectorNoCompositorTest, IsAClearError) {
  auto inj = WlrVirtualInjector::open("/nonexistent/wayland-7", "HEADLESS-1", milliseconds(300));
  ASSERT_FALSE(inj);
  EXPECT_NE(inj.error().message().find("/nonexistent/wayland-7"), std::string::npos);
}

TEST_F(WlrInjectorTest, KeysTextPointerButtonsAndScrollReachTheWindowOnTheOutput) {
  auto d = SwayDisplay::create({1280, 720, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  start_wev();
  if (HasFatalFailure())
    return;
  auto inj = WlrVirtualInjector::open("", (*d)->output_name());
  ASSERT_TRUE(inj) << inj.error().to_string();
  WlrVirtualInjector& in = **inj;

  // The pointer to the middle of the output: wev's window covers it.
  in.inject(ev(InputKind::kMouseAbsolute, 0, 32768, 32768));
  ASSERT_TRUE(wait_for("wl_pointer] enter")) << log();
  // A quarter across and down: surface coordinates of about 320, 180 less the
  // window's border.
  in.inject(ev(InputKind::kMouseAbsolute, 0, 16384, 16384));
  auto at = [&](double x, double y, double tol_y) {
    return wait_until([&] {
      const auto m = last_motion();
      return m && std::abs(m->first - x) <= 8 && std::abs(m->second - y) <= tol_y;
    });
  };
  EXPECT_TRUE(at(320, 180, 30)) << log();  // y: less a title bar
  const auto where = last_motion();
  ASSERT_TRUE(where);

  // Relative motion moves on from there.
  in.inject(ev(InputKind::kMouseRelative, 0, 10, 0));
  EXPECT_TRUE(wait_until([&] {
    const auto m = last_motion();
    return m && std::abs(m->first - (where->first + 10)) < 0.5 &&
           std::abs(m->second - where->second) < 0.5;
  })) << log();

  in.inject(ev(InputKind::kButtonDown, BTN_LEFT));
  in.inject(ev(InputKind::kButtonUp, BTN_LEFT));
  EXPECT_TRUE(wait_for("button: 272 (left), state: 1 (pressed)")) << log();
  EXPECT_TRUE(wait_for("button: 272 (left), state: 0 (released)")) << log();

  // Keys with the keymap: Shift+A types 'A'.
  in.inject(ev(InputKind::kKeyDown, KEY_LEFTSHIFT));
  in.inject(ev(InputKind::kKeyDown, KEY_A));
  in.inject(ev(InputKind::kKeyUp, KEY_A));
  in.inject(ev(InputKind::kKeyUp, KEY_LEFTSHIFT));
  EXPECT_TRUE(wait_for("sym: A            (65), utf8: 'A'")) << log();

  // Text that no key of the layout types.
  in.inject(ev(InputKind::kText, 0x20AC));
  in.inject(ev(InputKind::kText, 'z'));
  EXPECT_TRUE(wait_for("utf8: '€'")) << log();
  EXPECT_TRUE(wait_for("utf8: 'z'")) << log();

  // Two notches up (1/120 units), one of them in two halves.
  in.inject(ev(InputKind::kScroll, 0, 0, 120));
  in.inject(ev(InputKind::kScroll, 0, 0, 60));
  in.inject(ev(InputKind::kScroll, 0, 0, 60));
  // (wev labels the discrete step "axis_stop".)
  EXPECT_TRUE(wait_for("axis: 0 (vertical), discrete: -1")) << log();
  EXPECT_TRUE(wait_for("axis: 0 (vertical), value: -15.000000")) << log();
  const auto notches = [&] {
    const std::string l = log();
    size_t n = 0;
    for (size_t p = l.find("(vertical), discrete: -1"); p != std::string::npos;
         p = l.find("(vertical), discrete: -1", p + 1))
      ++n;
    return n;
  };
  // The second notch may come a moment after the first (a slow, sanitized build).
  EXPECT_TRUE(wait_until([&] { return notches() >= 2; })) << log();
  EXPECT_EQ(notches(), 2u) << log();

  // A pen is the pointer here: its touch is a left click.
  in.inject(proto::native::make_pen(proto::native::PenEvent::kDown, 1, 0, 0, 32768, 32768, 500));
  in.inject(proto::native::make_pen(proto::native::PenEvent::kUp, 1, 0, 0, 32768, 32768, 0));
  EXPECT_TRUE(wait_until([&] {
    const std::string text = log();
    size_t clicks = 0;
    for (size_t pos = text.find("button: 272 (left), state: 1"); pos != std::string::npos;
         pos = text.find("button: 272 (left), state: 1", pos + 1))
      ++clicks;
    return clicks == 2;
  })) << log();

  // Touch has no wlroots virtual device: counted, not sent.
  const uint64_t unsupported = in.stats().unsupported;
  in.inject(ev(InputKind::kTouch, 0, 100, 100));
  EXPECT_EQ(in.stats().unsupported, unsupported + 1);
  EXPECT_GE(in.stats().injected, 10u);
}

// Two sessions on one sway: its one seat has one keyboard focus, and each
// display's injector takes it to its own output before a key. The windows
// were opened with the focus on the other output, and the sessions type in
// turns, each key in a different order from the last.
TEST_F(WlrInjectorTest, TwoSessionsTypeIntoTheirOwnOutputsInTurns) {
  auto a = SwayDisplay::create({640, 480, 30});
  ASSERT_TRUE(a) << a.error().to_string();
  testing::WevWatch wev_a;
  ASSERT_TRUE(wev_a.start(dir_ + "/wev-a.log"));
  auto b = SwayDisplay::create({800, 600, 30});
  ASSERT_TRUE(b) << b.error().to_string();
  testing::WevWatch wev_b;
  ASSERT_TRUE(wev_b.start(dir_ + "/wev-b.log"));
  auto in_a = (*a)->open_input();
  ASSERT_TRUE(in_a) << in_a.error().to_string();
  auto in_b = (*b)->open_input();
  ASSERT_TRUE(in_b) << in_b.error().to_string();

  auto type = [](InputInjector& in, uint32_t key) {
    in.inject(ev(InputKind::kKeyDown, key));
    in.inject(ev(InputKind::kKeyUp, key));
  };
  for (int i = 0; i < 5; ++i) {
    type(**in_a, KEY_A);
    type(**in_b, KEY_B);
    type(**in_b, KEY_B);
    type(**in_a, KEY_A);
    (**in_a).inject(ev(InputKind::kText, 'x'));
    (**in_b).inject(ev(InputKind::kText, 'y'));
  }
  // Keys pressed with text `c`, by serial: wev may print each event twice (it
  // can bind the seat's keyboard twice, as the seat's capabilities grow).
  auto presses = [](const std::string& log, char c) {
    std::set<unsigned> serials;
    std::istringstream in(log);
    unsigned serial = 0;
    bool pressed = false;
    const std::string text = std::string("utf8: '") + c + "'";
    for (std::string line; std::getline(in, line);) {
      if (line.find("wl_keyboard] key: serial: ") != std::string::npos) {
        serial = static_cast<unsigned>(std::stoul(line.substr(line.find("serial: ") + 8)));
        pressed = line.find("state: 1") != std::string::npos;
      } else if (pressed && line.find(text) != std::string::npos) {
        serials.insert(serial);
      }
    }
    return serials.size();
  };
  EXPECT_TRUE(wev_a.wait_until([&] {
    const std::string l = wev_a.log();
    return presses(l, 'a') >= 10 && presses(l, 'x') >= 5;
  })) << wev_a.log();
  EXPECT_TRUE(wev_b.wait_until([&] {
    const std::string l = wev_b.log();
    return presses(l, 'b') >= 10 && presses(l, 'y') >= 5;
  })) << wev_b.log();
  const std::string la = wev_a.log(), lb = wev_b.log();
  EXPECT_EQ(presses(la, 'a'), 10u) << la;
  EXPECT_EQ(presses(lb, 'b'), 10u) << lb;
  EXPECT_EQ(presses(la, 'b') + presses(la, 'y'), 0u) << la;
  EXPECT_EQ(presses(lb, 'a') + presses(lb, 'x'), 0u) << lb;
}

}  // namespace
}  // namespace pf::host
