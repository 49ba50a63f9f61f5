// SPDX-License-Identifier: MIT OR Apache-2.0
// A fuzz input is a program that drives one Reassembler through a sequence of
// packets: genuine ones (from a Packetizer with the same key) in any order,
// mutated ones, raw bytes, and packets the fuzzer builds itself and seals with
// the real key (so hostile *authenticated* headers reach the state machine).
// Checks: no crash, no leak, memory within budget, every handed-out frame is
// byte-identical to what was sent, events in increasing frame order.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "base/check.h"
#include "crypto/aead.h"
#include "proto/native/video_packet.h"
#include "session/packetizer.h"
#include "session/reassembler.h"

namespace {

using namespace pf;
using namespace pf::session;
constexpr uint16_t kShard = 64;

struct Input {
  const uint8_t* p;
  size_t n;
  bool empty() const { return n == 0; }
  uint8_t u8() {
    if (!n)
      return 0;
    --n;
    return *p++;
  }
  uint16_t u16() { return static_cast<uint16_t>(u8() | u8() << 8); }
};

std::vector<uint8_t> frame_for(uint32_t index, size_t size) {
  std::vector<uint8_t> f(size);
  for (size_t i = 0; i < size; ++i)
    f[i] = static_cast<uint8_t>(index * 31 + i * 7);
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in{data, size};
  PacketizerConfig pc;
  pc.shard_bytes = kShard;
  pc.fec_percent = static_cast<uint8_t>(5 + in.u8() % 60);
  pc.key.assign(16, 0x5A);
  ReassemblerConfig rc;
  rc.shard_bytes = kShard;
  rc.key = pc.key;
  rc.frame_deadline_us = 1000;
  rc.frames_in_flight = 2 + in.u8() % 8;
  rc.max_frame_bytes = 64 << 10;
  rc.max_buffer_bytes = 256 << 10;
  auto tx = Packetizer::create(pc);
  auto rx = Reassembler::create(rc);
  PF_CHECK(tx && rx);
  auto aead = crypto::Aead::create(pc.cipher, pc.key);
  PF_CHECK(aead.has_value());

  std::vector<std::vector<uint8_t>> genuine;  // every packet sent so far
  std::map<uint32_t, size_t> sizes;           // frame -> size
  uint32_t next_frame = 1;
  uint64_t now = 0, forged_pn = 1ull << 40;
  uint32_t last_event = 0;
  const size_t packet_bytes = proto::native::kVideoHeaderBytes + kShard + 16;
  for (int ops = 0; !in.empty() && ops < 1000; ++ops) {
    switch (in.u8() % 7) {
      case 0: {  // a new frame, its packets appended to `genuine`
        const size_t n = in.u16() % 8000;
        const auto f = frame_for(next_frame, n);
        auto ps = (*tx)->packetize({f, next_frame, next_frame * 10ull, false});
        PF_CHECK(ps.has_value());
        sizes[next_frame++] = n;
        for (auto p : *ps)
          if (genuine.size() < 4096)
            genuine.emplace_back(p.begin(), p.end());
        break;
      }
      case 1:  // push a genuine packet
      case 2: {
        if (genuine.empty())
          break;
        (*rx)->push(genuine[in.u16() % genuine.size()], now);
        break;
      }
      case 3: {  // push a mutated genuine packet
        if (genuine.empty())
          break;
        auto p = genuine[in.u16() % genuine.size()];
        p[in.u8() % p.size()] ^= static_cast<uint8_t>(1 | in.u8());
        (*rx)->push(p, now);
        break;
      }
      case 4: {  // raw bytes
        const size_t n = in.u8() % (packet_bytes + 8);
        std::vector<uint8_t> p(n);
        for (auto& b : p)
          b = in.u8();
        (*rx)->push(p, now);
        break;
      }
      case 5: {  // a header of the fuzzer's choosing, sealed with the real key
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
        crypto::make_nonce(pc.iv_base, h->packet_number, nonce);
        (*aead)->seal(nonce, std::span<const uint8_t>(p.data(), 32),
                      std::span<const uint8_t>(p.data() + 32, kShard), p.data() + 32);
        (*rx)->push(p, now);
        // A frame assembled from forged shards is not checked for content.
        sizes.erase(h->frame_index);
        sizes.emplace(h->frame_index, SIZE_MAX);
        break;
      }
      case 6:
        now += in.u16();
        break;
    }
    PF_CHECK((*rx)->buffer_bytes() <= rc.max_buffer_bytes);
    // Frames touched by forged packets are only checked to exist.
    while (auto ev = (*rx)->poll(now)) {
      PF_CHECK(last_event == 0 || ev->frame_index > last_event);
      last_event =
          ev->frame_index + (ev->kind == ReassemblyEvent::Kind::kFrameLost ? ev->count - 1 : 0);
      if (ev->kind != ReassemblyEvent::Kind::kFrame)
        continue;
      auto it = sizes.find(ev->frame_index);
      PF_CHECK(it != sizes.end());
      if (it->second == SIZE_MAX)
        continue;
      const auto want = frame_for(ev->frame_index, it->second);
      PF_CHECK(ev->data.size() == want.size());
      PF_CHECK(want.empty() || std::memcmp(ev->data.data(), want.data(), want.size()) == 0);
    }
  }
  return 0;
}
