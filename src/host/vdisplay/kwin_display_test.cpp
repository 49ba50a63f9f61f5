// SPDX-License-Identifier: MIT OR Apache-2.0
// Real KWin: the test starts a headless KWin with PipeWire, asks it for
// virtual outputs through its screencast protocol and captures them.
#include "host/vdisplay/kwin_display.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

#include "host/capture/capture_thread.h"
#include "host/capture/pw_video_capture.h"
#include "host/vdisplay/kwin_test_env.h"
#include "host/vdisplay/mutter_display.h"
#include "host/wayland/wl_connection.h"

namespace pf::host {
namespace {

using std::chrono::milliseconds;

std::vector<std::string> kwin_outputs() {
  auto c = wayland::Connection::connect({}, milliseconds(2000));
  return c ? (*c)->output_names() : std::vector<std::string>{};
}

TEST(KwinDisplayProbeTest, NoCompositorIsAClearVerdict) {
  const char* saved = std::getenv("WAYLAND_DISPLAY");
  ::setenv("WAYLAND_DISPLAY", "/nonexistent/wayland-5", 1);
  const ProbeVerdict v = KwinDisplay::probe();
  EXPECT_FALSE(v.available);
  EXPECT_NE(v.reason.find("/nonexistent/wayland-5"), std::string::npos) << v.reason;
  EXPECT_FALSE(KwinDisplay::create({640, 480, 30}, milliseconds(300)));
  if (saved)
    ::setenv("WAYLAND_DISPLAY", saved, 1);
  else
    ::unsetenv("WAYLAND_DISPLAY");
}

using KwinOutputTest = testing::KwinEnv;

TEST_F(KwinOutputTest, HeadlessKWinRefusesVirtualOutputsWithItsReason) {
  // KWin makes virtual outputs on its DRM backend (a real desktop); its
  // headless backend cannot, and says so through the protocol.
  auto d = KwinDisplay::create({1280, 720, 30});
  ASSERT_FALSE(d) << "KWin's virtual backend made a virtual output: test the whole path now";
  EXPECT_EQ(d.error().code(), StatusCode::kUnavailable);
  EXPECT_NE(d.error().message().find("KWin could not make a virtual output: Could not find output"),
            std::string::npos)
      << d.error().message();
  EXPECT_FALSE(KwinDisplay::create({0, 720, 30}));
}

TEST_F(KwinOutputTest, AnExistingOutputIsStreamedAtItsSizeOverPipeWire) {
  const auto names = kwin_outputs();
  ASSERT_EQ(names.size(), 1u);
  auto d = KwinDisplay::share_output(names[0], 30);
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ((*d)->backend(), "kwin");
  EXPECT_EQ((*d)->output_name(), names[0]);
  EXPECT_EQ((*d)->mode(), (DisplayMode{1280, 720, 30}));
  EXPECT_EQ(pipewire_node_of((*d)->address()), (*d)->node_id());
  // KWin made a PipeWire stream of the output, and a consumer that connects
  // gets it to streaming with buffers of the output's size. (KWin's headless
  // backend then records no frames: it never repaints for the screencast, so
  // the pictures themselves are untested here; kwin.log shows the stream.)
  std::string info;
  for (int i = 0; i < 50 && info.find("kwin_wayland") == std::string::npos; ++i) {
    FILE* p = ::popen(("pw-cli info " + std::to_string((*d)->node_id()) + " 2>&1").c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[4096];
    info.clear();
    while (size_t n = std::fread(buf, 1, sizeof(buf), p))
      info.append(buf, n);
    ::pclose(p);
    if (info.find("kwin_wayland") == std::string::npos)
      std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_NE(info.find("Stream/Output/Video"), std::string::npos) << info;
  // A consumer connecting: negotiation, buffers, streaming (then no picture).
  (void)PwVideoCapture::open((*d)->node_id(), 1280, 720, 30, milliseconds(2000));
  std::ifstream log(dir_ / "kwin.log");
  const std::string kwin_log((std::istreambuf_iterator<char>(log)),
                             std::istreambuf_iterator<char>());
  EXPECT_NE(kwin_log.find("memfd: created successfully"), std::string::npos) << kwin_log;
  EXPECT_NE(kwin_log.find("->  streaming"), std::string::npos) << kwin_log;
  EXPECT_EQ((*d)->resize({1920, 1080, 30}).code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(KwinDisplay::share_output("NOPE-1", 30));
}

}  // namespace
}  // namespace pf::host
