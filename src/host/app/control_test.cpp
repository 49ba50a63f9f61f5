// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/control.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

namespace pf::host {
namespace {

namespace fs = std::filesystem;

TEST(ControlTest, RequestReachesTheHandler) {
  const fs::path sock =
      fs::temp_directory_path() / ("pf-ctl-" + std::to_string(getpid()) + ".sock");
  // A stale socket file from a dead host is replaced.
  std::ofstream(sock.string()) << "stale";
  auto server = ControlServer::start(sock, [](const std::string& line) {
    return line == "pin 1234" ? std::string("ok PIN delivered") : "error unknown command";
  });
  ASSERT_TRUE(server) << server.error().to_string();
  EXPECT_EQ(*control_request(sock, "pin 1234"), "ok PIN delivered");
  EXPECT_EQ(*control_request(sock, "bogus"), "error unknown command");
  // A second host refuses to take over a live socket.
  auto second = ControlServer::start(sock, [](const std::string&) { return std::string(); });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), StatusCode::kAlreadyExists);
  server->reset();
  EXPECT_FALSE(fs::exists(sock));
  auto none = control_request(sock, "pin 1");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("no running punktfunk-host"), std::string::npos);
}

}  // namespace
}  // namespace pf::host
