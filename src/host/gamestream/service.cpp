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
  auto apps = AppStore::open(o.paths.config / "apps.toml");
  if (!apps)
    return tl::unexpected(apps.error());
  s->apps_ = std::move(*apps);
  log_info("apps: {} ({})", s->apps_->list().apps().size(),
           (o.paths.config / "apps.toml").string());
  s->nvhttp_ = std::make_unique<NvHttp>(o.nvhttp, s->identity_, s->clients_.get(), s->apps_.get(),
                                        &s->pins_);
  auto servers = HttpServers::start(s->nvhttp_.get(), s->identity_, o.bind_address,
                                    o.nvhttp.http_port, o.nvhttp.https_port);
  if (!servers)
    return tl::unexpected(servers.error());
  s->servers_ = std::move(*servers);
  const auto port_at = [&](int offset) {
    return static_cast<uint16_t>(o.nvhttp.http_port == 0 ? 0 : o.nvhttp.http_port + offset);
  };
  auto streamer = Streamer::create(o.bind_address, port_at(9), port_at(10), port_at(11));
  if (!streamer)
    return tl::unexpected(streamer.error());
  s->streamer_ = std::move(*streamer);
  proto::gamestream::RtspSessionConfig rc;
  // The streamer encodes with libx264 and answers an RFI with a P-frame that
  // references only frames before the loss: offer it, so Moonlight sends RFIs
  // instead of asking for keyframes. Pen/touch and controller touchpads are
  // translated (input.h), so Moonlight may send them.
  rc.caps.ref_pic_invalidation = true;
  rc.caps.feature_flags = 0x1 | 0x2;
  // HEVC and AV1 when serverinfo says so (the host probed its encoders).
  rc.caps.hevc = (o.nvhttp.codec_modes & 0x100) != 0;
  rc.caps.av1 = (o.nvhttp.codec_modes & 0x10000) != 0;
  rc.caps.h264_444 = (o.nvhttp.codec_modes & 0x40000) != 0;
  rc.caps.hevc_444 = (o.nvhttp.codec_modes & 0x80000) != 0;
  rc.caps.av1_444 = (o.nvhttp.codec_modes & 0x200000) != 0;
  rc.caps.hevc_hdr = o.nvhttp.hdr_encode && (o.nvhttp.codec_modes & 0x200) != 0;
  rc.audio_port = s->streamer_->audio_port();
  rc.video_port = s->streamer_->video_port();
  rc.control_port = s->streamer_->control_port();
  Service* self = s.get();
  s->nvhttp_->on_cancel([self](const std::string& cert) {
    self->streamer_->end(client_id(cert));  // other clients' streams go on
    std::function<void(const std::string&)> fn;
    {
      std::lock_guard lock(self->play_mu_);
      fn = self->on_cancel_;
    }
    if (fn)
      fn(cert);
  });
  auto rtsp = RtspServer::start(
      o.bind_address, o.nvhttp.rtsp_port, rc, [self] { return self->nvhttp_->pending_launches(); },
      [self](const StreamStart& start) {
        RtspServer::PlayHandler fn;
        std::function<StreamMedia(const StreamStart&)> media;
        {
          std::lock_guard lock(self->play_mu_);
          fn = self->on_play_;
          media = self->media_;
        }
        self->nvhttp_->launch_played(start.launch.id);
        if (fn)
          fn(start);
        if (auto st = self->streamer_->begin(start, media ? media(start) : StreamMedia{});
            !st.is_ok())
          log_warn("streaming: {}", st.message());
      });
  if (!rtsp)
    return tl::unexpected(rtsp.error());
  s->rtsp_ = std::move(*rtsp);
  s->nvhttp_->set_ports(s->servers_->http_port(), s->servers_->https_port(), s->rtsp_->port());
  log_info(
      "GameStream: HTTP on {}:{}, HTTPS {}, RTSP {}, video {}, control {}, audio {}, host id {}",
      o.bind_address, s->servers_->http_port(), s->servers_->https_port(), s->rtsp_->port(),
      s->streamer_->video_port(), s->streamer_->control_port(), s->streamer_->audio_port(),
      s->identity_.unique_id);
  if (o.mdns)
    s->mdns_ = MdnsPublisher::start(o.nvhttp.host_name, s->servers_->http_port());
  return s;
}

Service::~Service() {
  pins_.cancel();
  rtsp_.reset();
  if (streamer_)
    streamer_->end_all(proto::gamestream::kTerminateGraceful);
  if (servers_)
    servers_->stop();
}

}  // namespace pf::host::gamestream
