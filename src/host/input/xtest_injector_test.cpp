// SPDX-License-Identifier: MIT OR Apache-2.0
// XTest into a real Xvfb, observed by a second X client.
#include "host/input/xtest_injector.h"

#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "host/vdisplay/xvfb_display.h"

// Xlib last: its macros (None, Status, Bool) collide with C++ headers.
#include <X11/Xlib.h>
#include <X11/keysym.h>
#include <linux/input-event-codes.h>

namespace pf::host {
namespace {

using proto::native::InputDatagram;
using proto::native::InputKind;

InputDatagram ev(InputKind k, uint32_t code, int32_t x = 0, int32_t y = 0) {
  return InputDatagram{static_cast<uint8_t>(k), code, x, y, 0};
}

TEST(XTestInjectorTest, KeysPointerAndButtonsReachTheDisplay) {
  auto d = XvfbDisplay::create({800, 600, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  auto inj = XTestInjector::open((*d)->address());
  ASSERT_TRUE(inj) << inj.error().to_string();
  Display* obs = XOpenDisplay((*d)->address().c_str());
  ASSERT_NE(obs, nullptr);
  Window root = DefaultRootWindow(obs), r, c;
  int rx, ry, wx, wy;
  unsigned mask;
  auto pointer = [&] { XQueryPointer(obs, root, &r, &c, &rx, &ry, &wx, &wy, &mask); };
  auto key_down = [&](KeySym sym) {
    char keys[32];
    XQueryKeymap(obs, keys);
    const KeyCode kc = XKeysymToKeycode(obs, sym);
    return (keys[kc / 8] >> (kc % 8)) & 1;
  };
  auto settle = [] { std::this_thread::sleep_for(std::chrono::milliseconds(30)); };

  (*inj)->inject(ev(InputKind::kMouseAbsolute, 0, 32768, 65535));
  settle();
  pointer();
  EXPECT_NEAR(rx, 400, 1);
  EXPECT_EQ(ry, 599);
  (*inj)->inject(ev(InputKind::kMouseRelative, 0, -50, -100));
  settle();
  pointer();
  EXPECT_NEAR(rx, 350, 1);
  EXPECT_EQ(ry, 499);

  (*inj)->inject(ev(InputKind::kKeyDown, KEY_A));
  settle();
  EXPECT_TRUE(key_down(XK_a));
  (*inj)->inject(ev(InputKind::kKeyUp, KEY_A));
  settle();
  EXPECT_FALSE(key_down(XK_a));

  (*inj)->inject(ev(InputKind::kButtonDown, BTN_LEFT));
  settle();
  pointer();
  EXPECT_TRUE(mask & Button1Mask);
  (*inj)->inject(ev(InputKind::kButtonUp, BTN_LEFT));
  settle();
  pointer();
  EXPECT_FALSE(mask & Button1Mask);

  (*inj)->inject(ev(InputKind::kScroll, 0, 0, 60));  // half a notch: nothing yet
  (*inj)->inject(ev(InputKind::kGamepadButton, BTN_SOUTH));
  EXPECT_EQ((*inj)->stats().unsupported, 1u);
  EXPECT_EQ((*inj)->stats().injected, 7u);
  XCloseDisplay(obs);
}

TEST(XTestInjectorTest, TextArrivesAsTheRightCharacters) {
  auto d = XvfbDisplay::create({320, 240, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  auto inj = XTestInjector::open((*d)->address());
  ASSERT_TRUE(inj);
  // A focused window of a second client receives the key presses.
  Display* obs = XOpenDisplay((*d)->address().c_str());
  ASSERT_NE(obs, nullptr);
  Window w = XCreateSimpleWindow(obs, DefaultRootWindow(obs), 0, 0, 320, 240, 0, 0, 0);
  XSelectInput(obs, w, KeyPressMask);
  XMapWindow(obs, w);
  XSync(obs, False);
  XSetInputFocus(obs, w, RevertToParent, CurrentTime);
  XSync(obs, False);
  const uint32_t text[] = {'x', 0xE9 /* é */, 0x20AC /* € */};
  for (uint32_t cp : text)
    (*inj)->inject(ev(InputKind::kText, cp));
  std::vector<unsigned long> got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (got.size() < 3 && std::chrono::steady_clock::now() < deadline) {
    while (XPending(obs)) {
      XEvent e;
      XNextEvent(obs, &e);
      if (e.type == MappingNotify)
        XRefreshKeyboardMapping(&e.xmapping);
      if (e.type == KeyPress)
        got.push_back(XLookupKeysym(&e.xkey, 0));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], static_cast<unsigned long>('x'));
  EXPECT_EQ(got[1], 0xE9ul);
  EXPECT_EQ(got[2], 0x010020ACul);
  (*inj)->inject(ev(InputKind::kText, 0xD800));  // a surrogate is not a character
  EXPECT_EQ((*inj)->stats().unmapped, 1u);
  XCloseDisplay(obs);
}

TEST(XTestInjectorTest, KeysymTable) {
  EXPECT_EQ(evdev_to_keysym(KEY_A), static_cast<unsigned long>(XK_a));
  EXPECT_EQ(evdev_to_keysym(KEY_F12), static_cast<unsigned long>(XK_F12));
  EXPECT_EQ(evdev_to_keysym(KEY_LEFTSHIFT), static_cast<unsigned long>(XK_Shift_L));
  EXPECT_EQ(evdev_to_keysym(0), 0u);
  EXPECT_EQ(evdev_to_keysym(0xFFFF), 0u);
}

}  // namespace
}  // namespace pf::host
