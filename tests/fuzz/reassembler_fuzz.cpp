// SPDX-License-Identifier: MIT OR Apache-2.0
// A fuzz input is a program that drives one Reassembler through a sequence of
// packets: genuine ones in any order (whole frames with chosen losses, or one
// at a time), mutated ones, raw bytes, and packets the fuzzer builds itself
// and seals with the real key (so hostile *authenticated* headers reach the
// state machine). The genuine traffic — frames of many sizes, FEC shares and
// block shapes (multi-block frames included) — is packetized once per process:
// an input's time goes to the reassembler, not to making its traffic.
// Checks: no crash, no leak, memory within budget, every handed-out frame is
// byte-identical to what was sent, events in increasing frame order.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <set>
#include <span>
#include <vector>

#include "base/check.h"
#include "crypto/aead.h"
#include "fuzz_input.h"
#include "proto/native/video_packet.h"
#include "session/packetizer.h"
#include "session/reassembler.h"

namespace {

using namespace pf;
using namespace pf::session;
constexpr uint16_t kShard = 64;

using fuzz::Input;

PacketizerConfig packetizer_config() {
  PacketizerConfig pc;
  pc.shard_bytes = kShard;
  pc.key.assign(16, 0x5A);
  return pc;
}

// Frames 1..kFrames as sent, in frame order (packet numbers increase with them).
struct Traffic {
  static constexpr uint32_t kFrames = 96;
  std::vector<std::vector<uint8_t>> frames;                // [index - 1]
  std::vector<std::vector<std::vector<uint8_t>>> packets;  // [index - 1]: send order
};

const Traffic& traffic() {
  static const Traffic t = [] {
    Traffic t;
    auto tx = Packetizer::create(packetizer_config());
    PF_CHECK(tx.has_value());
    for (uint32_t i = 1; i <= Traffic::kFrames; ++i) {
      // Sizes from empty to ~60 shards; FEC 5-64 %; blocks of 1-48 data shards, or the default.
      const size_t size = (i * 977u) % 3900 + (i % 7 == 0 ? 0 : i % 5);
      (*tx)->set_fec_percent(static_cast<uint8_t>(5 + (i * 13) % 60));
      (*tx)->set_block_limit(i % 4 == 0 ? 0 : 1 + (i * 7) % 48);
      std::vector<uint8_t> f(i % 11 == 0 ? 0 : size);
      for (size_t k = 0; k < f.size(); ++k)
        f[k] = static_cast<uint8_t>(i * 31 + k * 7);
      auto ps = (*tx)->packetize({f, i, i * 10ull, i % 9 == 1, i % 9 == 5});
      PF_CHECK(ps.has_value());
      std::vector<std::vector<uint8_t>> out;
      for (auto p : *ps)
        out.emplace_back(p.begin(), p.end());
      t.frames.push_back(std::move(f));
      t.packets.push_back(std::move(out));
    }
    return t;
  }();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto aead =
      crypto::Aead::create(packetizer_config().cipher, packetizer_config().key);
  PF_CHECK(aead.has_value());
  const Traffic& t = traffic();
  Input in{data, size};
  ReassemblerConfig rc;
  rc.shard_bytes = kShard;
  rc.key = packetizer_config().key;
  rc.frame_deadline_us = 1000;
  rc.frames_in_flight = 2 + in.u8() % 8;
  rc.max_frame_bytes = 64 << 10;
  rc.max_buffer_bytes = 256 << 10;
  auto rx = Reassembler::create(rc);
  PF_CHECK(rx.has_value());

  std::set<uint32_t> forged;  // frames touched by forged packets: only checked to exist
  uint64_t now = 0, forged_pn = 1ull << 40;
  uint32_t last_event = 0;
  const size_t packet_bytes = proto::native::kVideoHeaderBytes + kShard + 16;
  for (int ops = 0; !in.empty() && ops < 400; ++ops) {
    const auto& frame_packets = t.packets[in.u8() % Traffic::kFrames];
    switch (in.u8() % 7) {
      case 0: {  // a whole frame, every n-th packet (from an offset) lost
        const unsigned every = in.u8() % 8, offset = in.u8();
        for (size_t j = 0; j < frame_packets.size(); ++j)
          if (every == 0 || (j + offset) % (every + 1) != 0)
            (*rx)->push(frame_packets[j], now);
        break;
      }
      case 1:  // one genuine packet
        if (!frame_packets.empty())
          (*rx)->push(frame_packets[in.u16() % frame_packets.size()], now);
        break;
      case 2: {  // a mutated genuine packet
        if (frame_packets.empty())
          break;
        auto p = frame_packets[in.u16() % frame_packets.size()];
        p[in.u8() % p.size()] ^= static_cast<uint8_t>(1 | in.u8());
        (*rx)->push(p, now);
        break;
      }
      case 3: {  // raw bytes
        const size_t n = in.u8() % (packet_bytes + 8);
        std::vector<uint8_t> p(n);
        for (auto& b : p)
          b = in.u8();
        (*rx)->push(p, now);
        break;
      }
      case 4: {  // a header of the fuzzer's choosing, sealed with the real key
        std::vector<uint8_t> p(packet_bytes);
        for (size_t i = 0; i < proto::native::kVideoHeaderBytes; ++i)
          p[i] = in.u8();
        p[0] = 0x10;
        p[3] = 0;
        auto h = proto::native::parse_video_header(p);
        if (!h)
          break;
        h->packet_number = forged_pn++;
        proto::native::write_video_header(
            *h, std::span<uint8_t, proto::native::kVideoHeaderBytes>(p.data(), 32));
        for (size_t i = 32; i < 32 + kShard; ++i)
          p[i] = in.u8();
        std::array<uint8_t, crypto::kNonceBytes> nonce;
        crypto::make_nonce(packetizer_config().iv_base, h->packet_number, nonce);
        (*aead)->seal(nonce, std::span<const uint8_t>(p.data(), 32),
                      std::span<const uint8_t>(p.data() + 32, kShard), p.data() + 32);
        (*rx)->push(p, now);
        forged.insert(h->frame_index);
        break;
      }
      case 5:
      case 6:
        now += in.u16();
        break;
    }
    PF_CHECK((*rx)->buffer_bytes() <= rc.max_buffer_bytes);
    while (auto ev = (*rx)->poll(now)) {
      PF_CHECK(last_event == 0 || ev->frame_index > last_event);
      last_event =
          ev->frame_index + (ev->kind == ReassemblyEvent::Kind::kFrameLost ? ev->count - 1 : 0);
      if (ev->kind != ReassemblyEvent::Kind::kFrame)
        continue;
      PF_CHECK(ev->frame_index >= 1);
      if (forged.count(ev->frame_index))
        continue;
      PF_CHECK(ev->frame_index <= Traffic::kFrames);  // only the pool's frames are genuine
      const auto& want = t.frames[ev->frame_index - 1];
      PF_CHECK(ev->data.size() == want.size());
      PF_CHECK(want.empty() || std::memcmp(ev->data.data(), want.data(), want.size()) == 0);
    }
  }
  return 0;
}
