// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "proto/mgmt/requests.h"
#include "proto/native/peer_list.h"

namespace httplib {
class SSLServer;
}

// The management REST API, first part (issue "Management REST API"): HTTPS
// on loopback (port 47990 by default), JSON under /api/v1, every API request
// authorized with the bearer token from the state directory. Endpoints so
// far: status, pairing state, create a punktfunk/1 PIN, hand a waiting
// Moonlight pairing its PIN, list, rename and remove punktfunk/1 devices and
// Moonlight clients, list and end live sessions, the log tail, the backend
// probes (doctor); the spec is docs/api/openapi.yaml. `/` serves the web page
// (web/index.html, built into the binary): static, no data without the token,
// which the page takes from its URL fragment or a form. The host wires the
// backend callbacks.
//
// Thread model: cpp-httplib's worker threads call the backend concurrently;
// the callbacks must be thread-safe.
namespace pf::host::mgmt {

struct MgmtBackend {
  std::function<nlohmann::json()> status;
  std::function<std::string()> open_native_pin;
  std::function<std::optional<std::string>()> native_pin;
  std::function<std::vector<proto::native::PinnedPeer>()> native_devices;
  std::function<Result<size_t>(const std::string&)> remove_native_device;
  std::function<std::optional<std::string>()> gamestream_waiting;  // device waiting for a PIN
  std::function<bool(const std::string&)> submit_gamestream_pin;
  std::function<nlohmann::json()> sessions;             // an array of Session objects
  std::function<bool(const std::string&)> end_session;  // false: no such session
  std::function<nlohmann::json()> doctor;               // an array of Probe objects
  std::function<nlohmann::json()> gamestream_clients;   // an array of Device objects
  std::function<Result<size_t>(const std::string&)> remove_gamestream_client;
  // host.toml: {"file", "values"} / after an update; kInvalidArgument (400),
  // kFailedPrecondition (409: the file on disk must be fixed by hand).
  std::function<Result<nlohmann::json>()> config;
  std::function<Result<nlohmann::json>(const std::vector<proto::config::ConfigChange>&)>
      update_config;
  std::function<nlohmann::json()> apps;  // an array of App objects
  std::function<Result<nlohmann::json>(const proto::mgmt::AppRequest&)> add_app;
  std::function<Status(uint32_t)> remove_app;  // kNotFound, kFailedPrecondition (the last app)
  // Rename (id or id prefix, new name) -> the renamed Device object.
  std::function<Result<nlohmann::json>(const std::string&, const std::string&)>
      rename_native_device;
  std::function<Result<nlohmann::json>(const std::string&, const std::string&)>
      rename_gamestream_client;
};

struct MgmtOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 47990;  // 0 = any free port (tests)
  std::string token;
  std::string cert_pem, key_pem;  // the TLS identity
};

class MgmtServer {
 public:
  static Result<std::unique_ptr<MgmtServer>> start(const MgmtOptions& options, MgmtBackend backend);
  ~MgmtServer();
  uint16_t port() const { return port_; }

 private:
  MgmtServer() = default;
  // The routes, by group (mgmt_routes.cpp).
  void add_auth_check();
  void add_pairing_routes();
  void add_device_routes();
  void add_session_routes();
  void add_config_routes();
  void add_app_routes();
  void add_diagnostic_routes();
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  uint16_t port_ = 0;
  MgmtBackend backend_;
  std::string token_;
};

// The API token in `path` (64 hex digits, mode 0600), created on first use.
Result<std::string> load_or_create_token(const std::filesystem::path& path);

}  // namespace pf::host::mgmt
