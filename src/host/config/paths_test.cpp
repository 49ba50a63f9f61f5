// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/config/paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace pf::host {
namespace {

namespace fs = std::filesystem;

TEST(PathsTest, XdgVariablesDecide) {
  ::setenv("XDG_STATE_HOME", "/s", 1);
  ::setenv("XDG_CONFIG_HOME", "/c", 1);
  ::setenv("XDG_RUNTIME_DIR", "/r", 1);
  auto p = Paths::from_environment();
  EXPECT_EQ(p.state, "/s/punktfunk");
  EXPECT_EQ(p.config, "/c/punktfunk");
  EXPECT_EQ(p.control_socket(), "/r/punktfunk/control.sock");
  ::unsetenv("XDG_STATE_HOME");
  ::unsetenv("XDG_CONFIG_HOME");
  ::unsetenv("XDG_RUNTIME_DIR");
  ::setenv("HOME", "/home/u", 1);
  p = Paths::from_environment();
  EXPECT_EQ(p.state, "/home/u/.local/state/punktfunk");
  EXPECT_EQ(p.config, "/home/u/.config/punktfunk");
  EXPECT_EQ(p.runtime.string().rfind("/tmp/punktfunk-", 0), 0u);
}

}  // namespace
}  // namespace pf::host
