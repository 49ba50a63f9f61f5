// SPDX-License-Identifier: MIT OR Apache-2.0
// The mic source at a real quantum of 480 with busy loops on every core (a
// loaded machine), beside the reference source. Its own test program, run
// alone (RUN_SERIAL): the burner would load every other test running beside it.
#include "host/audio/mic_test_support.h"

namespace pf::host {
namespace {

using MicLoadTest = testing::MicFixture;

TEST_F(MicLoadTest, ASineArrivesCleanAtQuantum480WithEveryCoreBusy) {
  testing::SineClient client(*mic_);
  testing::ReferenceSine reference;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  testing::CpuBurner burner;
  const auto [a, ref] = record_both("quantum 480, every core busy", 480, 8);
  EXPECT_EQ(mic_->stats().quantum_frames, 480u);
  expect_clean(a, ref, "quantum 480 under load");
}

}  // namespace
}  // namespace pf::host
