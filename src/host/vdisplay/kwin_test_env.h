// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once
// A real headless KWin for tests: `kwin_wayland --virtual` (llvmpipe
// OpenGL) on a private D-Bus with PipeWire (PipeWireEnv), with a desktop file
// that grants this test program KWin's screencast and fake-input interfaces,
// and WAYLAND_DISPLAY pointed at it.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "host/audio/pw_test_env.h"
#include "host/vdisplay/kwin_display.h"

namespace pf::host::testing {

class KwinEnv : public PipeWireEnv {
 protected:
  void SetUp() override {
    PipeWireEnv::SetUp();
    if (HasFatalFailure())
      return;
    namespace fs = std::filesystem;
    // A copy of kwin_wayland without the file capability Debian gives it
    // (cap_sys_resource), which a container may not grant at exec. Its name
    // must stay kwin_wayland: KWin's Qt platform plugin checks it.
    fs::create_directories(dir_ / "bin");
    std::error_code ec;
    fs::copy_file("/usr/bin/kwin_wayland", dir_ / "bin/kwin_wayland", ec);
    ASSERT_FALSE(ec) << "cannot copy kwin_wayland (Debian package kwin-wayland): " << ec.message();
    char exe[4096] = {};
    ASSERT_GT(::readlink("/proc/self/exe", exe, sizeof(exe) - 1), 0);
    fs::create_directories(dir_ / "data/applications");
    std::ofstream(dir_ / "data/applications/pf-test.desktop")
        << "[Desktop Entry]\nType=Application\nName=punktfunk test\nNoDisplay=true\nExec=" << exe
        << "\nX-KDE-Wayland-Interfaces=" << kKwinInterfaces << "\n";
    ::setenv("XDG_DATA_HOME", (dir_ / "data").c_str(), 1);
    ::setenv("QT_QPA_PLATFORM", "wayland-org.kde.kwin.qpa", 1);
    ::setenv("QT_LOGGING_RULES", "kwin_screencast*=true", 1);  // kwin.log says what the stream did
    // Its log goes to kwin.log in the test's directory.
    kwin_ = spawn_quiet({"sh", "-c",
                         "exec \"$0\" --virtual --width 1280 --height 720 --socket pf-kwin-test "
                         "--no-lockscreen --no-global-shortcuts --no-kactivities >\"$1\" 2>&1",
                         (dir_ / "bin/kwin_wayland").string(), (dir_ / "kwin.log").string()});
    ::unsetenv("QT_QPA_PLATFORM");
    ::unsetenv("QT_LOGGING_RULES");
    ASSERT_GT(kwin_, 0);
    const char* old = std::getenv("WAYLAND_DISPLAY");
    if (old)
      saved_wayland_ = old;
    ::setenv("WAYLAND_DISPLAY", "pf-kwin-test", 1);
    for (int i = 0; i < 150; ++i) {
      if (KwinDisplay::probe().available)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "KWin did not come up: " << KwinDisplay::probe().reason;
  }
  void TearDown() override {
    if (kwin_ > 0) {
      ::kill(kwin_, SIGTERM);
      for (int i = 0; i < 100 && ::waitpid(kwin_, nullptr, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ::kill(kwin_, SIGKILL);
      ::waitpid(kwin_, nullptr, WNOHANG);
    }
    if (saved_wayland_.empty())
      ::unsetenv("WAYLAND_DISPLAY");
    else
      ::setenv("WAYLAND_DISPLAY", saved_wayland_.c_str(), 1);
    ::unsetenv("XDG_DATA_HOME");
    PipeWireEnv::TearDown();
  }
  pid_t kwin_ = -1;
  std::string saved_wayland_;
};

}  // namespace pf::host::testing
