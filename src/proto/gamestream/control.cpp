// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/control.h"

#include <cstring>

#include <fmt/format.h>

#include "base/endian.h"
#include "crypto/aead.h"

namespace pf::proto::gamestream {

namespace {

inline constexpr size_t kOuterHeader = 4 + 4 + 16;  // marker, length, seq, tag
inline constexpr size_t kMaxControlMessage = 64 * 1024;

Status bad(std::string_view what) {
  return Status(StatusCode::kInvalidArgument, fmt::format("control: {}", what));
}

}  // namespace

std::array<uint8_t, 12> control_iv(uint32_t sequence, bool from_host) {
  std::array<uint8_t, 12> iv{};
  for (int i = 0; i < 4; ++i)
    iv[i] = static_cast<uint8_t>(sequence >> (8 * i));
  iv[10] = from_host ? 'H' : 'C';
  iv[11] = 'C';
  return iv;
}

struct ControlCipher::Impl {
  std::unique_ptr<crypto::Aead> aead;
};

ControlCipher::ControlCipher(std::span<const uint8_t, 16> key) : impl_(std::make_unique<Impl>()) {
  impl_->aead = std::move(*crypto::Aead::create(crypto::AeadAlgorithm::kAes128Gcm, key));
}

ControlCipher::~ControlCipher() = default;

std::vector<uint8_t> ControlCipher::seal(const ControlMessage& m, bool from_host) {
  std::vector<uint8_t> inner;
  append_le16(inner, m.type);
  append_le16(inner, static_cast<uint16_t>(m.payload.size()));
  inner.insert(inner.end(), m.payload.begin(), m.payload.end());
  const uint32_t seq = send_seq_++;
  std::vector<uint8_t> sealed(inner.size() + crypto::kTagBytes);
  impl_->aead->seal(control_iv(seq, from_host), {}, inner, sealed.data());
  std::vector<uint8_t> out;
  out.reserve(kOuterHeader + inner.size());
  append_le16(out, 0x0001);
  append_le16(out, static_cast<uint16_t>(4 + 16 + inner.size()));
  append_le32(out, seq);
  out.insert(out.end(), sealed.end() - crypto::kTagBytes, sealed.end());
  out.insert(out.end(), sealed.begin(), sealed.end() - crypto::kTagBytes);
  return out;
}

Result<ControlMessage> ControlCipher::open(std::span<const uint8_t> p, bool from_host) {
  if (p.size() < kOuterHeader + 4)
    return tl::unexpected(bad("runt message"));
  if (p.size() > kMaxControlMessage)
    return tl::unexpected(bad("message larger than 64 KiB"));
  if (load_le16(p.data()) != 0x0001)
    return tl::unexpected(bad("not an encrypted message (plaintext is refused)"));
  if (load_le16(p.data() + 2) != p.size() - 4)
    return tl::unexpected(bad("length field does not match the datagram"));
  const uint32_t seq = load_le32(p.data() + 4);
  const size_t n = p.size() - kOuterHeader;
  std::vector<uint8_t> sealed(n + crypto::kTagBytes);
  std::memcpy(sealed.data(), p.data() + kOuterHeader, n);
  std::memcpy(sealed.data() + n, p.data() + 8, crypto::kTagBytes);
  std::vector<uint8_t> inner(n);
  if (!impl_->aead->open(control_iv(seq, from_host), {}, sealed, inner.data()))
    return tl::unexpected(
        Status(StatusCode::kPermissionDenied, "control: message does not authenticate"));
  const uint16_t len = load_le16(inner.data() + 2);
  if (len != n - 4)
    return tl::unexpected(bad("inner length does not match"));
  ControlMessage m;
  m.type = load_le16(inner.data());
  m.payload.assign(inner.begin() + 4, inner.end());
  return m;
}

Result<InvalidateRefs> parse_invalidate_refs(std::span<const uint8_t> p) {
  if (p.size() < 12)
    return tl::unexpected(bad("invalidate-references payload too short"));
  InvalidateRefs r{load_le32(p.data()), load_le32(p.data() + 8)};
  if (r.last < r.first)
    return tl::unexpected(bad("invalidate-references range is reversed"));
  return r;
}

Result<HdrMode> parse_hdr_mode(std::span<const uint8_t> p) {
  if (p.size() < 27)
    return tl::unexpected(bad("HDR mode payload too short"));
  HdrMode m;
  m.enabled = p[0] != 0;
  const auto at = [&p](size_t i) { return load_le16(p.data() + 1 + 2 * i); };
  for (size_t c = 0; c < 3; ++c)
    m.metadata.primaries[c] = {at(2 * c), at(2 * c + 1)};
  m.metadata.white_point = {at(6), at(7)};
  m.metadata.max_luminance = at(8);
  m.metadata.min_luminance = at(9);
  m.metadata.max_cll = at(10);
  m.metadata.max_fall = at(11);
  m.metadata.max_full_frame = at(12);
  return m;
}

Result<FecStatus> parse_fec_status(std::span<const uint8_t> p) {
  if (p.size() < 21)
    return tl::unexpected(bad("FEC status payload too short"));
  FecStatus s;
  s.frame_index = load_be32(p.data());
  s.highest_received = load_be16(p.data() + 4);
  s.next_contiguous = load_be16(p.data() + 6);
  s.missing_before_highest = load_be16(p.data() + 8);
  s.data_packets = load_be16(p.data() + 10);
  s.parity_packets = load_be16(p.data() + 12);
  s.received_data = load_be16(p.data() + 14);
  s.received_parity = load_be16(p.data() + 16);
  s.fec_percent = p[18];
  s.block_index = p[19];
  s.block_count = p[20];
  return s;
}

ControlMessage make_termination(uint32_t reason) {
  ControlMessage m{static_cast<uint16_t>(ControlType::kTermination), {}};
  for (int i = 3; i >= 0; --i)
    m.payload.push_back(static_cast<uint8_t>(reason >> (8 * i)));
  return m;
}

ControlMessage make_rumble(uint16_t controller, uint16_t low, uint16_t high) {
  ControlMessage m{static_cast<uint16_t>(ControlType::kRumble), {}};
  append_le32(m.payload, 0);
  append_le16(m.payload, controller);
  append_le16(m.payload, low);
  append_le16(m.payload, high);
  return m;
}

ControlMessage make_set_motion_event(uint16_t controller, uint16_t rate_hz, uint8_t sensor) {
  ControlMessage m{static_cast<uint16_t>(ControlType::kSetMotionEvent), {}};
  append_le16(m.payload, controller);
  append_le16(m.payload, rate_hz);
  m.payload.push_back(sensor);
  return m;
}

ControlMessage make_hdr_mode(bool enabled, const HdrMetadata& h) {
  ControlMessage m{static_cast<uint16_t>(ControlType::kHdrMode), {}};
  m.payload.push_back(enabled ? 1 : 0);
  for (const auto& p : h.primaries) {
    append_le16(m.payload, p[0]);
    append_le16(m.payload, p[1]);
  }
  append_le16(m.payload, h.white_point[0]);
  append_le16(m.payload, h.white_point[1]);
  for (uint16_t v : {h.max_luminance, h.min_luminance, h.max_cll, h.max_fall, h.max_full_frame})
    append_le16(m.payload, v);
  return m;
}

ControlAction decide_control(uint16_t type, std::span<const uint8_t> payload) {
  using Kind = ControlAction::Kind;
  ControlAction a;
  switch (static_cast<ControlType>(type)) {
    case ControlType::kInvalidateRefs:
      if (auto rfi = parse_invalidate_refs(payload)) {
        a.kind = Kind::kInvalidateRefs;
        a.rfi = *rfi;
      } else {
        a.kind = Kind::kKeyframe;  // a range it cannot read: a keyframe is always right
      }
      break;
    case ControlType::kRequestIdr:
      a.kind = Kind::kKeyframe;
      break;
    case ControlType::kInput:
      a.kind = Kind::kInput;
      a.payload = payload;
      break;
    case ControlType::kFecStatus:
      if (auto f = parse_fec_status(payload)) {
        a.kind = Kind::kFecStatus;
        a.fec = *f;
      } else {
        a.kind = Kind::kLiveness;
      }
      break;
    case ControlType::kPing:
    case ControlType::kStartB:
    case ControlType::kLtrAck:
      a.kind = Kind::kLiveness;
      break;
    default:
      break;
  }
  return a;
}

}  // namespace pf::proto::gamestream
