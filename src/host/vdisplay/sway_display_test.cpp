// SPDX-License-Identifier: MIT OR Apache-2.0
// Real sway: the test starts a headless sway, makes outputs of the asked
// modes through its IPC and captures them with wlr-screencopy.
#include "host/vdisplay/sway_display.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "host/capture/capture_thread.h"
#include "host/capture/wlr_screencopy_capture.h"
#include "host/vdisplay/sway_ipc.h"
#include "host/vdisplay/sway_test_env.h"

namespace pf::host {
namespace {

using std::chrono::milliseconds;

std::optional<proto::sway::Output> sway_output(const std::string& name) {
  auto ipc = SwayIpc::connect();
  if (!ipc)
    return std::nullopt;
  auto outs = (*ipc)->outputs();
  if (!outs)
    return std::nullopt;
  for (const auto& o : *outs)
    if (o.name == name)
      return o;
  return std::nullopt;
}

size_t sway_output_count() {
  auto ipc = SwayIpc::connect();
  auto outs = ipc ? (*ipc)->outputs() : tl::unexpected(ipc.error());
  return outs ? outs->size() : 0;
}

// The centre pixel of `f` as Y, U, V.
std::array<int, 3> centre(const YuvFrame& f) {
  const int x = f.width / 2, y = f.height / 2;
  return {f.y[static_cast<size_t>(y) * f.width + x],
          f.u[static_cast<size_t>(y / 2) * f.chroma_width() + x / 2],
          f.v[static_cast<size_t>(y / 2) * f.chroma_width() + x / 2]};
}

// BT.601 limited range, as libyuv's ARGBToI420 converts.
std::array<int, 3> yuv_of(int r, int g, int b) {
  return {static_cast<int>(16 + 0.257 * r + 0.504 * g + 0.098 * b + 0.5),
          static_cast<int>(128 - 0.148 * r - 0.291 * g + 0.439 * b + 0.5),
          static_cast<int>(128 + 0.439 * r - 0.368 * g - 0.071 * b + 0.5)};
}

bool near(const std::array<int, 3>& a, const std::array<int, 3>& b) {
  for (int i = 0; i < 3; ++i)
    if (std::abs(a[i] - b[i]) > 3)
      return false;
  return true;
}

TEST(SwayDisplayTest, AddressesNameOutputs) {
  EXPECT_EQ(wayland_output_of("wayland:HEADLESS-2"), "HEADLESS-2");
  EXPECT_EQ(wayland_output_of("wayland:"), std::nullopt);
  EXPECT_EQ(wayland_output_of(":3"), std::nullopt);
  EXPECT_EQ(wayland_output_of("pipewire:4"), std::nullopt);
}

TEST(SwayDisplayTest, NoSwayIsAClearVerdict) {
  const char* saved = std::getenv("SWAYSOCK");
  ::unsetenv("SWAYSOCK");
  ProbeVerdict v = SwayDisplay::probe();
  EXPECT_FALSE(v.available);
  EXPECT_NE(v.reason.find("SWAYSOCK"), std::string::npos) << v.reason;
  ::setenv("SWAYSOCK", "/nonexistent/sway-ipc.sock", 1);
  v = SwayDisplay::probe();
  EXPECT_FALSE(v.available);
  EXPECT_NE(v.reason.find("/nonexistent/sway-ipc.sock"), std::string::npos) << v.reason;
  EXPECT_FALSE(SwayDisplay::create({640, 480, 30}, milliseconds(300)));
  if (saved)
    ::setenv("SWAYSOCK", saved, 1);
  else
    ::unsetenv("SWAYSOCK");
}

TEST(SwayDisplayTest, NoCompositorIsAClearError) {
  auto cap = WlrScreencopyCapture::open("/nonexistent/wayland-9", "HEADLESS-1", milliseconds(300));
  ASSERT_FALSE(cap);
  EXPECT_NE(cap.error().message().find("/nonexistent/wayland-9"), std::string::npos);
}

using SwayOutputTest = testing::SwayEnv;

TEST_F(SwayOutputTest, AnOutputOfTheAskedModeIsCapturedResizedAndReused) {
  const ProbeVerdict v = SwayDisplay::probe();
  ASSERT_TRUE(v.available) << v.reason;
  const size_t outputs_at_start = sway_output_count();

  auto d = SwayDisplay::create({1280, 720, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  const std::string name = (*d)->output_name();
  EXPECT_EQ((*d)->backend(), "sway");
  EXPECT_EQ(wayland_output_of((*d)->address()), name);
  auto o = sway_output(name);
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->active);
  EXPECT_EQ(o->width, 1280);
  EXPECT_EQ(o->height, 720);
  EXPECT_EQ(o->refresh_mhz, 60000);
  EXPECT_EQ(sway_output_count(), outputs_at_start + 1);

  // Captured at that size, showing the background sway draws on it.
  auto cap = WlrScreencopyCapture::open("", name);
  ASSERT_TRUE(cap) << cap.error().to_string();
  EXPECT_EQ((*cap)->width(), 1280);
  EXPECT_EQ((*cap)->height(), 720);
  EXPECT_NE((*cap)->describe().find(name), std::string::npos);
  YuvFrame f;
  const auto bg = yuv_of(kBgR, kBgG, kBgB);
  bool painted = false;
  for (int i = 0; i < 100 && !painted; ++i) {  // swaybg paints new outputs shortly after
    ASSERT_TRUE((*cap)->capture(static_cast<uint32_t>(i + 1), 0, f).is_ok());
    painted = near(centre(f), bg);
    if (!painted)
      std::this_thread::sleep_for(milliseconds(30));
  }
  EXPECT_TRUE(painted) << "centre Y/U/V " << centre(f)[0] << "/" << centre(f)[1] << "/"
                       << centre(f)[2] << ", want " << bg[0] << "/" << bg[1] << "/" << bg[2];
  EXPECT_EQ(f.width, 1280);
  EXPECT_EQ(f.height, 720);

  // Resized in place: sway lists the new mode; the old capture says so.
  ASSERT_TRUE((*d)->resize({1920, 1080, 30}).is_ok());
  o = sway_output(name);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->width, 1920);
  EXPECT_EQ(o->height, 1080);
  EXPECT_EQ(o->refresh_mhz, 30000);
  EXPECT_EQ((*d)->mode(), (DisplayMode{1920, 1080, 30}));
  const Status stale = (*cap)->capture(200, 0, f);
  EXPECT_EQ(stale.code(), StatusCode::kFailedPrecondition) << stale.to_string();
  cap->reset();

  // A rate sway cannot set is refused with a reason, and the mode stays.
  const Status bad = (*d)->resize({0, 1080, 30});
  EXPECT_FALSE(bad.is_ok());
  EXPECT_EQ((*d)->mode(), (DisplayMode{1920, 1080, 30}));

  // Through the capture thread at 30 fps: frames keep coming.
  {
    auto c2 = WlrScreencopyCapture::open("", name);
    ASSERT_TRUE(c2) << c2.error().to_string();
    CaptureThread thread(std::move(*c2), 30);
    int frames = 0;
    const auto end = std::chrono::steady_clock::now() + milliseconds(1000);
    while (std::chrono::steady_clock::now() < end) {
      const YuvFrame* g = thread.acquire(milliseconds(500));
      ASSERT_NE(g, nullptr) << thread.failure();
      EXPECT_EQ(g->width, 1920);
      ++frames;
      thread.release();
    }
    EXPECT_GE(frames, 10);
  }

  // Gone with the display; the next display reuses what sway could not remove.
  d->reset();
  auto again = SwayDisplay::create({800, 600, 60});
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_LE(sway_output_count(), outputs_at_start + 1) << "outputs pile up";
  o = sway_output((*again)->output_name());
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->active);
  EXPECT_EQ(o->width, 800);
  EXPECT_EQ(o->height, 600);
}

// Sessions opening at once (their clients connected together): each gets an
// output of its own in its own mode. (They took the same new output: each saw
// the other's appear beside its own.)
TEST_F(SwayOutputTest, DisplaysMadeAtOnceGetAnOutputEach) {
  const std::vector<DisplayMode> modes = {
      {640, 480, 30}, {800, 600, 30}, {1024, 768, 30}, {1280, 720, 30}};
  std::vector<Result<std::unique_ptr<SwayDisplay>>> made;
  for (size_t i = 0; i < modes.size(); ++i)
    made.emplace_back(tl::unexpected(Status(StatusCode::kInternal, "not made")));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < modes.size(); ++i)
    threads.emplace_back([&, i] { made[i] = SwayDisplay::create(modes[i]); });
  for (auto& t : threads)
    t.join();
  std::vector<std::string> names;
  for (size_t i = 0; i < modes.size(); ++i) {
    ASSERT_TRUE(made[i]) << made[i].error().to_string();
    names.push_back((*made[i])->output_name());
    auto o = sway_output(names.back());
    ASSERT_TRUE(o) << names.back();
    EXPECT_EQ(o->width, modes[i].width) << names.back();
    EXPECT_EQ(o->height, modes[i].height) << names.back();
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::unique(names.begin(), names.end()), names.end()) << "two displays share an output";
}

TEST_F(SwayOutputTest, AskingForAMissingOutputNamesTheOnesThereAre) {
  auto cap = WlrScreencopyCapture::open("", "NOPE-7", milliseconds(1000));
  ASSERT_FALSE(cap);
  EXPECT_EQ(cap.error().code(), StatusCode::kNotFound);
  EXPECT_NE(cap.error().message().find("HEADLESS-1"), std::string::npos) << cap.error().message();
}

}  // namespace
}  // namespace pf::host
