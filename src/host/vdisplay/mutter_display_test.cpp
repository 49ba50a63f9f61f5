// SPDX-License-Identifier: MIT OR Apache-2.0
// Real Mutter: the test starts a private D-Bus, PipeWire and
// `mutter --headless`, asks it for virtual monitors through the ScreenCast
// API and captures them over PipeWire.
#include "host/vdisplay/mutter_display.h"

#include <gtest/gtest.h>

#include "host/audio/pw_test_env.h"
#include "host/capture/capture_thread.h"
#include "host/capture/pw_video_capture.h"

namespace pf::host {
namespace {

using std::chrono::milliseconds;

class MutterEnv : public testing::PipeWireEnv {
 protected:
  void SetUp() override {
    PipeWireEnv::SetUp();
    if (HasFatalFailure())
      return;
    mutter_ = testing::spawn_quiet(
        {"mutter", "--headless", "--wayland", "--no-x11", "--wayland-display", "pf-mutter-test"});
    ASSERT_GT(mutter_, 0) << "cannot start mutter (Debian package mutter)";
    for (int i = 0; i < 100; ++i) {
      if (MutterDisplay::probe().available)
        return;
      std::this_thread::sleep_for(milliseconds(100));
    }
    FAIL() << "mutter did not come up: " << MutterDisplay::probe().reason;
  }
  void TearDown() override {
    if (mutter_ > 0) {
      ::kill(mutter_, SIGTERM);
      ::waitpid(mutter_, nullptr, 0);
    }
    PipeWireEnv::TearDown();
  }
  pid_t mutter_ = -1;
};

TEST(MutterDisplayAddressTest, ParsesPipeWireNodes) {
  EXPECT_EQ(pipewire_node_of("pipewire:42"), 42u);
  EXPECT_EQ(pipewire_node_of("pipewire:"), std::nullopt);
  EXPECT_EQ(pipewire_node_of("pipewire:4x"), std::nullopt);
  EXPECT_EQ(pipewire_node_of(":3"), std::nullopt);
  EXPECT_EQ(pipewire_node_of("pipewire:99999999999"), std::nullopt);
}

TEST(MutterDisplayProbeTest, NoMutterIsAClearVerdict) {
  // This process has no session bus with Mutter on it (or none at all).
  const char* saved = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  ::setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/pf-bus", 1);
  const ProbeVerdict v = MutterDisplay::probe();
  EXPECT_FALSE(v.available);
  EXPECT_FALSE(v.reason.empty());
  auto d = MutterDisplay::create({640, 480, 30}, milliseconds(500));
  EXPECT_FALSE(d);
  if (saved)
    ::setenv("DBUS_SESSION_BUS_ADDRESS", saved, 1);
  else
    ::unsetenv("DBUS_SESSION_BUS_ADDRESS");
}

TEST_F(MutterEnv, AVirtualMonitorOfTheAskedSizeIsCapturedResizedAndGone) {
  auto d = MutterDisplay::create({1280, 720, 30});
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ((*d)->backend(), "mutter");
  EXPECT_EQ(pipewire_node_of((*d)->address()), (*d)->node_id());
  auto cap = PwVideoCapture::open((*d)->node_id(), 1280, 720, 30, milliseconds(10000));
  ASSERT_TRUE(cap) << cap.error().to_string();
  PwVideoCapture* raw = cap->get();
  {
    CaptureThread thread(std::move(*cap), 30);
    const I420Frame* f = thread.acquire(milliseconds(5000));
    ASSERT_NE(f, nullptr) << thread.failure();
    EXPECT_EQ(f->width, 1280);
    EXPECT_EQ(f->height, 720);
    EXPECT_EQ(f->y.size(), 1280u * 720u);
    thread.release();
    // A static screen sends no new buffers; the capture thread still has a
    // picture every tick (the held one).
    for (int i = 0; i < 5; ++i) {
      ASSERT_NE(thread.acquire(milliseconds(2000)), nullptr) << thread.failure();
      thread.release();
    }
    EXPECT_GE(raw->stats().buffers, 1u);
  }

  // Resizing makes a new monitor and node at the new size.
  const uint32_t old_node = (*d)->node_id();
  ASSERT_TRUE((*d)->resize({1920, 1080, 60}).is_ok());
  EXPECT_NE((*d)->node_id(), old_node);
  auto big = PwVideoCapture::open((*d)->node_id(), 1920, 1080, 60, milliseconds(10000));
  ASSERT_TRUE(big) << big.error().to_string();
  I420Frame f;
  ASSERT_TRUE((*big)->capture(1, 0, f).is_ok());
  EXPECT_EQ(f.width, 1920);

  // Destroying the display ends the stream: capture fails with a reason.
  d->reset();
  Status st = Status::ok();
  for (int i = 0; i < 50 && st.is_ok(); ++i) {
    st = (*big)->capture(2, 0, f);
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("PipeWire"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace pf::host
