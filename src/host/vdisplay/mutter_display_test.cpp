// SPDX-License-Identifier: MIT OR Apache-2.0
// Real Mutter: the test starts a private D-Bus, PipeWire and
// `mutter --headless`, asks it for virtual monitors through the ScreenCast
// API and captures them over PipeWire.
#include "host/vdisplay/mutter_display.h"

#include <gtest/gtest.h>

#include "host/capture/capture_thread.h"
#include "host/capture/pw_video_capture.h"
#include "host/input/mutter_injector.h"
#include "host/vdisplay/mutter_test_env.h"

namespace pf::host {
namespace {

using std::chrono::milliseconds;

using testing::MutterEnv;

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
    const YuvFrame* f = thread.acquire(milliseconds(5000));
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
  YuvFrame f;
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

// Luma pixels that differ between two pictures: how many lie within `r` of
// `a`, and how many lie farther than `r` from both `a` and `b`.
struct Diff {
  int near_a = 0, elsewhere = 0;
};
Diff diff(const YuvFrame& now,
          const YuvFrame& before,
          std::pair<int, int> a,
          std::pair<int, int> b,
          int r = 40) {
  Diff d;
  for (int y = 0; y < now.height; ++y)
    for (int x = 0; x < now.width; ++x) {
      const size_t i = static_cast<size_t>(y) * now.width + x;
      if (std::abs(int{now.y[i]} - int{before.y[i]}) <= 8)
        continue;
      const bool in_a = std::abs(x - a.first) <= r && std::abs(y - a.second) <= r;
      const bool in_b = std::abs(x - b.first) <= r && std::abs(y - b.second) <= r;
      d.near_a += in_a;
      d.elsewhere += !in_a && !in_b;
    }
  return d;
}

TEST_F(MutterEnv, ThePointerGoesWhereInputPutsIt) {
  auto d = MutterDisplay::create({640, 480, 30});
  ASSERT_TRUE(d) << d.error().to_string();
  ASSERT_TRUE((*d)->has_input());
  auto cap = PwVideoCapture::open((*d)->node_id(), 640, 480, 30, milliseconds(10000));
  ASSERT_TRUE(cap) << cap.error().to_string();
  // Moves the pointer and waits for the picture to show the cursor there
  // (embedded in the frames) and gone from where it was.
  std::pair<int, int> at{-1000, -1000};
  YuvFrame before;
  auto move_and_check = [&](std::pair<int, int> to, auto&& move) {
    ASSERT_TRUE((*cap)->capture(1, 0, before).is_ok());
    ASSERT_TRUE(move());
    Diff dd;
    for (int i = 0; i < 50; ++i) {
      std::this_thread::sleep_for(milliseconds(100));
      YuvFrame now;
      ASSERT_TRUE((*cap)->capture(2, 0, now).is_ok());
      dd = diff(now, before, to, at);
      if (dd.near_a > 20)
        break;
    }
    EXPECT_GT(dd.near_a, 20) << "no cursor near " << to.first << "," << to.second;
    EXPECT_EQ(dd.elsewhere, 0) << "the picture changed away from the cursor";
    at = to;
  };
  move_and_check({100, 80}, [&] { return (*d)->notify_motion_absolute(100, 80); });
  move_and_check({500, 400}, [&] { return (*d)->notify_motion_absolute(500, 400); });
  // Relative motion moves it on from there.
  move_and_check({300, 200}, [&] { return (*d)->notify_motion_relative(-200, -200); });
  // The input model through MutterInjector: 0..65535 spans the monitor.
  MutterInjector inj(**d);
  using proto::native::InputKind;
  auto ev = [](InputKind k, uint32_t code, int32_t x, int32_t y) {
    return proto::native::InputDatagram{static_cast<uint8_t>(k), code, x, y, 0};
  };
  move_and_check({159, 119}, [&] {
    inj.inject(ev(InputKind::kMouseAbsolute, 0, 16384, 16384));
    return true;
  });
  for (const auto& e : {ev(InputKind::kKeyDown, 30, 0, 0), ev(InputKind::kKeyUp, 30, 0, 0),
                        ev(InputKind::kText, 0x20AC, 0, 0), ev(InputKind::kButtonDown, 0x110, 0, 0),
                        ev(InputKind::kButtonUp, 0x110, 0, 0), ev(InputKind::kScroll, 0, 0, 120),
                        ev(InputKind::kScroll, 0, 0, 60), ev(InputKind::kMouseRelative, 0, 3, 4)})
    inj.inject(e);
  auto touch = [&](uint32_t flags, int32_t x, int32_t y) {
    auto t = ev(InputKind::kTouch, 3, x, y);
    t.flags = flags;
    return t;
  };
  inj.inject(touch(0, 30000, 30000));
  inj.inject(touch(1, 31000, 30000));
  inj.inject(touch(2, 0, 0));
  inj.inject(touch(7, 0, 0));                          // no such touch phase
  inj.inject(ev(InputKind::kGamepadButton, 0, 0, 0));  // not through Mutter
  inj.inject(ev(InputKind::kText, 0x7, 0, 0));         // a control character is no text
  EXPECT_EQ(inj.stats().injected, 12u);
  EXPECT_EQ(inj.stats().unsupported, 1u);
  EXPECT_EQ(inj.stats().unmapped, 2u);
  // Keys, buttons and scrolling are accepted (nothing in a bare Mutter shows them).
  EXPECT_TRUE((*d)->notify_key(30, true));  // KEY_A
  EXPECT_TRUE((*d)->notify_key(30, false));
  EXPECT_TRUE((*d)->notify_keysym(0x10020ac, true));
  EXPECT_TRUE((*d)->notify_keysym(0x10020ac, false));
  EXPECT_TRUE((*d)->notify_button(0x110, true));  // BTN_LEFT
  EXPECT_TRUE((*d)->notify_button(0x110, false));
  EXPECT_TRUE((*d)->notify_scroll_discrete(0, 1));
}

}  // namespace
}  // namespace pf::host
