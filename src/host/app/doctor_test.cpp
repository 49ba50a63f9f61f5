// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/doctor.h"

#include <gtest/gtest.h>

namespace pf::host {
namespace {

TEST(DoctorTest, EveryProbeExplainsItself) {
  auto probes = run_probes();
  ASSERT_GE(probes.size(), 5u);
  bool saw_x264 = false;
  for (const auto& p : probes) {
    EXPECT_FALSE(p.subsystem.empty());
    EXPECT_FALSE(p.backend.empty());
    EXPECT_FALSE(p.reason.empty()) << p.backend;
    if (p.backend == "x264") {
      saw_x264 = true;
      EXPECT_TRUE(p.available) << p.reason;  // the build depends on Debian's libavcodec
    }
  }
  EXPECT_TRUE(saw_x264);
}

}  // namespace
}  // namespace pf::host
