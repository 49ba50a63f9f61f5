// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/input.h"

#include <linux/input-event-codes.h>

#include <cstring>

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

using native::InputKind;

// BE32 size (total - 4), LE32 magic, body.
std::vector<uint8_t> packet(uint32_t magic, std::vector<uint8_t> body) {
  std::vector<uint8_t> p(8 + body.size());
  const uint32_t size = static_cast<uint32_t>(4 + body.size());
  for (int i = 0; i < 4; ++i) {
    p[i] = static_cast<uint8_t>(size >> (24 - 8 * i));
    p[4 + i] = static_cast<uint8_t>(magic >> (8 * i));
  }
  std::copy(body.begin(), body.end(), p.begin() + 8);
  return p;
}

TEST(GsInputTest, KeysMapWindowsVirtualKeysToEvdev) {
  EXPECT_EQ(vk_to_evdev(0x41), KEY_A);
  EXPECT_EQ(vk_to_evdev(0x5A), KEY_Z);
  EXPECT_EQ(vk_to_evdev(0x30), KEY_0);
  EXPECT_EQ(vk_to_evdev(0x70), KEY_F1);
  EXPECT_EQ(vk_to_evdev(0xA5), KEY_RIGHTALT);
  EXPECT_EQ(vk_to_evdev(0xFF), 0);
  InputTranslator t;
  // Moonlight sets 0x8000 on the key code: VK 0x41 arrives as 0x8041 (LE16).
  auto down = t.translate(packet(0x03, {0, 0x41, 0x80, 0x01, 0, 0}));
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].kind, static_cast<uint8_t>(InputKind::kKeyDown));
  EXPECT_EQ(down[0].code, uint32_t{KEY_A});
  EXPECT_EQ(down[0].flags, 1u);  // modifiers byte: shift
  // Still held at session end: released.
  auto rel = t.release_all();
  ASSERT_EQ(rel.size(), 1u);
  EXPECT_EQ(rel[0].kind, static_cast<uint8_t>(InputKind::kKeyUp));
  auto up = t.translate(packet(0x04, {0, 0x41, 0x80, 0, 0, 0}));
  EXPECT_EQ(up[0].kind, static_cast<uint8_t>(InputKind::kKeyUp));
}

TEST(GsInputTest, MouseIsBigEndian) {
  InputTranslator t;
  auto rel = t.translate(packet(0x07, {0xFF, 0xFE, 0x00, 0x05}));  // dx -2, dy 5
  ASSERT_EQ(rel.size(), 1u);
  EXPECT_EQ(rel[0].x, -2);
  EXPECT_EQ(rel[0].y, 5);
  // Absolute: x 959 of 1920 (ref - 1 = 1919), y 0 of 1080.
  auto abs = t.translate(packet(0x05, {0x03, 0xBF, 0, 0, 0, 0, 0x07, 0x7F, 0x04, 0x37}));
  ASSERT_EQ(abs.size(), 1u);
  EXPECT_NEAR(abs[0].x, 32750, 30);
  EXPECT_EQ(abs[0].y, 0);
  EXPECT_TRUE(t.translate(packet(0x05, {0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0})).empty());  // ref 0
  auto b = t.translate(packet(0x08, {3}));
  EXPECT_EQ(b[0].code, uint32_t{BTN_RIGHT});
  auto s = t.translate(packet(0x0A, {0xFF, 0x88, 0xFF, 0x88, 0, 0}));  // -120: one notch down
  EXPECT_EQ(s[0].y, -120);
  EXPECT_EQ(t.translate(packet(0x55000001, {0, 60}))[0].x, 60);
}

TEST(GsInputTest, GamepadSnapshotsBecomeChanges) {
  InputTranslator t;
  auto state = [](uint16_t buttons, uint8_t lt, int16_t ly, uint16_t mask = 1) {
    std::vector<uint8_t> b(26, 0);
    b[0] = 0x1A;
    b[2] = 0;  // controller 0
    b[4] = static_cast<uint8_t>(mask);
    b[6] = 0x14;
    b[8] = static_cast<uint8_t>(buttons);
    b[9] = static_cast<uint8_t>(buttons >> 8);
    b[10] = lt;
    std::memcpy(&b[14], &ly, 2);  // left Y (little-endian on this machine)
    b[20] = 0x9C;
    b[24] = 0x55;
    return packet(0x0C, b);
  };
  auto a = t.translate(state(0x1000, 0, 0));  // A pressed
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, static_cast<uint8_t>(InputKind::kGamepadButton));
  EXPECT_EQ(a[0].code, uint32_t{BTN_SOUTH});
  EXPECT_EQ(a[0].flags, 1u);
  auto b = t.translate(state(0x1000, 200, 1000));  // trigger + stick up
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].code, uint32_t{ABS_Y});
  EXPECT_EQ(b[0].x, -1000);  // up on the wire = negative in evdev
  EXPECT_EQ(b[1].code, uint32_t{ABS_Z});
  EXPECT_EQ(b[1].x, 200);
  EXPECT_TRUE(t.translate(state(0x1000, 200, 1000)).empty());  // no change, no events
  auto gone = t.translate(state(0x1000, 200, 1000, 0));        // removed: all released
  EXPECT_EQ(gone.size(), 3u);
}

TEST(GsInputTest, TextTouchUnknownAndMalformed) {
  InputTranslator t;
  auto e = t.translate(packet(0x17, {0xE2, 0x82, 0xAC}));  // €
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].code, 0x20ACu);
  std::vector<uint8_t> touch(28, 0);
  touch[0] = 1;  // down
  touch[4] = 7;  // pointer 7
  const float x = 0.5f, y = 0.25f;
  std::memcpy(&touch[8], &x, 4);
  std::memcpy(&touch[12], &y, 4);
  auto tt = t.translate(packet(0x55000002, touch));
  ASSERT_EQ(tt.size(), 1u);
  EXPECT_EQ(tt[0].code, 7u);
  EXPECT_EQ(tt[0].x, 32767);
  EXPECT_TRUE(t.translate(packet(0x12345678, {1, 2})).empty());
  EXPECT_EQ(t.stats().unknown, 1u);
  EXPECT_TRUE(t.translate(std::vector<uint8_t>{0, 0, 0, 9, 3, 0, 0, 0}).empty());  // bad size
  EXPECT_TRUE(t.translate(packet(0x03, {0})).empty());                             // too short
  EXPECT_EQ(t.stats().malformed, 2u);
}

std::vector<uint8_t> floats_at(std::vector<uint8_t> body, size_t at, std::vector<float> fs);

TEST(GsInputTest, PenStrokes) {
  InputTranslator t;
  auto pen = [&](uint8_t type, uint8_t tool, uint8_t buttons, float x, float y, float pressure) {
    std::vector<uint8_t> body(28, 0);
    body[0] = type;
    body[1] = tool;
    body[2] = buttons;
    body[18] = 30;  // tilt, degrees
    return t.translate(packet(0x55000003, floats_at(body, 4, {x, y, pressure})));
  };
  auto d = pen(1, 1, 1, 0.5f, 0.25f, 0.5f);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, static_cast<uint8_t>(InputKind::kPen));
  EXPECT_EQ(d[0].code, 1u | 1u << 8 | 30u << 16);
  EXPECT_EQ(d[0].x, 32767);
  EXPECT_EQ(d[0].y, 16383);
  EXPECT_EQ(native::pen_event(d[0]), native::PenEvent::kDown);
  EXPECT_EQ(d[0].flags >> 16, 32768u);
  EXPECT_EQ(native::pen_event(pen(5, 1, 2, 0.5f, 0.5f, 0.f)[0]), native::PenEvent::kMove);
  EXPECT_TRUE(native::is_release(pen(2, 2, 0, 0.5f, 0.5f, 0.f)[0]));  // eraser lifted
  EXPECT_TRUE(pen(7, 1, 0, 0.5f, 0.5f, 0.f).empty());                 // cancel-all: unknown
  EXPECT_TRUE(pen(1, 1, 0, 2.f, 0.5f, 0.f).empty());                  // off the surface
  EXPECT_EQ(t.stats().malformed, 1u);
}

std::vector<uint8_t> floats_at(std::vector<uint8_t> body, size_t at, std::vector<float> fs) {
  for (float f : fs) {
    std::memcpy(&body[at], &f, 4);
    at += 4;
  }
  return body;
}

TEST(GsInputTest, ControllerArrivalTouchpadAndMotion) {
  InputTranslator t;
  // Pad 2 is a PlayStation pad with touchpad, accelerometer and gyro.
  auto a = t.translate(packet(0x55000004, {2, 2, 0x38, 0x00, 0, 0, 0, 0}));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, static_cast<uint8_t>(InputKind::kGamepadArrival));
  EXPECT_EQ(a[0].code, 2u << 16 | 2u);
  EXPECT_EQ(a[0].flags, native::kCapTouchpad | native::kCapAccel | native::kCapGyro);
  // A Steam controller has no layout of its own: unknown (an Xbox-style pad).
  EXPECT_EQ(t.translate(packet(0x55000004, {0, 4, 0, 0, 0, 0, 0, 0}))[0].code, 0u);

  // Finger 1 down at (0.25, 0.5), moved, lifted; hover and finger 2 are dropped.
  auto tp = [&](uint8_t type, uint8_t finger, float x, float y) {
    std::vector<uint8_t> body(20, 0);
    body[0] = 2;
    body[1] = type;
    body[4] = finger;
    return t.translate(packet(0x55000005, floats_at(body, 8, {x, y, 1.f})));
  };
  auto d = tp(1, 1, 0.25f, 0.5f);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, static_cast<uint8_t>(InputKind::kGamepadTouchpad));
  EXPECT_EQ(d[0].code, 2u << 16 | 1u);
  EXPECT_EQ(d[0].x, 16383);
  EXPECT_EQ(d[0].y, 32767);
  EXPECT_EQ(d[0].flags, 0u);
  EXPECT_EQ(tp(3, 1, 0.3f, 0.5f)[0].flags, 1u);
  EXPECT_EQ(tp(2, 1, 0.3f, 0.5f)[0].flags, 2u);
  EXPECT_EQ(tp(4, 1, 0.3f, 0.5f)[0].flags, 2u) << "cancel lifts the finger";
  EXPECT_TRUE(tp(0, 1, 0.3f, 0.5f).empty());
  EXPECT_TRUE(tp(1, 2, 0.3f, 0.5f).empty());
  EXPECT_TRUE(tp(1, 0, 1.5f, 0.5f).empty());  // off the pad: malformed

  // Gravity on the accelerometer, a turn on the gyro: thousandths.
  auto m =
      t.translate(packet(0x55000006, floats_at({2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 4,
                                               {0.f, -9.81f, 0.5f})));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].kind, static_cast<uint8_t>(InputKind::kGamepadMotion));
  EXPECT_EQ(m[0].code, 2u << 16 | native::kSensorAccel);
  EXPECT_EQ(m[0].x, 0);
  EXPECT_EQ(m[0].y, -9810);
  EXPECT_EQ(static_cast<int32_t>(m[0].flags), 500);
  auto g =
      t.translate(packet(0x55000006, floats_at({2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 4,
                                               {-90.f, 0.f, 1e7f})));
  EXPECT_TRUE(g.empty()) << "out of any sensor's range: malformed";
  EXPECT_TRUE(
      t.translate(packet(0x55000006, floats_at({2, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 4,
                                               {0.f, 0.f, 0.f})))
          .empty());                                                // an unknown sensor
  EXPECT_TRUE(t.translate(packet(0x55000006, {2, 1, 0})).empty());  // too short
}

}  // namespace
}  // namespace pf::proto::gamestream
