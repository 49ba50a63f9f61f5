// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/audio.h"

#include <openssl/evp.h>

#include <cstring>

#include "base/endian.h"

namespace pf::proto::gamestream {

namespace {

std::array<uint8_t, 16> cbc_iv(uint32_t word) {
  std::array<uint8_t, 16> iv{};
  store_be32(iv.data(), word);
  return iv;
}

}  // namespace

std::vector<uint8_t> audio_encrypt(std::span<const uint8_t, 16> key,
                                   uint32_t iv_word,
                                   std::span<const uint8_t> plain) {
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  const auto iv = cbc_iv(iv_word);
  std::vector<uint8_t> out(plain.size() + 16);
  int n = 0, tail = 0;
  EVP_EncryptInit_ex(c, EVP_aes_128_cbc(), nullptr, key.data(), iv.data());
  EVP_EncryptUpdate(c, out.data(), &n, plain.data(), static_cast<int>(plain.size()));
  EVP_EncryptFinal_ex(c, out.data() + n, &tail);
  EVP_CIPHER_CTX_free(c);
  out.resize(static_cast<size_t>(n + tail));
  return out;
}

Result<std::vector<uint8_t>> audio_decrypt(std::span<const uint8_t, 16> key,
                                           uint32_t iv_word,
                                           std::span<const uint8_t> cipher) {
  if (cipher.empty() || cipher.size() % 16 != 0)
    return make_error(StatusCode::kInvalidArgument, "audio: ciphertext is not whole AES blocks");
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  const auto iv = cbc_iv(iv_word);
  std::vector<uint8_t> out(cipher.size() + 16);
  int n = 0, tail = 0;
  EVP_DecryptInit_ex(c, EVP_aes_128_cbc(), nullptr, key.data(), iv.data());
  EVP_DecryptUpdate(c, out.data(), &n, cipher.data(), static_cast<int>(cipher.size()));
  const bool ok = EVP_DecryptFinal_ex(c, out.data() + n, &tail) == 1;
  EVP_CIPHER_CTX_free(c);
  if (!ok)
    return make_error(StatusCode::kPermissionDenied, "audio: bad padding (wrong key?)");
  out.resize(static_cast<size_t>(n + tail));
  return out;
}

AudioSender::AudioSender(const AudioSenderConfig& c)
    : cfg_(c), codec_(fec::CauchyCodec::moonlight_audio()) {}

std::vector<std::vector<uint8_t>> AudioSender::packetize(std::span<const uint8_t> opus) {
  std::vector<std::vector<uint8_t>> out;
  std::vector<uint8_t> payload = cfg_.encrypt ? audio_encrypt(cfg_.key, cfg_.rikeyid + seq_, opus)
                                              : std::vector<uint8_t>(opus.begin(), opus.end());
  std::vector<uint8_t> d(12 + payload.size());
  d[0] = 0x80;
  d[1] = 97;
  store_be16(d.data() + 2, seq_);
  store_be32(d.data() + 4, timestamp_);
  store_be32(d.data() + 8, 0);
  std::memcpy(d.data() + 12, payload.data(), payload.size());
  out.push_back(std::move(d));
  const size_t pos = seq_ % 4;
  if (pos == 0)
    block_ts_ = timestamp_;
  block_[pos] = std::move(payload);
  if (pos == 3) {
    const size_t n = block_[0].size();
    bool same = true;
    for (const auto& b : block_)
      same = same && b.size() == n;
    if (same && n > 0) {
      std::array<std::vector<uint8_t>, 2> parity = {std::vector<uint8_t>(n),
                                                    std::vector<uint8_t>(n)};
      const uint8_t* data[4] = {block_[0].data(), block_[1].data(), block_[2].data(),
                                block_[3].data()};
      uint8_t* par[2] = {parity[0].data(), parity[1].data()};
      if (codec_.encode(4, 2, n, data, par).is_ok()) {
        const uint16_t base = static_cast<uint16_t>(seq_ - 3);
        for (int j = 0; j < 2; ++j) {
          std::vector<uint8_t> p(24 + n);
          p[0] = 0x80;
          p[1] = 127;
          store_be16(p.data() + 2, static_cast<uint16_t>(seq_ + 1 + j));
          p[12] = static_cast<uint8_t>(j);
          p[13] = 97;
          store_be16(p.data() + 14, base);
          store_be32(p.data() + 16, block_ts_);
          std::memcpy(p.data() + 24, parity[j].data(), n);
          out.push_back(std::move(p));
        }
      }
    }
  }
  ++seq_;
  timestamp_ += static_cast<uint32_t>(cfg_.packet_ms);
  return out;
}

AudioReceiver::AudioReceiver(const AudioSenderConfig& c)
    : cfg_(c), codec_(fec::CauchyCodec::moonlight_audio()) {}

std::vector<std::vector<uint8_t>> AudioReceiver::emit(Block& b, bool all) {
  std::vector<std::vector<uint8_t>> out;
  for (int i = 0; i < 4; ++i) {
    if (b.delivered[i])
      continue;
    if (!b.present[i]) {
      if (!all)
        break;  // in order: wait for it (or for parity)
      continue;
    }
    b.delivered[i] = true;
    auto payload = b.shards[i];
    if (cfg_.encrypt) {
      auto plain =
          audio_decrypt(cfg_.key, cfg_.rikeyid + static_cast<uint16_t>(b.base + i), payload);
      if (!plain)
        continue;
      payload = std::move(*plain);
    }
    out.push_back(std::move(payload));
  }
  return out;
}

std::vector<std::vector<uint8_t>> AudioReceiver::push(std::span<const uint8_t> in) {
  std::vector<std::vector<uint8_t>> out;
  if (in.size() < 12 || in[0] != 0x80)
    return out;
  const bool parity = in[1] == 127;
  if (!parity && in[1] != 97)
    return out;
  if (parity && in.size() < 24)
    return out;
  const uint16_t seq = load_be16(in.data() + 2);
  const uint16_t base = parity ? load_be16(in.data() + 14) : static_cast<uint16_t>(seq - seq % 4);
  const size_t index = parity ? 4 + (in[12] & 1) : seq % 4;
  if (!block_ || block_->base != base) {
    if (block_) {  // a new block: flush what the old one has
      auto rest = emit(*block_, true);
      out.insert(out.end(), rest.begin(), rest.end());
    }
    block_ = Block{};
    block_->base = base;
  }
  Block& b = *block_;
  b.shards[index].assign(in.begin() + (parity ? 24 : 12), in.end());
  b.present[index] = 1;
  // Rebuild a lost data packet once 4 of 6 are in.
  int have = 0, data = 0;
  for (int i = 0; i < 6; ++i)
    have += b.present[i];
  for (int i = 0; i < 4; ++i)
    data += b.present[i];
  if (have >= 4 && data < 4) {
    size_t n = 0;
    bool same = true;
    for (int i = 0; i < 6; ++i)
      if (b.present[i]) {
        if (n == 0)
          n = b.shards[i].size();
        same = same && b.shards[i].size() == n;
      }
    if (same && n > 0) {
      uint8_t* ptrs[6];
      for (int i = 0; i < 6; ++i) {
        b.shards[i].resize(n);
        ptrs[i] = b.shards[i].data();
      }
      const int missing = 4 - data;
      if (codec_.decode(4, 2, n, ptrs, b.present).is_ok()) {
        for (int i = 0; i < 4; ++i)
          b.present[i] = 1;
        recovered_ += static_cast<uint64_t>(missing);
      }
    }
  }
  auto ready = emit(b, false);
  out.insert(out.end(), ready.begin(), ready.end());
  return out;
}

}  // namespace pf::proto::gamestream
