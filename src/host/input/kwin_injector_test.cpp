// SPDX-License-Identifier: MIT OR Apache-2.0
// Real KWin: input through its fake-input protocol is watched by `wev` (a
// Wayland client printing every event it gets) on KWin's output.
#include "host/input/kwin_injector.h"

#include <gtest/gtest.h>
#include <linux/input-event-codes.h>

#include <fstream>
#include <sstream>

#include "host/input/wev_watch.h"
#include "host/vdisplay/kwin_test_env.h"
#include "host/wayland/wl_connection.h"

namespace pf::host {
namespace {

using proto::native::InputDatagram;
using proto::native::InputKind;
using std::chrono::milliseconds;

InputDatagram ev(InputKind kind,
                 uint32_t code = 0,
                 int32_t x = 0,
                 int32_t y = 0,
                 uint8_t flags = 0) {
  InputDatagram e;
  e.kind = static_cast<uint8_t>(kind);
  e.code = code;
  e.x = x;
  e.y = y;
  e.flags = flags;
  return e;
}

class KwinInjectorTest : public testing::KwinEnv {
 protected:
  std::string log() const { return wev_.log(); }
  bool wait_for(const std::string& text, milliseconds timeout = milliseconds(5000)) const {
    return wev_.wait_for(text, timeout);
  }
  testing::WevWatch wev_;
};

TEST_F(KwinInjectorTest, KeysTextPointerButtonsScrollAndTouchReachAWindow) {
  auto conn = wayland::Connection::connect({}, milliseconds(2000));
  ASSERT_TRUE(conn);
  const auto outputs = (*conn)->output_names();
  ASSERT_EQ(outputs.size(), 1u);
  auto inj = KwinInjector::open("", outputs[0]);
  ASSERT_TRUE(inj) << inj.error().to_string();
  KwinInjector& in = **inj;
  EXPECT_FALSE(KwinInjector::open("", "NOPE-3"));

  ASSERT_TRUE(wev_.start((dir_ / "wev.log").string())) << "wev (Debian package wev): " << log();
  // Over the window (KWin centres new windows): wev sees the pointer move
  // there, in surface coordinates.
  bool over = false;
  for (int i = 0; i < 20 && !over; ++i) {
    const size_t seen = log().size();
    in.inject(ev(InputKind::kMouseAbsolute, 0, 32768 + i * 100, 32768));
    const auto end = std::chrono::steady_clock::now() + milliseconds(200);
    while (!over && std::chrono::steady_clock::now() < end) {
      const std::string fresh = log().substr(std::min(seen, log().size()));
      over = fresh.find("wl_pointer] motion") != std::string::npos ||
             fresh.find("wl_pointer] enter") != std::string::npos;
      std::this_thread::sleep_for(milliseconds(10));
    }
  }
  ASSERT_TRUE(over) << log();

  in.inject(ev(InputKind::kButtonDown, BTN_LEFT));
  in.inject(ev(InputKind::kButtonUp, BTN_LEFT));
  EXPECT_TRUE(wait_for("button: 272 (left), state: 1 (pressed)")) << log();
  EXPECT_TRUE(wait_for("button: 272 (left), state: 0 (released)")) << log();

  in.inject(ev(InputKind::kKeyDown, KEY_LEFTSHIFT));
  in.inject(ev(InputKind::kKeyDown, KEY_A));
  in.inject(ev(InputKind::kKeyUp, KEY_A));
  in.inject(ev(InputKind::kKeyUp, KEY_LEFTSHIFT));
  EXPECT_TRUE(wait_for("utf8: 'A'")) << log();

  // Text through the layout's keys: 'z', and '?' (Shift on the US layout).
  in.inject(ev(InputKind::kText, 'z'));
  in.inject(ev(InputKind::kText, '?'));
  EXPECT_TRUE(wait_for("utf8: 'z'")) << log();
  EXPECT_TRUE(wait_for("utf8: '?'")) << log();
  const uint64_t unmapped = in.stats().unmapped;
  in.inject(ev(InputKind::kText, 0x6F22));  // no key of the US layout types '漢'
  EXPECT_EQ(in.stats().unmapped, unmapped + 1);

  in.inject(ev(InputKind::kScroll, 0, 0, 120));
  EXPECT_TRUE(wait_for("axis: 0 (vertical), value: -15")) << log();

  // A touch contact on the window's spot.
  in.inject(ev(InputKind::kTouch, 3, 32768, 32768, 0));
  in.inject(ev(InputKind::kTouch, 3, 33000, 33000, 1));
  in.inject(ev(InputKind::kTouch, 3, 0, 0, 2));
  EXPECT_TRUE(wait_for("wl_touch] down")) << log();
  EXPECT_TRUE(wait_for("wl_touch] up")) << log();
  EXPECT_GE(in.stats().injected, 12u);
}

}  // namespace
}  // namespace pf::host
