// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/status.h"
#include "fec/cauchy_codec.h"

// GameStream audio datagrams (gamestream-protocol.md 8), sans-I/O: RTP payload
// type 97 with millisecond timestamps, blocks of 4 data packets (aligned to
// seq % 4 == 0) followed by 2 parity packets (payload type 127) from the fixed
// audio matrix, and optional AES-128-CBC with PKCS#7 and IV = BE32(rikeyid +
// seq). The receiver is Moonlight's side, for tests and tools.
namespace pf::proto::gamestream {

struct AudioSenderConfig {
  int packet_ms = 5;
  bool encrypt = false;
  std::array<uint8_t, 16> key{};
  uint32_t rikeyid = 0;  // the launch's signed value, reinterpreted
};

class AudioSender {
 public:
  explicit AudioSender(const AudioSenderConfig& config);
  // Datagrams for one Opus packet: its data packet, plus the block's 2 parity
  // packets after every 4th. All Opus packets of a block must be the same
  // size (CBR), or the block goes out without parity.
  std::vector<std::vector<uint8_t>> packetize(std::span<const uint8_t> opus);

 private:
  AudioSenderConfig cfg_;
  fec::CauchyCodec codec_;
  uint16_t seq_ = 0;
  uint32_t timestamp_ = 0;
  uint32_t block_ts_ = 0;
  std::array<std::vector<uint8_t>, 4> block_;  // payloads after the RTP header
};

// AES-128-CBC with PKCS#7 (what audio encryption uses).
std::vector<uint8_t> audio_encrypt(std::span<const uint8_t, 16> key,
                                   uint32_t iv_word,
                                   std::span<const uint8_t> plain);
Result<std::vector<uint8_t>> audio_decrypt(std::span<const uint8_t, 16> key,
                                           uint32_t iv_word,
                                           std::span<const uint8_t> cipher);

class AudioReceiver {
 public:
  explicit AudioReceiver(const AudioSenderConfig& config);
  // Feeds one datagram; returns Opus packets that became available (in
  // order; a lost one rebuilt from parity when the block allows).
  std::vector<std::vector<uint8_t>> push(std::span<const uint8_t> datagram);
  uint64_t recovered() const { return recovered_; }

 private:
  struct Block {
    uint16_t base = 0;
    std::array<std::vector<uint8_t>, 6> shards;
    std::array<uint8_t, 6> present{};
    bool delivered[4] = {false, false, false, false};
  };
  std::vector<std::vector<uint8_t>> emit(Block& b, bool all);
  AudioSenderConfig cfg_;
  fec::CauchyCodec codec_;
  std::optional<Block> block_;
  uint64_t recovered_ = 0;
};

}  // namespace pf::proto::gamestream
