// SPDX-License-Identifier: MIT OR Apache-2.0
// The host's check of a client's video probe (proto/native/probe, reachable
// by anyone who can send a UDP datagram to the video port). The input's first
// byte picks what is fed: the raw bytes; a genuine probe with fuzzer-chosen
// bytes flipped; or a fuzzed 32-byte header sealed correctly with the
// session's key (so the header fields behind the tag check are fuzzed too).
// A probe is accepted only with a valid tag, the probe type, this session's
// id and the exact size, and then yields its own packet number.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/check.h"
#include "crypto/aead.h"
#include "proto/native/probe.h"

namespace {

using namespace pf::proto::native;

constexpr uint32_t kSession = 0x5e551011;

struct Keys {
  DirectionKeys keys;
  Keys() {
    for (size_t i = 0; i < keys.key.size(); ++i)
      keys.key[i] = static_cast<uint8_t>(i * 13 + 1);
    for (size_t i = 0; i < keys.iv_base.size(); ++i)
      keys.iv_base[i] = static_cast<uint8_t>(i * 7 + 3);
  }
};

const Keys& keys() {
  static const Keys k;
  return k;
}

// Header bytes sealed as the client seals a probe (the header is the AAD).
std::array<uint8_t, kProbeBytes> sealed_with_key(uint8_t cipher, std::span<const uint8_t> header) {
  std::array<uint8_t, kProbeBytes> out{};
  for (size_t i = 0; i < kVideoHeaderBytes && i < header.size(); ++i)
    out[i] = header[i];
  auto h = parse_video_header(std::span<const uint8_t>(out.data(), kVideoHeaderBytes));
  auto aead = pf::crypto::Aead::create(cipher == 2 ? pf::crypto::AeadAlgorithm::kChaCha20Poly1305
                                                   : pf::crypto::AeadAlgorithm::kAes128Gcm,
                                       cipher_key(keys().keys, cipher));
  PF_CHECK(aead.has_value());
  std::array<uint8_t, pf::crypto::kNonceBytes> nonce;
  pf::crypto::make_nonce(keys().keys.iv_base, h ? h->packet_number : 0, nonce);
  (*aead)->seal(nonce, std::span<const uint8_t>(out.data(), kVideoHeaderBytes), {},
                out.data() + kVideoHeaderBytes);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1)
    return 0;
  const uint8_t mode = data[0];
  const uint8_t cipher = (mode & 0x80) ? 2 : 1;
  std::span<const uint8_t> rest(data + 1, size - 1);
  auto host = ProbeCodec::create(cipher, keys().keys);
  PF_CHECK(host.has_value());
  switch (mode % 3) {
    case 0: {  // raw bytes
      if (auto pn = host->open(rest, kSession))
        PF_CHECK(rest.size() == kProbeBytes);
      break;
    }
    case 1: {  // a genuine probe, bytes flipped at fuzzer-chosen places
      auto client = ProbeCodec::create(cipher, keys().keys);
      PF_CHECK(client.has_value());
      auto p = client->seal(kSession);
      const auto genuine = p;
      for (size_t i = 0; i + 1 < rest.size(); i += 2)
        p[rest[i] % p.size()] ^= rest[i + 1];
      const auto pn = host->open(p, kSession);
      if (p == genuine)
        PF_CHECK(pn && *pn == 0);
      else
        PF_CHECK(!pn);  // any change breaks the tag (or the header check)
      break;
    }
    default: {  // a fuzzed header, sealed with the key
      const auto p = sealed_with_key(cipher, rest);
      const auto h = parse_video_header(std::span<const uint8_t>(p.data(), kVideoHeaderBytes));
      const bool valid = h && h->type == PacketType::kClientProbe && h->frame_index == kSession;
      const auto pn = host->open(p, kSession);
      PF_CHECK(pn.has_value() == valid);
      if (pn)
        PF_CHECK(*pn == h->packet_number);
      break;
    }
  }
  return 0;
}
