// SPDX-License-Identifier: MIT OR Apache-2.0
// The real xdg-desktop-portal with a stand-in backend (tests/portal) that
// shares a virtual monitor of the headless Mutter the test starts: the host's
// portal client gets a session, the stream's node and size, and a PipeWire
// connection that sees the stream, and captures it.
#include "host/capture/portal_screencast.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/clock.h"
#include "host/app/spike.h"
#include "host/capture/capture_thread.h"
#include "host/capture/pw_video_capture.h"
#include "host/vdisplay/mutter_test_env.h"

namespace pf::host {
namespace {

using std::chrono::milliseconds;

class PortalTest : public testing::MutterEnv {
 protected:
  void SetUp() override {
    MutterEnv::SetUp();
    if (HasFatalFailure())
      return;
    const std::string dir = PF_SOURCE_DIR "/tests/portal";
    // Debian's Python (python3-dbus, python3-gi), whatever else is on PATH.
    backend_ =
        testing::spawn_quiet({"/usr/bin/python3", dir + "/fake_portal_backend.py", "1280", "720"});
    ASSERT_GT(backend_, 0);
    bool up = false;
    for (int i = 0; i < 100 && !up; ++i) {
      up = std::system(
               "busctl --user call org.freedesktop.DBus /org/freedesktop/DBus "
               "org.freedesktop.DBus NameHasOwner s "
               "org.freedesktop.impl.portal.desktop.punktfunktest 2>/dev/null | "
               "grep -q true") == 0;
      if (!up)
        std::this_thread::sleep_for(milliseconds(50));
    }
    ASSERT_TRUE(up) << "the stand-in portal backend did not come up (python3-dbus, python3-gi)";
    ::setenv("XDG_DESKTOP_PORTAL_DIR", dir.c_str(), 1);
    ::setenv("XDG_CURRENT_DESKTOP", "punktfunktest", 1);
    frontend_ = testing::spawn_quiet({"/usr/libexec/xdg-desktop-portal", "--replace"});
    ::unsetenv("XDG_DESKTOP_PORTAL_DIR");
    ::unsetenv("XDG_CURRENT_DESKTOP");
    ASSERT_GT(frontend_, 0)
        << "cannot start xdg-desktop-portal (Debian package xdg-desktop-portal)";
    for (int i = 0; i < 100; ++i) {
      if (PortalScreenCast::probe().available)
        return;
      std::this_thread::sleep_for(milliseconds(50));
    }
    FAIL() << PortalScreenCast::probe().reason;
  }
  void TearDown() override {
    for (pid_t p : {frontend_, backend_})
      if (p > 0) {
        ::kill(p, SIGTERM);
        ::waitpid(p, nullptr, 0);
      }
    // The frontend has D-Bus start the document portal (a FUSE mount in the
    // runtime directory) and the permission store: stop the ones of this
    // test's runtime directory and unmount, so the directory can go.
    stop_activated_services();
    (void)std::system(("fusermount3 -u -z '" + (dir_ / "doc").string() + "' 2>/dev/null").c_str());
    MutterEnv::TearDown();
  }
  void stop_activated_services() const {
    namespace fs = std::filesystem;
    const std::string mine = "XDG_RUNTIME_DIR=" + dir_.string();
    for (const auto& e : fs::directory_iterator("/proc")) {
      const std::string pid = e.path().filename().string();
      if (pid.find_first_not_of("0123456789") != std::string::npos)
        continue;
      std::ifstream comm(e.path() / "comm");
      std::string name;
      std::getline(comm, name);
      if (name != "xdg-document-po" && name != "xdg-permission-" && name != "xdg-document-portal" &&
          name != "xdg-permission-store")
        continue;
      std::ifstream env(e.path() / "environ");
      std::string var;
      while (std::getline(env, var, '\0'))
        if (var == mine) {
          ::kill(std::stoi(pid), SIGTERM);
          break;
        }
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  pid_t backend_ = -1, frontend_ = -1;
};

TEST(PortalProbeTest, NoBusIsAClearVerdict) {
  const char* saved = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  ::setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/pf-bus", 1);
  EXPECT_FALSE(PortalScreenCast::probe().available);
  EXPECT_FALSE(PortalScreenCast::start({}));
  if (saved)
    ::setenv("DBUS_SESSION_BUS_ADDRESS", saved, 1);
  else
    ::unsetenv("DBUS_SESSION_BUS_ADDRESS");
}

TEST_F(PortalTest, ASharedMonitorIsCapturedThroughThePortalsPipeWireConnection) {
  const ProbeVerdict v = PortalScreenCast::probe();
  EXPECT_NE(v.reason.find("version"), std::string::npos) << v.reason;
  PortalScreenCast::Options o;
  o.start_timeout = milliseconds(10000);
  auto cast = PortalScreenCast::start(o);
  ASSERT_TRUE(cast) << cast.error().to_string();
  EXPECT_GT((*cast)->node(), 0u);
  EXPECT_EQ((*cast)->width(), 1280);
  EXPECT_EQ((*cast)->height(), 720);
  // The frontend keeps the grant and hands out a token for next time.
  EXPECT_FALSE((*cast)->restore_token().empty());
  const int fd = (*cast)->take_remote();
  ASSERT_GE(fd, 0);
  EXPECT_EQ((*cast)->take_remote(), -1) << "the connection is handed out once";
  auto cap = PwVideoCapture::open((*cast)->node(), (*cast)->width(), (*cast)->height(), 30,
                                  milliseconds(10000), fd);
  ASSERT_TRUE(cap) << cap.error().to_string();
  {
    CaptureThread thread(std::move(*cap), 30);
    for (int i = 0; i < 5; ++i) {
      const YuvFrame* f = thread.acquire(milliseconds(5000));
      ASSERT_NE(f, nullptr) << thread.failure();
      EXPECT_EQ(f->width, 1280);
      EXPECT_EQ(f->height, 720);
      thread.release();
    }
  }

  // The session ends with the object; the token starts the next one.
  o.restore_token = (*cast)->restore_token();
  cast->reset();
  auto again = PortalScreenCast::start(o);
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_GT((*again)->node(), 0u);
  auto cap2 = PwVideoCapture::open((*again)->node(), 1280, 720, 30, milliseconds(10000),
                                   (*again)->take_remote());
  EXPECT_TRUE(cap2) << cap2.error().to_string();
}

TEST_F(PortalTest, TheSpikeRunsOnWhatThePortalShares) {
  SpikeOptions o;
  o.source = SpikeSource::kPortal;
  o.width = 640;  // the portal's size wins
  o.height = 480;
  o.fps = 30;
  o.seconds = 1.0;
  o.loss_percent = 0;
  auto r = run_spike(o, SteadyClock::instance());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->frames, 30u);
  EXPECT_EQ(r->au_intact, r->frames);
  EXPECT_EQ(r->au_mismatched, 0u);
  EXPECT_NE(r->source_name.find("portal node"), std::string::npos) << r->source_name;
}

}  // namespace
}  // namespace pf::host
