// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "host/gamestream/apps.h"
#include "host/gamestream/client_store.h"
#include "host/gamestream/identity.h"
#include "host/gamestream/pin_broker.h"
#include "proto/gamestream/launch.h"
#include "proto/gamestream/pairing.h"

// The nvhttp API (gamestream-protocol.md sections 2 and 3) as a request
// handler: request in, response out, no sockets (http_server.h carries it over
// HTTP and HTTPS). Thread-safe: the HTTP servers call it from several threads;
// the phase-1 pairing request blocks its thread until the host user enters the
// PIN (other requests keep being served).
namespace pf::host::gamestream {

struct NvHttpRequest {
  std::string path;   // "/serverinfo"
  std::string query;  // raw, after '?'
  bool https = false;
  std::string client_cert_pem;  // HTTPS: what the client presented ("" = none)
  std::string local_address;    // the host address the client connected to
  std::string remote_address;   // the client's address
};

struct NvHttpResponse {
  int http_status = 200;
  std::string content_type = "application/xml";
  std::string body;
};

struct NvHttpConfig {
  std::string host_name = "punktfunk";
  uint16_t http_port = 47989;
  uint16_t https_port = 47984;
  uint16_t rtsp_port = 48010;
  // ServerCodecModeSupport: what the encoders can do (H.264 = 0x1).
  uint32_t codec_modes = 0x1;
  // Whether the host streams HDR (HEVC Main10 BT.2020 PQ and the 0x010e
  // message): only where its pictures are HDR (the synthetic HDR test source;
  // desktop captures are SDR). Without it no app is offered as HDR even if
  // apps.toml says `hdr = true` (a client would turn on HDR and get SDR).
  bool hdr_encode = false;
  std::string mac = "00:00:00:00:00:00";
  // serverinfo's `gputype` (informational; e.g. "software (x264)").
  std::string gpu_type;
  // serverinfo's SupportedDisplayMode list: every session gets a virtual
  // display of exactly its mode, so these are the common modes up to the
  // encoder's limit (clients started with "-nounsupported" pick from them).
  struct Mode {
    int width, height, fps;
  };
  std::vector<Mode> display_modes = default_display_modes(4096, 2304);
  static std::vector<Mode> default_display_modes(int max_width, int max_height);
  std::chrono::milliseconds pin_timeout{std::chrono::minutes(2)};
  // A pairing idle this long is abandoned (the client's phases 2-5 time out
  // after 5 s; this is generous).
  std::chrono::milliseconds pairing_idle_timeout{std::chrono::minutes(1)};
};

// What /launch or /resume left for the streaming part (RTSP) to pick up.
struct LaunchSession {
  proto::gamestream::LaunchRequest request;
  std::string client_cert_pem;
  std::string client_name;
  std::string rtsp_url;
  std::chrono::steady_clock::time_point at;
  uint64_t id = 0;             // unique per launch
  std::string client_address;  // where /launch came from (plain RTSP is matched by it)
};

class NvHttp {
 public:
  NvHttp(NvHttpConfig config,
         HostIdentity identity,
         ClientStore* clients,
         AppStore* apps,
         PinBroker* pins);

  NvHttpResponse handle(const NvHttpRequest& request);
  // The /applist XML for `store` (apps offered as HDR only when the host can
  // encode it).
  static std::string applist_xml(AppStore& store, const NvHttpConfig& config);

  // Called (from a request thread) when a client waits for the PIN.
  void on_pin_needed(std::function<void(const std::string& device)> fn) {
    on_pin_needed_ = std::move(fn);
  }
  // Called when a client got paired.
  void on_paired(std::function<void(const PairedClient&)> fn) { on_paired_ = std::move(fn); }
  // Called for /launch and /resume before answering: prepares the session's
  // media (e.g. a virtual display of the requested mode). An error makes the
  // request fail with 503 and the message.
  void on_launch(std::function<Status(const LaunchSession&)> fn) { on_launch_ = std::move(fn); }
  // Called for /cancel (the app is to be closed, its media released).
  // The argument: the cancelling client's certificate.
  void on_cancel(std::function<void(const std::string& client_cert_pem)> fn) {
    on_cancel_ = std::move(fn);
  }

  // The ports actually bound (when the config asked for 0 = any).
  void set_ports(uint16_t http_port, uint16_t https_port, uint16_t rtsp_port) {
    std::lock_guard lock(mu_);
    config_.http_port = http_port;
    config_.https_port = https_port;
    config_.rtsp_port = rtsp_port;
  }

  // The launches waiting for their RTSP handshake, oldest first: one per
  // client (its newest), each for kPendingLaunchTtl at most.
  std::vector<LaunchSession> pending_launches() const;
  // The launch's handshake is done (PLAY): it is no longer pending.
  void launch_played(uint64_t launch_id);
  static constexpr std::chrono::seconds kPendingLaunchTtl{30};
  // The app a client's session runs (0 = none): what the provider says (the
  // host's sessions), else what this client launched and did not cancel.
  uint32_t current_app(const std::string& client_cert_pem) const;
  void set_current_app_provider(std::function<uint32_t(const std::string& cert)> fn) {
    std::lock_guard lock(mu_);
    current_app_provider_ = std::move(fn);
  }
  AppList apps() const { return apps_->list(); }
  const NvHttpConfig& config() const { return config_; }

 private:
  NvHttpResponse serverinfo(const NvHttpRequest& r, bool paired);
  NvHttpResponse pair(const NvHttpRequest& r, const proto::gamestream::QueryParams& q);
  NvHttpResponse pair_getservercert(const proto::gamestream::QueryParams& q);
  NvHttpResponse applist();
  NvHttpResponse appasset(const proto::gamestream::QueryParams& q);
  NvHttpResponse launch(const NvHttpRequest& r,
                        const proto::gamestream::QueryParams& q,
                        bool resume,
                        const std::string& client_name);
  NvHttpResponse cancel(const NvHttpRequest& r);

  NvHttpConfig config_;
  HostIdentity identity_;
  ClientStore* clients_;
  AppStore* apps_;
  PinBroker* pins_;
  std::function<void(const std::string&)> on_pin_needed_;
  std::function<void(const PairedClient&)> on_paired_;
  std::function<Status(const LaunchSession&)> on_launch_;
  std::function<void(const std::string&)> on_cancel_;
  std::mutex launch_mu_;  // one /launch, /resume or /cancel at a time

  mutable std::mutex mu_;
  std::optional<proto::gamestream::HostPairing> pairing_;
  uint64_t pairing_generation_ = 0;
  std::chrono::steady_clock::time_point pairing_touched_{};
  std::map<std::string, uint32_t> apps_by_client_;  // client id -> app (no provider)
  std::function<uint32_t(const std::string&)> current_app_provider_;
  std::map<std::string, LaunchSession> pending_;  // by client id
  uint64_t next_launch_id_ = 1;
};

}  // namespace pf::host::gamestream
