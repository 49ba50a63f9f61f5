// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/video.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "base/endian.h"
#include "crypto/aead.h"

namespace pf::proto::gamestream {

namespace {

std::array<uint8_t, 12> video_iv(uint64_t counter) {
  std::array<uint8_t, 12> iv{};
  for (int i = 0; i < 8; ++i)
    iv[i] = static_cast<uint8_t>(counter >> (8 * i));
  iv[11] = 'V';
  return iv;
}

}  // namespace

// ---- sender ----------------------------------------------------------------

struct VideoSender::Impl {
  VideoSenderConfig cfg;
  fec::CauchyCodec codec;
  std::unique_ptr<crypto::Aead> aead;
  uint16_t seq = 0;
  uint64_t enc_counter = 0;
  std::vector<uint8_t> pool;    // plaintext datagrams
  std::vector<uint8_t> sealed;  // encrypted datagrams
  std::vector<std::span<const uint8_t>> out;
  std::vector<uint8_t*> ptrs;
};

Result<std::unique_ptr<VideoSender>> VideoSender::create(const VideoSenderConfig& c) {
  if (c.packet_size < 64 || c.packet_size % 16 != 0 || c.packet_size > 9000)
    return make_error(
        StatusCode::kInvalidArgument,
        fmt::format("packet size {} must be a multiple of 16 within 64..9000", c.packet_size));
  if (c.fec_percent < 0 || c.fec_percent > 255 || c.min_parity < 0 || c.min_parity > 64)
    return make_error(StatusCode::kInvalidArgument, "FEC percent 0..255, minimum parity 0..64");
  std::unique_ptr<VideoSender> s(new VideoSender());
  s->impl_ = std::make_unique<Impl>();
  s->impl_->cfg = c;
  if (c.encrypt) {
    auto a = crypto::Aead::create(crypto::AeadAlgorithm::kAes128Gcm, c.key);
    if (!a)
      return tl::unexpected(a.error());
    s->impl_->aead = std::move(*a);
  }
  return s;
}

VideoSender::~VideoSender() = default;

size_t VideoSender::datagram_bytes() const {
  return static_cast<size_t>(impl_->cfg.packet_size) + 16 +
         (impl_->cfg.encrypt ? kVideoEncHeader : 0);
}

Result<std::span<const std::span<const uint8_t>>> VideoSender::packetize(
    std::span<const uint8_t> au,
    uint32_t frame_index,
    uint32_t timestamp,
    FrameType type,
    uint16_t latency) {
  Impl& d = *impl_;
  const size_t S = static_cast<size_t>(d.cfg.packet_size);
  const size_t block_bytes = S + 16;
  const size_t per_packet = S - 16;
  const size_t F = kFrameHeader + au.size();
  const size_t packets = (F + per_packet - 1) / per_packet;
  int pct = d.cfg.fec_percent;
  size_t dmax = pct > 0 ? 255 * 100 / static_cast<size_t>(100 + pct) : 1023;
  size_t blocks = (packets + dmax - 1) / dmax;
  if (blocks > 4) {  // too big for FEC: send it without parity in 4 blocks
    pct = 0;
    blocks = std::min<size_t>(4, (packets + 1022) / 1023);
    if ((packets + blocks - 1) / blocks > 1023)
      return make_error(
          StatusCode::kInvalidArgument,
          fmt::format("access unit of {} bytes exceeds 4 blocks of 1023 packets", au.size()));
  }
  const size_t per_block = (packets + blocks - 1) / blocks;
  // Shapes first, to size the pool.
  struct Shape {
    size_t first_packet, k, m;
    int pct;
  };
  std::vector<Shape> shapes;  // at most 4: small
  size_t total = 0;
  for (size_t b = 0, first = 0; b < blocks; ++b) {
    const size_t k = b + 1 < blocks ? per_block : packets - first;
    size_t m = pct > 0 ? (k * static_cast<size_t>(pct) + 99) / 100 : 0;
    int adv = pct;
    if (pct > 0 && m < static_cast<size_t>(d.cfg.min_parity)) {
      m = static_cast<size_t>(d.cfg.min_parity);
      adv = static_cast<int>(100 * m / k);
      // The advertised percentage is 8 bits and must reproduce m exactly.
      while (adv > 255 || (k * static_cast<size_t>(adv) + 99) / 100 != m) {
        --m;
        adv = static_cast<int>(100 * m / k);
      }
    }
    if (m > 0 && k + m > 255)
      m = 255 - k;
    shapes.push_back({first, k, m, adv});
    total += k + m;
    first += k;
  }
  d.pool.assign(total * block_bytes, 0);
  d.ptrs.resize(total);
  // Frame header + AU, cut into data payloads.
  uint8_t header[kFrameHeader] = {0x01, 0, 0, static_cast<uint8_t>(type), 0, 0, 0, 0};
  store_le16(header + 1, latency);
  const size_t last_len = F % per_packet == 0 ? per_packet : F % per_packet;
  store_le16(header + 4, static_cast<uint16_t>(last_len));
  auto stream_byte_copy = [&](size_t offset, uint8_t* dst, size_t n) {
    for (size_t done = 0; done < n;) {
      const size_t at = offset + done;
      if (at < kFrameHeader) {
        dst[done++] = header[at];
      } else if (at - kFrameHeader < au.size()) {
        const size_t c = std::min(n - done, au.size() - (at - kFrameHeader));
        std::memcpy(dst + done, au.data() + (at - kFrameHeader), c);
        done += c;
      } else {
        break;  // zero padding (pool is zeroed)
      }
    }
  };
  size_t slot = 0;
  for (size_t b = 0; b < shapes.size(); ++b) {
    const Shape& sh = shapes[b];
    const uint16_t base = d.seq;
    const uint8_t multi = static_cast<uint8_t>(b << 4 | (blocks - 1) << 6);
    auto fill_header = [&](uint8_t* p, size_t shard, uint8_t flags, bool data) {
      p[0] = 0x90;
      p[1] = 0;
      store_be16(p + 2, static_cast<uint16_t>(base + shard));
      store_be32(p + 4, timestamp);
      store_be32(p + 8, 0);
      std::memset(p + 12, 0, 4);
      uint8_t* nv = p + kRtpHeader;
      if (data) {
        store_le32(nv, static_cast<uint32_t>(static_cast<uint16_t>(base + shard)) << 8);
        nv[8] = flags;
        nv[9] = 0;
      }
      store_le32(nv + 4, frame_index);
      nv[10] = 0x10;
      nv[11] = multi;
      store_le32(nv + 12, static_cast<uint32_t>(sh.k) << 22 | static_cast<uint32_t>(shard) << 12 |
                              static_cast<uint32_t>(sh.pct & 0xFF) << 4);
    };
    for (size_t i = 0; i < sh.k; ++i) {
      uint8_t* p = d.pool.data() + (slot + i) * block_bytes;
      const uint8_t flags = static_cast<uint8_t>(kFlagPicData | (i == 0 ? kFlagSof : 0) |
                                                 (i + 1 == sh.k ? kFlagEof : 0));
      fill_header(p, i, flags, true);
      stream_byte_copy((sh.first_packet + i) * per_packet, p + kRtpHeader + kNvHeader, per_packet);
      d.ptrs[slot + i] = p;
    }
    for (size_t j = 0; j < sh.m; ++j)
      d.ptrs[slot + sh.k + j] = d.pool.data() + (slot + sh.k + j) * block_bytes;
    if (sh.m > 0) {
      const Status st = d.codec.encode(sh.k, sh.m, block_bytes, d.ptrs.data() + slot,
                                       d.ptrs.data() + slot + sh.k);
      if (!st.is_ok())
        return tl::unexpected(st);
      for (size_t j = 0; j < sh.m; ++j)
        fill_header(d.ptrs[slot + sh.k + j], sh.k + j, 0, false);
    }
    d.seq = static_cast<uint16_t>(base + sh.k + sh.m);
    slot += sh.k + sh.m;
  }
  d.out.resize(total);
  if (!d.cfg.encrypt) {
    for (size_t i = 0; i < total; ++i)
      d.out[i] = std::span<const uint8_t>(d.pool.data() + i * block_bytes, block_bytes);
  } else {
    const size_t eb = kVideoEncHeader + block_bytes;
    d.sealed.resize(total * eb);
    std::vector<uint8_t> tmp(block_bytes + crypto::kTagBytes);
    for (size_t i = 0; i < total; ++i) {
      uint8_t* e = d.sealed.data() + i * eb;
      const auto iv = video_iv(d.enc_counter++);
      d.aead->seal(iv, {}, std::span<const uint8_t>(d.pool.data() + i * block_bytes, block_bytes),
                   tmp.data());
      std::memcpy(e, iv.data(), 12);
      store_le32(e + 12, frame_index);
      std::memcpy(e + 16, tmp.data() + block_bytes, 16);
      std::memcpy(e + 32, tmp.data(), block_bytes);
      d.out[i] = std::span<const uint8_t>(e, eb);
    }
  }
  return std::span<const std::span<const uint8_t>>(d.out.data(), d.out.size());
}

// ---- receiver (Moonlight's side) --------------------------------------------

struct VideoReceiver::Block {
  size_t k = 0, m = 0;
  uint16_t first_seq = 0;
  std::vector<std::vector<uint8_t>> shards;
  std::vector<uint8_t> present;
  size_t have = 0;
  bool done = false;
};

struct VideoReceiver::Frame {
  size_t block_count = 0;
  std::array<Block, 4> blocks;
  uint32_t timestamp = 0;
};

VideoReceiver::VideoReceiver(int packet_size, bool encrypted, std::array<uint8_t, 16> key)
    : s_(packet_size), encrypted_(encrypted), key_(key) {}
VideoReceiver::~VideoReceiver() = default;

std::optional<std::vector<uint8_t>> VideoReceiver::push(std::span<const uint8_t> in) {
  const size_t block_bytes = static_cast<size_t>(s_) + 16;
  std::vector<uint8_t> plain;
  if (encrypted_) {
    if (in.size() != kVideoEncHeader + block_bytes) {
      ++bad_;
      return std::nullopt;
    }
    auto aead = crypto::Aead::create(crypto::AeadAlgorithm::kAes128Gcm, key_);
    std::vector<uint8_t> sealed(in.begin() + 32, in.end());
    sealed.insert(sealed.end(), in.begin() + 16, in.begin() + 32);
    plain.resize(block_bytes);
    if (!(*aead)->open(std::span<const uint8_t, 12>(in.data(), 12), {}, sealed, plain.data())) {
      ++bad_;
      return std::nullopt;
    }
  } else {
    if (in.size() != block_bytes) {
      ++bad_;
      return std::nullopt;
    }
    plain.assign(in.begin(), in.end());
  }
  const uint8_t* p = plain.data();
  const uint8_t* nv = p + kRtpHeader;
  if (p[0] != 0x90) {
    ++bad_;
    return std::nullopt;
  }
  const uint32_t frame = load_le32(nv + 4);
  if (frame <= delivered_)
    return std::nullopt;  // late or surplus
  const uint32_t info = load_le32(nv + 12);
  const size_t k = info >> 22, shard = (info >> 12) & 0x3FF, pct = (info >> 4) & 0xFF;
  const size_t block = (nv[11] >> 4) & 3, blocks = ((nv[11] >> 6) & 3) + 1;
  const size_t m = pct ? (k * pct + 99) / 100 : 0;
  if (k == 0 || shard >= k + m || k + m > 255) {
    ++bad_;
    return std::nullopt;
  }
  auto& f = frames_[frame];
  if (!f)
    f = std::make_unique<Frame>();
  f->block_count = blocks;
  f->timestamp = (uint32_t{p[4]} << 24) | (uint32_t{p[5]} << 16) | (uint32_t{p[6]} << 8) | p[7];
  Block& b = f->blocks[block];
  if (b.shards.empty()) {
    b.k = k;
    b.m = m;
    b.first_seq = static_cast<uint16_t>(load_be16(p + 2) - shard);
    b.shards.assign(k + m, std::vector<uint8_t>(block_bytes, 0));
    b.present.assign(k + m, 0);
  }
  if (b.done || b.present[shard])
    return std::nullopt;
  b.shards[shard] = std::move(plain);
  b.present[shard] = 1;
  ++b.have;
  if (b.have >= b.k) {
    std::vector<uint8_t*> ptrs(b.k + b.m);
    for (size_t i = 0; i < ptrs.size(); ++i)
      ptrs[i] = b.shards[i].data();
    size_t missing = 0;
    for (size_t i = 0; i < b.k; ++i)
      missing += b.present[i] ? 0 : 1;
    if (missing > 0) {
      if (!codec_.decode(b.k, b.m, block_bytes, ptrs.data(), b.present).is_ok()) {
        ++bad_;
        return std::nullopt;
      }
      recovered_ += missing;
    }
    b.done = true;
  }
  for (size_t i = 0; i < f->block_count; ++i)
    if (!f->blocks[i].done)
      return std::nullopt;
  // Whole frame: concatenate the data payloads, read the frame header.
  std::vector<uint8_t> stream;
  for (size_t i = 0; i < f->block_count; ++i)
    for (size_t j = 0; j < f->blocks[i].k; ++j) {
      const auto& sh = f->blocks[i].shards[j];
      stream.insert(stream.end(), sh.begin() + kRtpHeader + kNvHeader, sh.end());
    }
  const size_t per_packet = static_cast<size_t>(s_) - 16;
  std::vector<uint8_t> au;
  if (stream.size() >= kFrameHeader && stream[0] == 0x01) {
    const size_t last = load_le16(stream.data() + 4);
    const size_t total = stream.size() - per_packet + std::min(last, per_packet);
    last_type_ = stream[3];
    au.assign(stream.begin() + kFrameHeader, stream.begin() + static_cast<long>(total));
  } else {
    ++bad_;
  }
  // Drop this and older frames.
  delivered_ = frame;
  frames_.erase(frames_.begin(), frames_.upper_bound(frame));
  return au;
}

}  // namespace pf::proto::gamestream
