// SPDX-License-Identifier: MIT OR Apache-2.0
// The kernel effect translation (the ioctl sequence itself needs a real
// /dev/uinput, which this machine lacks).
#include "host/input/uinput_ff_device.h"

#include <gtest/gtest.h>

namespace pf::host {
namespace {

TEST(UinputFfDeviceTest, KernelEffectsBecomeMotorStrengths) {
  ff_effect e{};
  e.type = FF_RUMBLE;
  e.id = 3;
  e.u.rumble.strong_magnitude = 0xABCD;
  e.u.rumble.weak_magnitude = 0x1234;
  e.replay.length = 250;
  e.replay.delay = 20;
  FfEffect r = effect_from_kernel(e);
  EXPECT_EQ(r.kind, FfEffect::Kind::kRumble);
  EXPECT_EQ(r.strong, 0xABCD);
  EXPECT_EQ(r.weak, 0x1234);
  EXPECT_EQ(r.length_ms, 250);
  EXPECT_EQ(r.delay_ms, 20);

  e = {};
  e.type = FF_PERIODIC;
  e.u.periodic.waveform = FF_SINE;
  e.u.periodic.magnitude = -0x3000;  // a negative magnitude is as strong
  FfEffect p = effect_from_kernel(e);
  EXPECT_EQ(p.kind, FfEffect::Kind::kPeriodic);
  EXPECT_EQ(p.strong, 0x6000);
  EXPECT_EQ(p.weak, 0x6000);
  e.u.periodic.magnitude = 0x7FFF;
  EXPECT_EQ(effect_from_kernel(e).strong, 0xFFFE);

  e = {};
  e.type = FF_SPRING;
  EXPECT_EQ(effect_from_kernel(e).kind, FfEffect::Kind::kOther);
}

}  // namespace
}  // namespace pf::host
