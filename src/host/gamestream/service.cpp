// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/service.h"

#include "base/log.h"

namespace pf::host::gamestream {

Result<std::unique_ptr<Service>> Service::start(const ServiceOptions& o) {
  if (auto st = o.paths.ensure(); !st.is_ok())
    return tl::unexpected(st);
  std::unique_ptr<Service> s(new Service());
  auto id = HostIdentity::load_or_create(o.paths.state);
  if (!id)
    return tl::unexpected(id.error());
  s->identity_ = std::move(*id);
  auto store = ClientStore::open(o.paths.state / "clients.json");
  if (!store)
    return tl::unexpected(store.error());
  s->clients_ = std::move(*store);
  auto apps = AppList::load(o.paths.config / "apps.toml");
  if (!apps)
    return tl::unexpected(apps.error());
  log_info("apps: {} ({})", apps->apps().size(), (o.paths.config / "apps.toml").string());
  s->nvhttp_ = std::make_unique<NvHttp>(o.nvhttp, s->identity_, s->clients_.get(), std::move(*apps),
                                        &s->pins_);
  auto servers = HttpServers::start(s->nvhttp_.get(), s->identity_, o.bind_address,
                                    o.nvhttp.http_port, o.nvhttp.https_port);
  if (!servers)
    return tl::unexpected(servers.error());
  s->servers_ = std::move(*servers);
  proto::gamestream::RtspSessionConfig rc;
  rc.audio_port = static_cast<uint16_t>(o.nvhttp.http_port == 0 ? 0 : o.nvhttp.http_port + 11);
  rc.video_port = static_cast<uint16_t>(o.nvhttp.http_port == 0 ? 0 : o.nvhttp.http_port + 9);
  rc.control_port = static_cast<uint16_t>(o.nvhttp.http_port == 0 ? 0 : o.nvhttp.http_port + 10);
  Service* self = s.get();
  auto rtsp = RtspServer::start(
      o.bind_address, o.nvhttp.rtsp_port, rc, [self] { return self->nvhttp_->launch_session(); },
      [self](const StreamStart& start) {
        std::lock_guard lock(self->play_mu_);
        if (self->on_play_)
          self->on_play_(start);
      });
  if (!rtsp)
    return tl::unexpected(rtsp.error());
  s->rtsp_ = std::move(*rtsp);
  s->nvhttp_->set_ports(s->servers_->http_port(), s->servers_->https_port(), s->rtsp_->port());
  log_info("GameStream: HTTP on {}:{}, HTTPS {}, RTSP {}, host id {}", o.bind_address,
           s->servers_->http_port(), s->servers_->https_port(), s->rtsp_->port(),
           s->identity_.unique_id);
  if (o.mdns)
    s->mdns_ = MdnsPublisher::start(o.nvhttp.host_name, s->servers_->http_port());
  return s;
}

Service::~Service() {
  pins_.cancel();
  rtsp_.reset();
  if (servers_)
    servers_->stop();
}

}  // namespace pf::host::gamestream
