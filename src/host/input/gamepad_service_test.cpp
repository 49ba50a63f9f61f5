// SPDX-License-Identifier: MIT OR Apache-2.0
// Virtual gamepads against the fake device layer (this machine has no
// /dev/uinput); the uinput backend's probe must say why it cannot work.
#include "host/input/gamepad_service.h"

#include <linux/input-event-codes.h>

#include <mutex>

#include <gtest/gtest.h>

#include "host/input/fake_virtual_device.h"
#include "host/input/uinput_backend.h"

namespace pf::host {
namespace {

using proto::native::InputDatagram;
using proto::native::InputKind;
using Ev = FakeVirtualDevices::Event;

InputDatagram button(uint32_t pad, uint16_t code, bool down) {
  return {static_cast<uint8_t>(InputKind::kGamepadButton), pad << 16 | code, 0, 0, down ? 1u : 0u};
}
InputDatagram axis(uint32_t pad, uint16_t code, int32_t value) {
  return {static_cast<uint8_t>(InputKind::kGamepadAxis), pad << 16 | code, value, 0, 0};
}
constexpr Ev kSyn{EV_SYN, SYN_REPORT, 0};
InputDatagram arrival(uint32_t pad, proto::native::GamepadType type, uint32_t caps) {
  return {static_cast<uint8_t>(InputKind::kGamepadArrival), pad << 16 | static_cast<uint32_t>(type),
          0, 0, caps};
}
InputDatagram motion(uint32_t pad, uint32_t sensor, int32_t x, int32_t y, int32_t z) {
  return {static_cast<uint8_t>(InputKind::kGamepadMotion), pad << 16 | sensor, x, y,
          static_cast<uint32_t>(z)};
}
InputDatagram finger(uint32_t pad, uint32_t f, int32_t x, int32_t y, uint32_t flags) {
  return {static_cast<uint8_t>(InputKind::kGamepadTouchpad), pad << 16 | f, x, y, flags};
}
// The events of `device` without the MSC_TIMESTAMPs (their values are clock readings).
std::vector<Ev> without_timestamps(const FakeVirtualDevices::Device& d) {
  std::vector<Ev> out;
  for (const Ev& e : d.events)
    if (e.type != EV_MSC)
      out.push_back(e);
  return out;
}

struct Fixture {
  FakeVirtualDevices* fake = new FakeVirtualDevices();
  GamepadService service{std::unique_ptr<VirtualDeviceBackend>(fake)};
};

TEST(GamepadServiceTest, TheFirstEventOfAPadCreatesAnXbox360StylePad) {
  Fixture f;
  EXPECT_TRUE(f.service.inject(button(2, BTN_SOUTH, true)));
  ASSERT_EQ(f.fake->devices.size(), 1u);
  const VirtualDeviceSpec& s = f.fake->devices[0]->spec;
  EXPECT_EQ(s.name, "punktfunk gamepad 1");  // the first free slot, whatever the client's number
  EXPECT_EQ(s.vendor, 0x045e);
  EXPECT_EQ(s.product, 0x028e);
  EXPECT_EQ(s.keys.size(), 11u);
  EXPECT_EQ(s.abs.size(), 8u);
  EXPECT_EQ(f.fake->devices[0]->events, (std::vector<Ev>{{EV_KEY, BTN_SOUTH, 1}, kSyn}));
  // A second pad gets its own device; the first keeps its own.
  f.service.inject(button(0, BTN_EAST, true));
  ASSERT_EQ(f.fake->devices.size(), 2u);
  EXPECT_EQ(f.fake->devices[1]->spec.name, "punktfunk gamepad 2");
  EXPECT_EQ(f.service.stats().pads_created, 2u);
}

TEST(GamepadServiceTest, APlayStationPadBecomesADualSenseWithSensorsAndTouchpad) {
  using proto::native::GamepadType;
  Fixture f;
  const uint32_t caps =
      proto::native::kCapTouchpad | proto::native::kCapAccel | proto::native::kCapGyro;
  EXPECT_TRUE(f.service.inject(arrival(1, GamepadType::kPlayStation, caps)));
  ASSERT_EQ(f.fake->devices.size(), 3u) << "pad, motion sensors and touchpad, at arrival";
  const auto& motion_dev = *f.fake->devices[0];
  const auto& touch_dev = *f.fake->devices[1];
  const auto& pad_dev = *f.fake->devices[2];
  EXPECT_EQ(pad_dev.spec.name, "punktfunk DualSense 1");
  EXPECT_EQ(pad_dev.spec.vendor, 0x054c);
  EXPECT_EQ(pad_dev.spec.product, 0x0ce6);
  EXPECT_GT(pad_dev.spec.ff_effects_max, 0u);
  EXPECT_EQ(motion_dev.spec.name, "punktfunk DualSense 1 Motion Sensors");
  EXPECT_EQ(motion_dev.spec.props, (std::vector<uint16_t>{INPUT_PROP_ACCELEROMETER}));
  EXPECT_EQ(motion_dev.spec.abs.at(0).resolution, 8192);  // accelerometer: units per g
  EXPECT_EQ(motion_dev.spec.abs.at(3).resolution, 1024);  // gyroscope: units per deg/s
  EXPECT_EQ(touch_dev.spec.name, "punktfunk DualSense 1 Touchpad");
  EXPECT_EQ(touch_dev.spec.props,
            (std::vector<uint16_t>{INPUT_PROP_POINTER, INPUT_PROP_BUTTONPAD}));

  // Face buttons stay positional (square = BTN_WEST); sticks 0..255 around 128;
  // a trigger is also a button.
  f.service.inject(button(1, BTN_WEST, true));
  f.service.inject(axis(1, ABS_X, -32768));
  f.service.inject(axis(1, ABS_Y, 0));
  f.service.inject(axis(1, ABS_RX, 32767));
  f.service.inject(axis(1, ABS_Z, 200));
  f.service.inject(axis(1, ABS_Z, 90));
  f.service.inject(axis(1, ABS_Z, 0));
  EXPECT_EQ(pad_dev.events, (std::vector<Ev>{{EV_KEY, BTN_WEST, 1},
                                             kSyn,
                                             {EV_ABS, ABS_X, 0},
                                             kSyn,
                                             {EV_ABS, ABS_Y, 128},
                                             kSyn,
                                             {EV_ABS, ABS_RX, 255},
                                             kSyn,
                                             {EV_KEY, BTN_TL2, 1},
                                             kSyn,
                                             {EV_ABS, ABS_Z, 200},
                                             kSyn,
                                             {EV_ABS, ABS_Z, 90},
                                             kSyn,
                                             {EV_KEY, BTN_TL2, 0},
                                             kSyn,
                                             {EV_ABS, ABS_Z, 0},
                                             kSyn}));

  // Gravity down the Y axis (mm/s²) and a turn (millidegrees/s), in the
  // driver's units, each report stamped.
  f.service.inject(motion(1, proto::native::kSensorAccel, 0, -9807, 500));
  f.service.inject(motion(1, proto::native::kSensorGyro, 90000, 0, -1000));
  EXPECT_EQ(without_timestamps(motion_dev), (std::vector<Ev>{{EV_ABS, ABS_X, 0},
                                                             {EV_ABS, ABS_Y, -8192},
                                                             {EV_ABS, ABS_Z, 417},
                                                             kSyn,
                                                             {EV_ABS, ABS_RX, 92160},
                                                             {EV_ABS, ABS_RY, 0},
                                                             {EV_ABS, ABS_RZ, -1024},
                                                             kSyn}));
  ASSERT_EQ(motion_dev.events.size(), 10u);
  EXPECT_EQ(motion_dev.events[3].type, EV_MSC);
  EXPECT_EQ(motion_dev.events[3].code, MSC_TIMESTAMP);

  // One finger down in the middle, moved, a click, lifted.
  f.service.inject(finger(1, 0, 32768, 32768, 0));
  f.service.inject(finger(1, 0, 65535, 0, 1));
  f.service.inject(button(1, BTN_TRIGGER_HAPPY5, true));
  f.service.inject(finger(1, 0, 0, 0, 2));
  f.service.inject(finger(1, 1, 0, 0, 1));  // a move without a down: nothing
  EXPECT_EQ(touch_dev.events, (std::vector<Ev>{{EV_ABS, ABS_MT_SLOT, 0},
                                               {EV_ABS, ABS_MT_TRACKING_ID, 1},
                                               {EV_ABS, ABS_MT_POSITION_X, 959},
                                               {EV_ABS, ABS_MT_POSITION_Y, 539},
                                               {EV_KEY, BTN_TOUCH, 1},
                                               {EV_KEY, BTN_TOOL_FINGER, 1},
                                               {EV_KEY, BTN_TOOL_DOUBLETAP, 0},
                                               {EV_ABS, ABS_X, 959},
                                               {EV_ABS, ABS_Y, 539},
                                               kSyn,
                                               {EV_ABS, ABS_MT_SLOT, 0},
                                               {EV_ABS, ABS_MT_POSITION_X, 1919},
                                               {EV_ABS, ABS_MT_POSITION_Y, 0},
                                               {EV_ABS, ABS_X, 1919},
                                               {EV_ABS, ABS_Y, 0},
                                               kSyn,
                                               {EV_KEY, BTN_LEFT, 1},
                                               kSyn,
                                               {EV_ABS, ABS_MT_SLOT, 0},
                                               {EV_ABS, ABS_MT_TRACKING_ID, -1},
                                               {EV_KEY, BTN_TOUCH, 0},
                                               {EV_KEY, BTN_TOOL_FINGER, 0},
                                               {EV_KEY, BTN_TOOL_DOUBLETAP, 0},
                                               kSyn}));

  // The session ends: buttons up, sticks centred at 128, the click let go.
  f.service.release_owner(0);
  const std::vector<Ev> tail(pad_dev.events.end() - 12, pad_dev.events.end());
  EXPECT_EQ(tail, (std::vector<Ev>{{EV_KEY, BTN_WEST, 0},
                                   {EV_KEY, BTN_TL2, 0},
                                   {EV_KEY, BTN_TR2, 0},
                                   {EV_ABS, ABS_X, 128},
                                   {EV_ABS, ABS_Y, 128},
                                   {EV_ABS, ABS_RX, 128},
                                   {EV_ABS, ABS_RY, 128},
                                   {EV_ABS, ABS_Z, 0},
                                   {EV_ABS, ABS_RZ, 0},
                                   {EV_ABS, ABS_HAT0X, 0},
                                   {EV_ABS, ABS_HAT0Y, 0},
                                   kSyn}));
  EXPECT_EQ(touch_dev.events.back(), kSyn);
  EXPECT_EQ(touch_dev.events.at(touch_dev.events.size() - 5), (Ev{EV_KEY, BTN_LEFT, 0}));
}

TEST(GamepadServiceTest, AnXboxPadHasNoSensorsAndAnotherKindOfPadReplacesTheDevices) {
  using proto::native::GamepadType;
  Fixture f;
  f.service.inject(arrival(0, GamepadType::kXbox, 0));
  ASSERT_EQ(f.fake->devices.size(), 1u);
  EXPECT_EQ(f.fake->devices[0]->spec.vendor, 0x045e);
  f.service.inject(motion(0, proto::native::kSensorGyro, 1, 2, 3));
  f.service.inject(finger(0, 0, 1, 2, 0));
  f.service.inject(button(0, BTN_TRIGGER_HAPPY5, true));
  EXPECT_EQ(f.service.stats().unmapped, 3u);
  EXPECT_TRUE(f.fake->devices[0]->events.empty());
  // The same client pad turns out to be a PlayStation one: a DualSense instead.
  f.service.inject(arrival(0, GamepadType::kPlayStation, proto::native::kCapGyro));
  EXPECT_TRUE(f.fake->devices[0]->destroyed);
  ASSERT_EQ(f.fake->devices.size(), 4u);
  EXPECT_EQ(f.fake->devices[3]->spec.vendor, 0x054c);
  EXPECT_EQ(f.fake->devices[3]->spec.name, "punktfunk DualSense 1") << "the same slot";
  // Bad sensor numbers and fingers are counted, not sent.
  f.service.inject(motion(0, 7, 1, 2, 3));
  f.service.inject(finger(0, 2, 1, 2, 0));
  EXPECT_EQ(f.service.stats().unmapped, 5u);
}

TEST(GamepadServiceTest, ButtonsAxesAndTheDpadAsAHat) {
  Fixture f;
  f.service.inject(button(0, BTN_TL, true));
  f.service.inject(button(0, BTN_TL, false));
  f.service.inject(axis(0, ABS_X, -40000));  // clamped
  f.service.inject(axis(0, ABS_RY, 1234));
  f.service.inject(axis(0, ABS_Z, 300));  // trigger, clamped
  f.service.inject(button(0, BTN_DPAD_UP, true));
  f.service.inject(button(0, BTN_DPAD_RIGHT, true));
  f.service.inject(button(0, BTN_DPAD_UP, false));
  f.service.inject(button(0, BTN_DPAD_DOWN, true));
  const std::vector<Ev> want = {
      {EV_KEY, BTN_TL, 1},    kSyn, {EV_KEY, BTN_TL, 0},    kSyn, {EV_ABS, ABS_X, -32768}, kSyn,
      {EV_ABS, ABS_RY, 1234}, kSyn, {EV_ABS, ABS_Z, 255},   kSyn, {EV_ABS, ABS_HAT0Y, -1}, kSyn,
      {EV_ABS, ABS_HAT0X, 1}, kSyn, {EV_ABS, ABS_HAT0Y, 0}, kSyn, {EV_ABS, ABS_HAT0Y, 1},  kSyn};
  EXPECT_EQ(f.fake->devices.at(0)->events, want);
  EXPECT_EQ(f.service.stats().events, 9u);
}

TEST(GamepadServiceTest, FaceButtonsAsTheXpadDriverReportsThem) {
  Fixture f;
  f.service.inject(button(0, BTN_WEST, true));   // the left face button: Xbox X
  f.service.inject(button(0, BTN_NORTH, true));  // the top one: Xbox Y
  EXPECT_EQ(f.fake->devices.at(0)->events,
            (std::vector<Ev>{{EV_KEY, 0x133, 1}, kSyn, {EV_KEY, 0x134, 1}, kSyn}));
  f.fake->devices[0]->events.clear();
  f.service.release_all();
  EXPECT_EQ(f.fake->devices[0]->events.at(0), (Ev{EV_KEY, 0x133, 0}));
  EXPECT_EQ(f.fake->devices[0]->events.at(1), (Ev{EV_KEY, 0x134, 0}));
}

TEST(GamepadServiceTest, OtherInputIsNotOursAndUnknownCodesAreCounted) {
  Fixture f;
  EXPECT_FALSE(f.service.inject({static_cast<uint8_t>(InputKind::kKeyDown), KEY_A, 0, 0, 0}));
  EXPECT_TRUE(f.service.inject(button(0, BTN_TRIGGER_HAPPY1, true)));  // no paddles on this pad
  EXPECT_TRUE(f.service.inject(axis(0, ABS_MISC, 5)));
  EXPECT_TRUE(f.service.inject(button(16, BTN_SOUTH, true)));  // pad index out of range
  EXPECT_EQ(f.service.stats().unmapped, 3u);
  EXPECT_TRUE(f.fake->devices.empty());  // nothing made for them
}

TEST(GamepadServiceTest, ReleaseAllLetsGoOfEverythingHeld) {
  Fixture f;
  f.service.inject(button(1, BTN_SOUTH, true));
  f.service.inject(button(1, BTN_START, true));
  f.service.inject(button(1, BTN_START, false));
  f.service.inject(axis(1, ABS_X, 20000));
  f.fake->devices[0]->events.clear();
  f.service.release_all();
  const auto& ev = f.fake->devices[0]->events;
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.front(), (Ev{EV_KEY, BTN_SOUTH, 0}));
  EXPECT_EQ(std::count(ev.begin(), ev.end(), Ev{EV_KEY, BTN_START, 0}), 0);  // not held
  EXPECT_EQ(std::count(ev.begin(), ev.end(), Ev{EV_ABS, ABS_X, 0}), 1);
  EXPECT_EQ(ev.back(), kSyn);
  EXPECT_FALSE(f.fake->devices[0]->destroyed);  // the pad stays for the next session
}

TEST(GamepadServiceTest, AVanishedPadIsMadeAgainAndAMissingBackendDrops) {
  Fixture f;
  f.service.inject(button(0, BTN_SOUTH, true));
  f.fake->devices[0]->fail_sends = true;
  f.service.inject(button(0, BTN_SOUTH, false));  // fails: the device is dropped
  EXPECT_TRUE(f.fake->devices[0]->destroyed);
  f.service.inject(button(0, BTN_EAST, true));  // a new device
  ASSERT_EQ(f.fake->devices.size(), 2u);
  EXPECT_EQ(f.fake->devices[1]->events, (std::vector<Ev>{{EV_KEY, BTN_EAST, 1}, kSyn}));
  f.fake->refuse = true;
  f.service.inject(button(5, BTN_SOUTH, true));
  f.service.inject(axis(5, ABS_X, 1));
  EXPECT_EQ(f.service.stats().dropped, 3u);
}

// Two clients each with their pad 0: two pads; one client leaving lets go
// of its pad only and frees its slot for the next client (the device stays).
TEST(GamepadServiceTest, EachSessionsPadsAreTheirOwn) {
  Fixture f;
  f.service.inject(button(0, BTN_SOUTH, true), 11);
  f.service.inject(button(0, BTN_EAST, true), 22);
  ASSERT_EQ(f.fake->devices.size(), 2u);
  EXPECT_EQ(f.fake->devices[0]->events.front(), (Ev{EV_KEY, BTN_SOUTH, 1}));
  EXPECT_EQ(f.fake->devices[1]->events.front(), (Ev{EV_KEY, BTN_EAST, 1}));
  f.service.inject(axis(0, ABS_X, 500), 22);  // still session 22's pad
  EXPECT_EQ(f.fake->devices[1]->events.at(2), (Ev{EV_ABS, ABS_X, 500}));
  f.fake->devices[0]->events.clear();
  f.fake->devices[1]->events.clear();
  f.service.release_owner(11);
  EXPECT_EQ(f.fake->devices[0]->events.front(), (Ev{EV_KEY, BTN_SOUTH, 0}));
  EXPECT_TRUE(f.fake->devices[1]->events.empty());   // 22 holds on
  f.service.inject(button(0, BTN_NORTH, true), 33);  // the freed slot, no new device
  EXPECT_EQ(f.fake->devices.size(), 2u);
  EXPECT_EQ(f.fake->devices[0]->events.back(), kSyn);
  // Rumble on the second device is session 22's pad 0.
  std::vector<std::pair<uint32_t, uint32_t>> got;
  f.service.stop_rumble();  // no poll thread: poll by hand below
  f.service.set_rumble_sink(
      [&](uint32_t owner, uint32_t pad, const Rumble&) { got.emplace_back(owner, pad); });
  f.fake->game_ff(1, FfUpload{0, FfEffect{FfEffect::Kind::kRumble, 0x8000, 0, 100, 0}});
  f.fake->game_ff(1, FfPlay{0, 1});
  f.service.poll_rumble(5'000'000'000'000);
  f.service.stop_rumble();
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.front(), (std::pair<uint32_t, uint32_t>{22, 0}));
  // Sixteen slots: a seventeenth pad is not made.
  for (uint32_t s = 100; s < 116; ++s)
    f.service.inject(button(0, BTN_SOUTH, true), s);
  EXPECT_GT(f.service.stats().unmapped, 0u);
  EXPECT_LE(f.fake->devices.size(), GamepadService::kMaxPads);
}

TEST(UinputBackendTest, ProbeSaysWhy) {
  const ProbeVerdict v = UinputBackend::probe();
  EXPECT_FALSE(v.reason.empty());
  UinputBackend b;
  auto dev = b.create(GamepadService::xbox360_spec(0));
  EXPECT_EQ(dev.has_value(), v.available);
  if (!dev) {
    EXPECT_NE(dev.error().message().find("/dev/uinput"), std::string::npos);
  }
}

// A game rumbles pad 2 (owned by session 7): the sink gets the rumble for
// that session and pad, refreshed while it lasts, then a stop.
TEST(GamepadServiceTest, GamesRumbleGoesBackToThePadsOwner) {
  Fixture f;
  struct Got {
    uint32_t owner, pad;
    Rumble r;
  };
  std::vector<Got> got;
  std::mutex mu;
  EXPECT_TRUE(f.service.inject(button(1, BTN_SOUTH, true), 7));
  f.service.set_rumble_sink([&](uint32_t owner, uint32_t pad, const Rumble& r) {
    std::lock_guard l(mu);
    got.push_back({owner, pad, r});
  });
  ASSERT_EQ(f.fake->devices.size(), 1u);
  EXPECT_GT(f.fake->devices[0]->spec.ff_effects_max, 0u);  // games may upload effects
  // The service's own thread polls too; its clock is far ahead of ours, so
  // only our polls below see effects start (both feed the same tracker).
  const int64_t t0 = 1'000'000'000'000;
  f.fake->game_ff(0, FfUpload{0, FfEffect{FfEffect::Kind::kRumble, 0xC000, 0x3000, 600, 0}});
  f.fake->game_ff(0, FfPlay{0, 1});
  f.service.poll_rumble(t0);
  f.service.poll_rumble(t0 + 550);  // refresh
  f.service.poll_rumble(t0 + 700);  // over: stop
  std::lock_guard l(mu);
  std::vector<Got> ours;
  for (const auto& g : got)
    if (g.r.low != 0 || !ours.empty())
      ours.push_back(g);
  ASSERT_GE(ours.size(), 3u);
  EXPECT_EQ(ours[0].owner, 7u);
  EXPECT_EQ(ours[0].pad, 1u);
  EXPECT_EQ(ours[0].r, (Rumble{0xC000, 0x3000, 600}));
  EXPECT_EQ(ours[1].r, (Rumble{0xC000, 0x3000, 50}));
  EXPECT_EQ(ours.back().r, (Rumble{0, 0, 0}));
  EXPECT_GE(f.service.stats().rumbles, 3u);
}

}  // namespace
}  // namespace pf::host
