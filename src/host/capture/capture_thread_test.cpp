// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/capture_thread.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "host/capture/synthetic_source.h"
#include "host/capture/x11_capture.h"
#include "host/vdisplay/xvfb_display.h"

namespace pf::host {
namespace {

using std::chrono::milliseconds;

// Counts captures and can be told to fail; draws the synthetic pattern.
class ScriptedSource : public VideoSource {
 public:
  ScriptedSource(int w, int h, std::atomic<int>& captures, std::atomic<bool>& fail)
      : pattern_(w, h), captures_(captures), fail_(fail) {}
  int width() const override { return pattern_.width(); }
  int height() const override { return pattern_.height(); }
  std::string describe() const override { return "scripted"; }
  Status capture(uint32_t index, int64_t t, YuvFrame& out) override {
    if (fail_)
      return Status(StatusCode::kUnavailable, "display gone");
    ++captures_;
    pattern_.render(index, t, out);
    return Status::ok();
  }

 private:
  SyntheticSource pattern_;
  std::atomic<int>& captures_;
  std::atomic<bool>& fail_;
};

TEST(CaptureThreadTest, DeliversFramesInOrderAtTheFrameRate) {
  CaptureThread cap(std::make_unique<SyntheticSource>(320, 240), 100);
  EXPECT_EQ(cap.source().describe(), "synthetic pattern");
  uint32_t last = 0;
  int64_t last_time = 0;
  for (int i = 0; i < 20; ++i) {
    const YuvFrame* f = cap.acquire(milliseconds(2000));
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->width, 320);
    EXPECT_GT(f->index, last);  // newer every time (older ones may be skipped)
    EXPECT_GT(f->capture_time_ns, last_time);
    EXPECT_EQ(SyntheticSource::read_barcode(f->y.data(), 320, 240, 320), f->index);
    last = f->index;
    last_time = f->capture_time_ns;
    cap.release();
  }
  const CaptureStats s = cap.stats();
  EXPECT_GE(s.captured, 20u);
  EXPECT_GE(s.captured, s.skipped + 20);
  EXPECT_TRUE(cap.failure().empty());
}

TEST(CaptureThreadTest, ASlowConsumerGetsTheNewestFrameAndTheThreadStopsCapturing) {
  std::atomic<int> captures{0};
  std::atomic<bool> fail{false};
  CaptureThread cap(std::make_unique<ScriptedSource>(64, 64, captures, fail), 200,
                    ChromaSampling::k420, 3);
  const YuvFrame* f = cap.acquire(milliseconds(2000));
  ASSERT_NE(f, nullptr);
  const uint32_t held = f->index;
  // Hold the frame (an encoder stuck for 200 ms = 40 ticks): the ring fills
  // (the held slot plus two waiting) and the thread stops capturing.
  std::this_thread::sleep_for(milliseconds(200));
  const int captured_while_held = captures.load();
  EXPECT_LE(captured_while_held, static_cast<int>(held) + 2);
  EXPECT_GT(cap.stats().full, 10u);
  cap.release();
  // The next frame is the newest waiting one (or one captured just now); the
  // older ones are skipped.
  f = cap.acquire(milliseconds(2000));
  ASSERT_NE(f, nullptr);
  const uint32_t next = f->index;
  EXPECT_GE(next, held + 2);
  EXPECT_EQ(cap.stats().skipped, next - held - 1);
  cap.release();
  // Capturing resumes.
  f = cap.acquire(milliseconds(2000));
  ASSERT_NE(f, nullptr);
  EXPECT_GT(f->index, next);
  cap.release();
}

TEST(CaptureThreadTest, AFailingSourceEndsWithItsReason) {
  std::atomic<int> captures{0};
  std::atomic<bool> fail{false};
  CaptureThread cap(std::make_unique<ScriptedSource>(64, 64, captures, fail), 100);
  ASSERT_NE(cap.acquire(milliseconds(2000)), nullptr);
  fail = true;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (cap.acquire(milliseconds(50)) != nullptr && std::chrono::steady_clock::now() < until) {
  }
  EXPECT_EQ(cap.acquire(milliseconds(50)), nullptr);
  EXPECT_EQ(cap.failure(), "display gone");
}

TEST(CaptureThreadTest, NoFrameIsATimeoutNotAFailure) {
  std::atomic<int> captures{0};
  std::atomic<bool> fail{false};
  CaptureThread cap(std::make_unique<ScriptedSource>(64, 64, captures, fail), 1);
  ASSERT_NE(cap.acquire(milliseconds(2000)), nullptr);  // the first tick is immediate
  EXPECT_EQ(cap.acquire(milliseconds(30)), nullptr);    // the next is a second away
  EXPECT_TRUE(cap.failure().empty());
}

TEST(CaptureThreadTest, CapturesAnXvfbDisplayThroughTheRing) {
  auto d = XvfbDisplay::create({640, 480, 60});
  ASSERT_TRUE(d) << d.error().to_string();
  auto x11 = X11Capture::open((*d)->address());
  ASSERT_TRUE(x11) << x11.error().to_string();
  SyntheticSource pattern(640, 480);
  YuvFrame drawn;
  pattern.render(4242, 0, drawn);
  ASSERT_TRUE((*x11)->draw(drawn).is_ok());
  CaptureThread cap(std::move(*x11), 60);
  EXPECT_EQ(cap.source().describe(), "X11 " + (*d)->address() + " (XShm)");
  const YuvFrame* f = cap.acquire(milliseconds(2000));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(SyntheticSource::read_barcode(f->y.data(), 640, 480, 640), 4242u);
  cap.release();
}

}  // namespace
}  // namespace pf::host
