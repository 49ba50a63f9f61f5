// SPDX-License-Identifier: MIT OR Apache-2.0
// Keyboard, mouse, absolute pointer and touchscreen as uinput devices,
// against the fake device layer (this machine has no /dev/uinput).
#include "host/input/uinput_injector.h"

#include <linux/input-event-codes.h>

#include <gtest/gtest.h>

#include "host/input/fake_virtual_device.h"

namespace pf::host {
namespace {

using proto::native::InputDatagram;
using proto::native::InputKind;
using Ev = FakeVirtualDevices::Event;
constexpr Ev kSyn{EV_SYN, SYN_REPORT, 0};

InputDatagram ev(InputKind k, uint32_t code = 0, int32_t x = 0, int32_t y = 0, uint32_t flags = 0) {
  return {static_cast<uint8_t>(k), code, x, y, flags};
}

struct Fixture {
  FakeVirtualDevices* fake = new FakeVirtualDevices();
  UinputInjector in{std::unique_ptr<VirtualDeviceBackend>(fake)};
  const FakeVirtualDevices::Device& named(const std::string& name) const {
    for (const auto& d : fake->devices)
      if (d->spec.name == name)
        return *d;
    throw std::runtime_error("no device " + name);
  }
};

TEST(UinputInjectorTest, KeysAndTextOnTheKeyboard) {
  Fixture f;
  f.in.inject(ev(InputKind::kKeyDown, KEY_A));
  f.in.inject(ev(InputKind::kKeyUp, KEY_A));
  ASSERT_EQ(f.fake->devices.size(), 1u) << "only the keyboard, made at its first event";
  const auto& kb = f.named("punktfunk keyboard");
  EXPECT_EQ(kb.spec.keys.size(), 248u);
  // Text: 'z' is a key, '?' is Shift + slash on the US layout; '漢' has no key.
  f.in.inject(ev(InputKind::kText, 'z'));
  f.in.inject(ev(InputKind::kText, '?'));
  f.in.inject(ev(InputKind::kText, 0x6F22));
  f.in.inject(ev(InputKind::kKeyDown, 999));  // not a keyboard key
  EXPECT_EQ(kb.events, (std::vector<Ev>{{EV_KEY, KEY_A, 1},
                                        kSyn,
                                        {EV_KEY, KEY_A, 0},
                                        kSyn,
                                        {EV_KEY, KEY_Z, 1},
                                        {EV_KEY, KEY_Z, 0},
                                        kSyn,
                                        {EV_KEY, KEY_LEFTSHIFT, 1},
                                        {EV_KEY, KEY_SLASH, 1},
                                        {EV_KEY, KEY_SLASH, 0},
                                        {EV_KEY, KEY_LEFTSHIFT, 0},
                                        kSyn}));
  EXPECT_EQ(f.in.stats().injected, 4u);
  EXPECT_EQ(f.in.stats().unmapped, 2u);
}

TEST(UinputInjectorTest, MouseMotionButtonsAndWheelsAndTheAbsolutePointer) {
  Fixture f;
  f.in.inject(ev(InputKind::kMouseRelative, 0, 5, -3));
  f.in.inject(ev(InputKind::kButtonDown, BTN_RIGHT));
  f.in.inject(ev(InputKind::kButtonUp, BTN_RIGHT));
  f.in.inject(ev(InputKind::kScroll, 0, 0, 60));      // half a notch up
  f.in.inject(ev(InputKind::kScroll, 0, 0, 60));      // the other half: one notch
  f.in.inject(ev(InputKind::kHScroll, 0, -240, 0));   // two notches left
  f.in.inject(ev(InputKind::kButtonDown, BTN_TASK));  // a button the mouse has not
  const auto& m = f.named("punktfunk mouse");
  EXPECT_EQ(m.spec.rel.size(), 6u);
  EXPECT_EQ(m.events, (std::vector<Ev>{{EV_REL, REL_X, 5},
                                       {EV_REL, REL_Y, -3},
                                       kSyn,
                                       {EV_KEY, BTN_RIGHT, 1},
                                       kSyn,
                                       {EV_KEY, BTN_RIGHT, 0},
                                       kSyn,
                                       {EV_REL, REL_WHEEL_HI_RES, 60},
                                       kSyn,
                                       {EV_REL, REL_WHEEL_HI_RES, 60},
                                       {EV_REL, REL_WHEEL, 1},
                                       kSyn,
                                       {EV_REL, REL_HWHEEL_HI_RES, -240},
                                       {EV_REL, REL_HWHEEL, -2},
                                       kSyn}));
  f.in.inject(ev(InputKind::kMouseAbsolute, 0, 70000, 32768));
  const auto& p = f.named("punktfunk absolute pointer");
  EXPECT_EQ(p.events, (std::vector<Ev>{{EV_ABS, ABS_X, 65535}, {EV_ABS, ABS_Y, 32768}, kSyn}));
  EXPECT_EQ(f.in.stats().unmapped, 1u);
}

TEST(UinputInjectorTest, TouchContactsAsMultitouchSlots) {
  Fixture f;
  f.in.inject(ev(InputKind::kTouch, 3, 100, 200, 0));
  f.in.inject(ev(InputKind::kTouch, 3, 110, 210, 1));
  f.in.inject(ev(InputKind::kTouch, 3, 0, 0, 2));
  f.in.inject(ev(InputKind::kTouch, 4, 0, 0, 1));   // never down: nothing
  f.in.inject(ev(InputKind::kTouch, 12, 0, 0, 0));  // no such slot
  const auto& t = f.named("punktfunk touchscreen");
  EXPECT_EQ(t.spec.props, (std::vector<uint16_t>{INPUT_PROP_DIRECT}));
  EXPECT_EQ(t.events, (std::vector<Ev>{{EV_ABS, ABS_MT_SLOT, 3},
                                       {EV_ABS, ABS_MT_TRACKING_ID, 1},
                                       {EV_ABS, ABS_MT_POSITION_X, 100},
                                       {EV_ABS, ABS_MT_POSITION_Y, 200},
                                       {EV_KEY, BTN_TOUCH, 1},
                                       {EV_ABS, ABS_X, 100},
                                       {EV_ABS, ABS_Y, 200},
                                       kSyn,
                                       {EV_ABS, ABS_MT_SLOT, 3},
                                       {EV_ABS, ABS_MT_POSITION_X, 110},
                                       {EV_ABS, ABS_MT_POSITION_Y, 210},
                                       {EV_ABS, ABS_X, 110},
                                       {EV_ABS, ABS_Y, 210},
                                       kSyn,
                                       {EV_ABS, ABS_MT_SLOT, 3},
                                       {EV_ABS, ABS_MT_TRACKING_ID, -1},
                                       {EV_KEY, BTN_TOUCH, 0},
                                       kSyn}));
  EXPECT_EQ(f.in.stats().unmapped, 1u);
}

TEST(UinputInjectorTest, APenHoversTouchesWithPressureAndLeaves) {
  using proto::native::make_pen;
  using proto::native::PenEvent;
  Fixture f;
  f.in.inject(make_pen(PenEvent::kHover, 1, 0, 30, 100, 200, 0));
  f.in.inject(make_pen(PenEvent::kDown, 1, 1, 30, 100, 200, 40000));
  f.in.inject(make_pen(PenEvent::kUp, 1, 0, 30, 100, 200, 0));
  f.in.inject(make_pen(PenEvent::kLeave, 1, 0, 0, 0, 0, 0));
  const auto& p = f.named("punktfunk pen");
  EXPECT_EQ(p.spec.props, (std::vector<uint16_t>{INPUT_PROP_DIRECT}));
  auto report = [](int32_t pressure, int touch, int stylus) {
    return std::vector<Ev>{{EV_ABS, ABS_X, 100},
                           {EV_ABS, ABS_Y, 200},
                           {EV_ABS, ABS_PRESSURE, pressure},
                           {EV_ABS, ABS_TILT_X, 30},
                           {EV_KEY, BTN_TOOL_PEN, 1},
                           {EV_KEY, BTN_TOUCH, touch},
                           {EV_KEY, BTN_STYLUS, stylus},
                           {EV_KEY, BTN_STYLUS2, 0},
                           {EV_KEY, BTN_STYLUS3, 0},
                           kSyn};
  };
  std::vector<Ev> want;
  for (const auto& r : {report(0, 0, 0), report(40000, 1, 1), report(0, 0, 0)})
    want.insert(want.end(), r.begin(), r.end());
  want.insert(want.end(), {{EV_KEY, BTN_TOUCH, 0},
                           {EV_ABS, ABS_PRESSURE, 0},
                           {EV_KEY, BTN_STYLUS, 0},
                           {EV_KEY, BTN_STYLUS2, 0},
                           {EV_KEY, BTN_STYLUS3, 0},
                           {EV_KEY, BTN_TOOL_PEN, 0},
                           kSyn});
  EXPECT_EQ(p.events, want);
  EXPECT_EQ(f.in.stats().injected, 4u);
}

TEST(PenAsPointerTest, WhereNoPenIsTakenThePenIsThePointer) {
  using proto::native::make_pen;
  using proto::native::PenEvent;
  const auto down = pen_as_pointer(make_pen(PenEvent::kDown, 1, 0, 0, 10, 20, 100));
  ASSERT_EQ(down.size(), 2u);
  EXPECT_EQ(down[0],
            (InputDatagram{static_cast<uint8_t>(InputKind::kMouseAbsolute), 0, 10, 20, 0}));
  EXPECT_EQ(down[1],
            (InputDatagram{static_cast<uint8_t>(InputKind::kButtonDown), BTN_LEFT, 0, 0, 0}));
  EXPECT_EQ(pen_as_pointer(make_pen(PenEvent::kHover, 1, 0, 0, 1, 2, 0)).size(), 1u);
  EXPECT_EQ(pen_as_pointer(make_pen(PenEvent::kCancel, 1, 0, 0, 1, 2, 0)).back().kind,
            static_cast<uint8_t>(InputKind::kButtonUp));
}

TEST(UinputInjectorTest, AVanishedDeviceIsMadeAgainAndNoBackendDrops) {
  Fixture f;
  f.in.inject(ev(InputKind::kKeyDown, KEY_B));
  f.fake->devices[0]->fail_sends = true;
  f.in.inject(ev(InputKind::kKeyUp, KEY_B));
  EXPECT_EQ(f.in.stats().unsupported, 1u);
  f.in.inject(ev(InputKind::kKeyDown, KEY_C));
  ASSERT_EQ(f.fake->devices.size(), 2u);
  EXPECT_TRUE(f.fake->devices[0]->destroyed);
  EXPECT_EQ(f.fake->devices[1]->events, (std::vector<Ev>{{EV_KEY, KEY_C, 1}, kSyn}));
  f.fake->refuse = true;
  f.in.inject(ev(InputKind::kMouseRelative, 0, 1, 1));
  EXPECT_EQ(f.in.stats().unsupported, 2u);
  // Gamepads are not this injector's.
  f.in.inject(ev(InputKind::kGamepadButton, BTN_SOUTH, 0, 0, 1));
  EXPECT_EQ(f.in.stats().unsupported, 3u);
}

}  // namespace
}  // namespace pf::host
