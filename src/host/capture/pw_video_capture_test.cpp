// SPDX-License-Identifier: MIT OR Apache-2.0
// PwVideoCapture against a PipeWire video source the test runs: shared
// memory, and the DMA-BUF path (linear modifier, the fd mapped and read with
// the sync bracket) with memfds typed as DMA-BUFs (no GPU on this machine).
#include "host/capture/pw_video_capture.h"

#include <gtest/gtest.h>

#include "host/audio/pw_test_env.h"
#include "host/capture/pw_test_video_source.h"

namespace pf::host {
namespace {

using std::chrono::milliseconds;

// BGRx 0x00336699 (R 0x33, G 0x66, B 0x99) in BT.601 limited range.
constexpr int kY = 95, kU = 157, kV = 102;

class PwVideoCaptureTest : public testing::PipeWireEnv,
                           public ::testing::WithParamInterface<bool> {};

TEST_P(PwVideoCaptureTest, ReadsThePictureFromEitherKindOfBuffer) {
  const bool dmabuf = GetParam();
  testing::PwTestVideoSource src(320, 240, dmabuf, 0x00336699);
  ASSERT_TRUE(src.start().is_ok());
  auto cap = PwVideoCapture::open(src.node_id(), 320, 240, 30, milliseconds(5000));
  ASSERT_TRUE(cap) << cap.error().to_string();
  EXPECT_EQ(src.handed_out_dmabufs(), dmabuf);
  EXPECT_NE((*cap)->describe().find(dmabuf ? "DMA-BUF, linear" : "shared memory"),
            std::string::npos)
      << (*cap)->describe();
  YuvFrame f;
  for (uint32_t i = 1; i <= 5; ++i) {
    ASSERT_TRUE((*cap)->capture(i, 0, f).is_ok());
    ASSERT_EQ(f.width, 320);
    EXPECT_NEAR(f.y[120 * 320 + 160], kY, 2);
    EXPECT_NEAR(f.u[60 * 160 + 80], kU, 2);
    EXPECT_NEAR(f.v[60 * 160 + 80], kV, 2);
  }
  EXPECT_GT((*cap)->stats().buffers, 0u);
  if (dmabuf)
    EXPECT_GT((*cap)->stats().dmabufs_mapped, 0u) << "read through the DMA-BUF mapping";
  else
    EXPECT_EQ((*cap)->stats().dmabufs_mapped, 0u);
}

INSTANTIATE_TEST_SUITE_P(Buffers,
                         PwVideoCaptureTest,
                         ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "DmaBuf" : "SharedMemory"; });

}  // namespace
}  // namespace pf::host
