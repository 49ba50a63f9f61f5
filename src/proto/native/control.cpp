// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/control.h"

#include <fmt/format.h>

#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/overloaded.h"

namespace pf::proto::native {

namespace {

enum Type : uint8_t {
  kHello = 0x01,
  kWelcome = 0x02,
  kRequestIdr = 0x03,
  kInvalidateRefs = 0x04,
  kReceiverReport = 0x05,
  kSetBitrate = 0x06,
  kSetFec = 0x07,
  kBye = 0x08,
  kHdrMetadata = 0x09,
  kKeepalive = 0x0A,
  kCursorShape = 0x0B,
};

// Little-endian body writer into a growing vector.
struct Out {
  std::vector<uint8_t> v;
  void u8(uint8_t x) { v.push_back(x); }
  void u16(uint16_t x) {
    v.push_back(static_cast<uint8_t>(x));
    v.push_back(static_cast<uint8_t>(x >> 8));
  }
  void u32(uint32_t x) {
    for (int i = 0; i < 4; ++i)
      v.push_back(static_cast<uint8_t>(x >> (8 * i)));
  }
};

Status malformed(uint8_t type) {
  return Status(StatusCode::kInvalidArgument,
                fmt::format("control message 0x{:02x} is truncated or malformed", type));
}

Result<ControlMessage> decode_cursor_shape(ByteReader& r) {
  CursorShape c;
  auto serial = r.u32_le();
  auto w = r.u16_le();
  auto h = r.u16_le();
  auto hx = r.u16_le();
  auto hy = r.u16_le();
  if (!r.ok() || !hy || *w == 0 || *h == 0 || *w > kMaxCursorSide || *h > kMaxCursorSide ||
      *hx >= *w || *hy >= *h || r.remaining() != size_t{*w} * *h * 4)
    return tl::unexpected(malformed(kCursorShape));
  c.serial = *serial;
  c.width = *w;
  c.height = *h;
  c.hotspot_x = *hx;
  c.hotspot_y = *hy;
  auto px = r.bytes(r.remaining());
  c.rgba.assign(px->begin(), px->end());
  return c;
}

}  // namespace

std::vector<uint8_t> encode_control(const ControlMessage& m) {
  Out b;
  const uint8_t type = std::visit(
      Overloaded{
          [&](const Hello& h) {
            b.u16(h.version), b.u32(h.capabilities), b.u16(h.width), b.u16(h.height);
            b.u16(h.fps_x100), b.u8(h.codecs), b.u8(h.audio_channels), b.u32(h.max_bitrate_kbps);
            b.u8(h.fec_fields), b.u8(h.ciphers), b.u16(h.client_video_port);
            return uint8_t{kHello};
          },
          [&](const Welcome& w) {
            b.u32(w.session_id), b.u8(w.codec), b.u16(w.width), b.u16(w.height);
            b.u16(w.fps_x100), b.u8(w.fec_field), b.u8(w.fec_percent), b.u16(w.shard_bytes);
            b.u8(w.cipher), b.u16(w.host_video_port), b.u32(w.initial_bitrate_kbps);
            b.u32(w.capabilities);
            return uint8_t{kWelcome};
          },
          [&](const RequestIdr& r) {
            b.u32(r.last_good_frame);
            return uint8_t{kRequestIdr};
          },
          [&](const InvalidateRefs& r) {
            b.u32(r.first), b.u32(r.last);
            return uint8_t{kInvalidateRefs};
          },
          [&](const ReceiverReport& r) {
            for (uint32_t x : {r.frames_received, r.frames_lost, r.shards_lost, r.shards_recovered,
                               r.jitter_us, r.decode_us_p50})
              b.u32(x);
            return uint8_t{kReceiverReport};
          },
          [&](const SetBitrate& r) {
            b.u32(r.kbps);
            return uint8_t{kSetBitrate};
          },
          [&](const SetFec& r) {
            b.u8(r.percent);
            return uint8_t{kSetFec};
          },
          [&](const Bye& r) {
            b.u32(r.reason);
            b.v.insert(b.v.end(), r.text.begin(), r.text.end());
            return uint8_t{kBye};
          },
          [&](const HdrMetadata& r) {
            for (uint16_t x : r.values)
              b.u16(x);
            return uint8_t{kHdrMetadata};
          },
          [&](const Keepalive&) { return uint8_t{kKeepalive}; },
          [&](const CursorShape& c) {
            b.u32(c.serial), b.u16(c.width), b.u16(c.height), b.u16(c.hotspot_x);
            b.u16(c.hotspot_y);
            b.v.insert(b.v.end(), c.rgba.begin(), c.rgba.end());
            return uint8_t{kCursorShape};
          },
          [&](const PairMessage& p) {
            b.v = p.body;
            return p.type;
          },
          [&](const UnknownMessage& u) { return u.type; },
      },
      m);
  Out framed;
  framed.u32(static_cast<uint32_t>(1 + b.v.size()));
  framed.u8(type);
  framed.v.insert(framed.v.end(), b.v.begin(), b.v.end());
  return framed.v;
}

Result<ControlMessage> decode_control(uint8_t type, std::span<const uint8_t> body) {
  ByteReader r(body);
  auto need = [&](auto v) -> bool { return v.has_value(); };
  switch (type) {
    case kHello: {
      Hello h;
      auto v = r.u16_le();
      auto c = r.u32_le();
      auto w = r.u16_le();
      auto ht = r.u16_le();
      auto f = r.u16_le();
      auto co = r.u8();
      auto a = r.u8();
      auto br = r.u32_le();
      auto fe = r.u8();
      auto ci = r.u8();
      auto p = r.u16_le();
      if (!r.ok() || !need(p))
        return tl::unexpected(malformed(type));
      h = Hello{*v, *c, *w, *ht, *f, *co, *a, *br, *fe, *ci, *p};
      if (h.version != 1)
        return make_error(StatusCode::kUnimplemented,
                          fmt::format("protocol version {} (this host speaks 1)", h.version));
      return h;
    }
    case kWelcome: {
      auto s = r.u32_le();
      auto co = r.u8();
      auto w = r.u16_le();
      auto h = r.u16_le();
      auto f = r.u16_le();
      auto ff = r.u8();
      auto fp = r.u8();
      auto sb = r.u16_le();
      auto ci = r.u8();
      auto p = r.u16_le();
      auto br = r.u32_le();
      if (!r.ok() || !need(br))
        return tl::unexpected(malformed(type));
      // Granted capabilities: an older host's Welcome ends before them.
      const uint32_t caps = r.remaining() >= 4 ? *r.u32_le() : 0;
      return Welcome{*s, *co, *w, *h, *f, *ff, *fp, *sb, *ci, *p, *br, caps};
    }
    case kRequestIdr: {
      auto f = r.u32_le();
      if (!f)
        return tl::unexpected(malformed(type));
      return RequestIdr{*f};
    }
    case kInvalidateRefs: {
      auto a = r.u32_le();
      auto b = r.u32_le();
      if (!a || !b || *b < *a)
        return tl::unexpected(malformed(type));
      return InvalidateRefs{*a, *b};
    }
    case kReceiverReport: {
      ReceiverReport rr;
      uint32_t* f[] = {&rr.frames_received,  &rr.frames_lost, &rr.shards_lost,
                       &rr.shards_recovered, &rr.jitter_us,   &rr.decode_us_p50};
      for (uint32_t* p : f) {
        auto v = r.u32_le();
        if (!v)
          return tl::unexpected(malformed(type));
        *p = *v;
      }
      return rr;
    }
    case kSetBitrate: {
      auto k = r.u32_le();
      if (!k)
        return tl::unexpected(malformed(type));
      return SetBitrate{*k};
    }
    case kSetFec: {
      auto p = r.u8();
      if (!p || *p > 100)
        return tl::unexpected(malformed(type));
      return SetFec{*p};
    }
    case kBye: {
      auto reason = r.u32_le();
      if (!reason)
        return tl::unexpected(malformed(type));
      auto text = r.bytes(r.remaining());
      return Bye{*reason, std::string(text->begin(), text->end())};
    }
    case kHdrMetadata: {
      HdrMetadata h;
      for (auto& x : h.values) {
        auto v = r.u16_le();
        if (!v)
          return tl::unexpected(malformed(type));
        x = *v;
      }
      return h;
    }
    case kKeepalive:
      return Keepalive{};
    case kCursorShape:
      return decode_cursor_shape(r);
    case 0x10:
    case 0x11:
    case 0x12:
      return PairMessage{type, std::vector<uint8_t>(body.begin(), body.end())};
    default:
      return UnknownMessage{type};
  }
}

Status ControlFramer::feed(std::span<const uint8_t> bytes) {
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
  if (buffered() >= 4) {
    const uint8_t* p = buf_.data() + pos_;
    const uint32_t len =
        uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
    if (len == 0 || len > kMaxControlMessage)
      return Status(
          StatusCode::kInvalidArgument,
          fmt::format("control message length {} is outside 1..{}", len, kMaxControlMessage));
  }
  return Status::ok();
}

std::optional<Result<ControlMessage>> ControlFramer::next() {
  if (buffered() < 5)
    return std::nullopt;
  const uint8_t* p = buf_.data() + pos_;
  const uint32_t len =
      uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  if (len == 0 || len > kMaxControlMessage)
    return Result<ControlMessage>(tl::unexpected(
        Status(StatusCode::kInvalidArgument, "control message length out of range")));
  if (buffered() < 4 + size_t{len})
    return std::nullopt;
  const uint8_t type = p[4];
  auto m = decode_control(type, std::span<const uint8_t>(p + 5, len - 1));
  pos_ += 4 + len;
  // Compact once the consumed prefix dominates.
  if (pos_ > 4096 && pos_ * 2 > buf_.size()) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<long>(pos_));
    pos_ = 0;
  }
  return m;
}

std::string to_string(const HdrMetadata& m) {
  const auto& v = m.values;
  return fmt::format("R({},{}) G({},{}) B({},{}) WP({},{}) L({},{}) CLL {} FALL {}", v[0], v[1],
                     v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
}

}  // namespace pf::proto::native
