// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/core/video_receiver.h"

#include <pthread.h>

#include <algorithm>

#include "base/clock.h"
#include "base/log.h"
#include "proto/native/negotiation.h"
#include "proto/native/probe.h"
#include "proto/native/video_packet.h"

namespace pf::client {

Result<std::unique_ptr<VideoReceiver>> VideoReceiver::open(const net::Address& local) {
  std::unique_ptr<VideoReceiver> r(new VideoReceiver());
  net::UdpOptions o;
  o.recv_buffer_bytes = 16 << 20;  // a burst of a large keyframe must fit (start() asks for more)
  auto s = net::UdpSocket::open(local, o);
  if (!s)
    return tl::unexpected(s.error());
  r->socket_ = std::make_unique<net::UdpSocket>(std::move(*s));
  return r;
}

VideoReceiver::~VideoReceiver() {
  stop();
}

uint16_t VideoReceiver::local_port() const {
  return socket_->local_address().port();
}

Status VideoReceiver::start(const pn::Welcome& welcome,
                            const pn::DirectionKeys& host_to_client,
                            const pn::DirectionKeys& client_to_host,
                            const net::Address& host_video,
                            FrameSink sink) {
  if (thread_.joinable())
    return Status(StatusCode::kFailedPrecondition, "the video receiver is already running");
  if (welcome.host_video_port == 0 || !host_video.valid())
    return Status(StatusCode::kUnavailable, "the host announced no video port");
  session::ReassemblerConfig rc;
  rc.shard_bytes = welcome.shard_bytes;
  rc.cipher = welcome.cipher == pn::kCipherChaCha20 ? crypto::AeadAlgorithm::kChaCha20Poly1305
                                                    : crypto::AeadAlgorithm::kAes128Gcm;
  rc.key = pn::cipher_key(host_to_client, welcome.cipher);
  rc.iv_base = host_to_client.iv_base;
  // Two frame intervals, but never below 8 ms (scheduling noise at high rates).
  const uint64_t interval_us = 100'000'000ull / std::max<uint16_t>(1, welcome.fps_x100);
  rc.frame_deadline_us = std::max<uint64_t>(8'000, 2 * interval_us);
  auto ra = session::Reassembler::create(rc);
  if (!ra)
    return ra.error();
  size_receive_buffer();
  reassembler_ = std::move(*ra);
  welcome_ = welcome;
  c2h_ = client_to_host;
  host_ = host_video;
  sink_ = std::move(sink);
  stop_ = false;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "pf-video-rx");
    run();
  });
  return Status::ok();
}

// Room for 50 ms of a 10 Gbit/s stream: a receive thread held up that long
// (page faults of a first large frame, a busy core) loses nothing. Without
// privileges the kernel caps it at net.core.rmem_max (often 208 KiB).
void VideoReceiver::size_receive_buffer() {
  constexpr int kWanted = 64 << 20;
  const int granted = socket_->set_recv_buffer_bytes(kWanted);
  if (granted >= (16 << 20))
    return;
  const double mbps = granted * 8.0 / 0.05 / 1e6;  // what 50 ms of buffer covers
  log_warn(
      "video: the kernel granted a receive buffer of {} KiB of the {} KiB asked for "
      "(net.core.rmem_max); above about {:.0f} Mbit/s a stalled moment drops packets in "
      "bursts. To raise it: sudo sysctl -w net.core.rmem_max={}",
      granted / 1024, kWanted / 1024, mbps, kWanted);
}

void VideoReceiver::stop() {
  stop_ = true;
  if (thread_.joinable())
    thread_.join();
}

VideoReceiverStats VideoReceiver::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void VideoReceiver::run() {
  auto probe = pn::ProbeCodec::create(welcome_.cipher, c2h_);
  if (!probe)
    return;
  net::RecvBatch batch(64);
  int64_t next_probe_ns = 0;
  bool flowing = false;
  while (!stop_) {
    const int64_t now_ns = SteadyClock::instance().now_ns();
    if (now_ns >= next_probe_ns) {
      const auto p = probe->seal(welcome_.session_id);
      const std::span<const uint8_t> one[] = {p};
      (void)socket_->send(one, &host_);
      next_probe_ns = now_ns + (flowing ? 1'000'000'000 : 100'000'000);
      std::lock_guard lock(mu_);
      ++stats_.probes_sent;
    }
    const bool got = socket_->receive(batch, 2).is_ok();
    const uint64_t now_us = static_cast<uint64_t>(SteadyClock::instance().now_ns() / 1000);
    uint64_t seen = 0, highest = 0;
    if (got) {
      flowing = flowing || batch.size() > 0;
      for (size_t i = 0; i < batch.size(); ++i) {
        if (auto h = pn::parse_video_header(batch[i]);
            h && h->type == pn::PacketType::kVideoShard) {
          ++seen;
          highest = std::max(highest, h->packet_number);
        }
        reassembler_->push(batch[i], now_us);
      }
    }
    uint64_t frames = 0, lost = 0;
    while (auto e = reassembler_->poll(now_us)) {
      if (e->kind == session::ReassemblyEvent::Kind::kFrame)
        ++frames;
      else
        lost += e->count;
      if (sink_)
        sink_(*e);
    }
    std::lock_guard lock(mu_);
    stats_.reassembly = reassembler_->stats();
    stats_.datagrams += got ? batch.size() : 0;
    stats_.frames += frames;
    stats_.frames_lost += lost;
    stats_.packets_seen += seen;
    stats_.highest_packet_number = std::max(stats_.highest_packet_number, highest);
  }
}

}  // namespace pf::client
