// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "base/status.h"

// The running host's local control socket (a Unix stream socket in the
// runtime directory, mode 0600): one text line in ("pin 1234"), one line out
// ("ok ..." or "error ..."). `punktfunk-host pin 1234` uses it.
namespace pf::host {

class ControlServer {
 public:
  using Handler = std::function<std::string(const std::string& line)>;
  static Result<std::unique_ptr<ControlServer>> start(const std::filesystem::path& socket_path,
                                                      Handler handler);
  ~ControlServer();

 private:
  ControlServer() = default;
  void loop();

  int fd_ = -1;
  int wake_[2] = {-1, -1};
  std::filesystem::path path_;
  Handler handler_;
  std::thread thread_;
};

// Sends one line to a running host and returns its answer line.
Result<std::string> control_request(const std::filesystem::path& socket_path,
                                    const std::string& line,
                                    int timeout_ms = 5000);

}  // namespace pf::host
