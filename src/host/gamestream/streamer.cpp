// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/streamer.h"

#include <fmt/format.h>

#include "base/log.h"
#include "host/gamestream/client_store.h"

namespace pf::host::gamestream {

Result<std::unique_ptr<Streamer>> Streamer::create(const std::string& address,
                                                   uint16_t video_port,
                                                   uint16_t control_port,
                                                   uint16_t audio_port,
                                                   std::chrono::milliseconds control_silence) {
  std::unique_ptr<Streamer> s(new Streamer());
  auto addr = net::Address::parse(address, video_port);
  if (!addr)
    return tl::unexpected(addr.error());
  net::UdpOptions uo;
  uo.gro = false;  // pings are tiny; GSO stays on for sending
  auto sock = net::UdpSocket::open(*addr, uo);
  if (!sock)
    return make_error(StatusCode::kUnavailable, fmt::format("video: {} (port {} in use?)",
                                                            sock.error().message(), video_port));
  s->video_ = std::make_unique<net::UdpSocket>(std::move(*sock));
  uo.gso = false;
  auto asock = net::UdpSocket::open(*net::Address::parse(address, audio_port), uo);
  if (!asock)
    return make_error(StatusCode::kUnavailable, fmt::format("audio: {} (port {} in use?)",
                                                            asock.error().message(), audio_port));
  s->audio_ = std::make_unique<net::UdpSocket>(std::move(*asock));
  auto control = ControlStream::start(address, control_port, control_silence);
  if (!control)
    return tl::unexpected(control.error());
  s->control_ = std::move(*control);
  s->video_pings_ = std::make_unique<PingDemux>(*s->video_, "video");
  s->audio_pings_ = std::make_unique<PingDemux>(*s->audio_, "audio");
  s->context_.video = s->video_.get();
  s->context_.audio = s->audio_.get();
  s->context_.video_pings = s->video_pings_.get();
  s->context_.audio_pings = s->audio_pings_.get();
  s->context_.control = s->control_.get();
  // Streams without a sink of their own reach whatever set_input_sink() set last.
  s->context_.input = [self = s.get()](const proto::native::InputDatagram& e) {
    InputSink sink;
    {
      std::lock_guard lock(self->mu_);
      sink = self->input_;
    }
    if (sink)
      sink(e);
  };
  return s;
}

Streamer::~Streamer() {
  end_all();
  const ControlStats c = control_->stats();
  if (c.refused_connects + c.stranger_datagrams + c.refused_peers + c.auth_failures + c.malformed >
      0)
    log_info(
        "control stream: dropped {} ENet CONNECTs no session expected and {} other datagrams to "
        "no peer; refused {} peers; {} forged and {} malformed messages",
        c.refused_connects, c.stranger_datagrams, c.refused_peers, c.auth_failures, c.malformed);
}

uint16_t Streamer::video_port() const {
  return video_->local_address().port();
}

uint16_t Streamer::audio_port() const {
  return audio_->local_address().port();
}

std::unique_ptr<Stream> Streamer::take(const std::string& client) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(client);
  if (it == streams_.end())
    return nullptr;
  auto s = std::move(it->second);
  streams_.erase(it);
  return s;
}

Status Streamer::begin(const StreamStart& start, StreamMedia media) {
  std::lock_guard life(lifecycle_mu_);
  const std::string client = client_id(start.launch.client_cert_pem);
  // The client's previous stream first: its ports and control session go.
  if (auto old = take(client))
    old->stop(proto::gamestream::kTerminateGraceful);
  StreamContext ctx;
  {
    std::lock_guard lock(mu_);
    ctx = context_;
  }
  auto s = Stream::start(ctx, start, std::move(media));
  if (!s)
    return s.error();
  std::lock_guard lock(mu_);
  streams_[client] = std::move(*s);
  last_ = client;
  return Status::ok();
}

void Streamer::end(const std::string& client, uint32_t reason) {
  std::lock_guard life(lifecycle_mu_);
  if (auto s = take(client))
    s->stop(reason);
}

void Streamer::end_all(uint32_t reason) {
  std::lock_guard life(lifecycle_mu_);
  std::map<std::string, std::unique_ptr<Stream>> all;
  {
    std::lock_guard lock(mu_);
    all.swap(streams_);
  }
  for (auto& [client, s] : all)
    s->stop(reason);
}

size_t Streamer::active() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [client, s] : streams_)
    n += s->running() ? 1 : 0;
  return n;
}

bool Streamer::streaming(const std::string& client) const {
  std::lock_guard lock(mu_);
  auto it = streams_.find(client);
  return it != streams_.end() && it->second->running();
}

void Streamer::send_rumble(const std::string& client, uint16_t pad, uint16_t low, uint16_t high) {
  std::lock_guard lock(mu_);
  if (auto it = streams_.find(client); it != streams_.end())
    it->second->send_rumble(pad, low, high);
}

std::optional<StreamerStats> Streamer::stats(const std::string& client) const {
  std::lock_guard lock(mu_);
  auto it = streams_.find(client);
  if (it == streams_.end())
    return std::nullopt;
  return it->second->stats();
}

StreamerStats Streamer::stats() const {
  std::lock_guard lock(mu_);
  auto it = streams_.find(last_);
  return it == streams_.end() ? StreamerStats{} : it->second->stats();
}

void Streamer::set_audio_source(AudioSource s) {
  std::lock_guard lock(mu_);
  context_.audio_source = s;
}

void Streamer::set_capture_options(bool default_sink_monitor, bool make_default) {
  std::lock_guard lock(mu_);
  context_.default_sink_monitor = default_sink_monitor;
  context_.make_default_sink = make_default;
}

void Streamer::set_input_sink(InputSink sink) {
  std::lock_guard lock(mu_);
  input_ = std::move(sink);
}

}  // namespace pf::host::gamestream
