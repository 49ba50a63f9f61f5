// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once
// A real headless GNOME Mutter for tests: a private D-Bus and PipeWire
// (PipeWireEnv), then `mutter --headless` with its ScreenCast and
// RemoteDesktop APIs on that bus.

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "host/audio/pw_test_env.h"
#include "host/vdisplay/mutter_display.h"

namespace pf::host::testing {

class MutterEnv : public PipeWireEnv {
 protected:
  void SetUp() override {
    PipeWireEnv::SetUp();
    if (HasFatalFailure())
      return;
    mutter_ = testing::spawn_quiet(
        {"mutter", "--headless", "--wayland", "--no-x11", "--wayland-display", "pf-mutter-test"});
    ASSERT_GT(mutter_, 0) << "cannot start mutter (Debian package mutter)";
    for (int i = 0; i < 100; ++i) {
      if (MutterDisplay::probe().available)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "mutter did not come up: " << MutterDisplay::probe().reason;
  }
  void TearDown() override {
    if (mutter_ > 0) {
      ::kill(mutter_, SIGTERM);
      ::waitpid(mutter_, nullptr, 0);
    }
    PipeWireEnv::TearDown();
  }
  pid_t mutter_ = -1;
};

}  // namespace pf::host::testing
