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

// Each software encoder's speed at 1080p60, with the figure and what it means for the offer.
TEST(DoctorTest, CodecProbesSayWhatTheCpuHolds) {
  const auto probes = run_codec_probes();
  ASSERT_EQ(probes.size(), 3u);
  const char* backends[] = {"x264", "x265", "libaom"};
  for (size_t i = 0; i < probes.size(); ++i) {
    EXPECT_EQ(probes[i].subsystem, "codec");
    EXPECT_EQ(probes[i].backend, backends[i]);
    EXPECT_NE(probes[i].reason.find("ms a 1920x1080 frame here"), std::string::npos)
        << probes[i].reason;
    if (i > 0)  // HEVC and AV1: offered by themselves only where they hold it
      EXPECT_NE(probes[i].reason.find(probes[i].available ? "is offered (it holds 1080p60)"
                                                          : "only with software-codecs"),
                std::string::npos)
          << probes[i].reason;
  }
}

}  // namespace
}  // namespace pf::host
