// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "host/config/paths.h"
#include "host/gamestream/client_store.h"
#include "host/gamestream/http_server.h"
#include "host/gamestream/mdns.h"
#include "host/gamestream/nvhttp.h"
#include "host/gamestream/pin_broker.h"
#include "host/gamestream/rtsp_server.h"
#include "host/gamestream/streamer.h"

namespace pf::host::gamestream {

struct ServiceOptions {
  Paths paths;
  std::string bind_address = "0.0.0.0";
  NvHttpConfig nvhttp;  // ports, host name, codec modes
  bool mdns = true;
};

// The GameStream control plane, part 1, assembled: identity, paired clients,
// apps, nvhttp over HTTP and HTTPS, and the mDNS announcement.
class Service {
 public:
  static Result<std::unique_ptr<Service>> start(const ServiceOptions& options);
  ~Service();

  NvHttp& nvhttp() { return *nvhttp_; }
  PinBroker& pins() { return pins_; }
  ClientStore& clients() { return *clients_; }
  AppStore& apps() { return *apps_; }
  const HostIdentity& identity() const { return identity_; }
  uint16_t http_port() const { return servers_->http_port(); }
  uint16_t https_port() const { return servers_->https_port(); }
  uint16_t rtsp_port() const { return rtsp_->port(); }
  uint16_t video_port() const { return streamer_->video_port(); }
  uint16_t control_port() const { return streamer_->control_port(); }
  Streamer& streamer() { return *streamer_; }
  // Called when a client completed the RTSP handshake (PLAY), before
  // streaming starts.
  void on_stream_start(RtspServer::PlayHandler fn) {
    std::lock_guard lock(play_mu_);
    on_play_ = std::move(fn);
  }
  // What a stream gets from its session (picture, input, audio sink);
  // without a provider, the synthetic source and the input sink.
  void set_media_provider(std::function<StreamMedia(const StreamStart&)> fn) {
    std::lock_guard lock(play_mu_);
    media_ = std::move(fn);
  }
  // Called on /cancel after the client's stream stopped (end its session);
  // the argument is the cancelling client's certificate.
  void on_cancel(std::function<void(const std::string& client_cert_pem)> fn) {
    std::lock_guard lock(play_mu_);
    on_cancel_ = std::move(fn);
  }
  const MdnsPublisher* mdns() const { return mdns_.get(); }

 private:
  Service() = default;
  HostIdentity identity_;
  PinBroker pins_;
  std::unique_ptr<ClientStore> clients_;
  std::unique_ptr<AppStore> apps_;
  std::unique_ptr<NvHttp> nvhttp_;
  std::unique_ptr<HttpServers> servers_;
  std::unique_ptr<Streamer> streamer_;
  std::unique_ptr<RtspServer> rtsp_;
  std::mutex play_mu_;
  RtspServer::PlayHandler on_play_;
  std::function<StreamMedia(const StreamStart&)> media_;
  std::function<void(const std::string&)> on_cancel_;
  std::unique_ptr<MdnsPublisher> mdns_;
};

}  // namespace pf::host::gamestream
