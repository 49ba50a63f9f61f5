// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/datagrams.h"

#include <fmt/format.h>

#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/overloaded.h"

namespace pf::proto::native {
namespace {

constexpr size_t kInputBytes = 1 + 17;
constexpr size_t kOpusHeaderBytes = 1 + 4 + 8;
constexpr size_t kRumbleBytes = 1 + 7;
constexpr size_t kClockProbeBytes = 1 + 12;
constexpr size_t kClockReplyBytes = 1 + 28;
constexpr size_t kHostTimingBytes = 1 + 12;
constexpr size_t kCursorBytes = 1 + 13;

}  // namespace

bool is_release(const InputDatagram& e) {
  switch (static_cast<InputKind>(e.kind)) {
    case InputKind::kKeyUp:
    case InputKind::kButtonUp:
      return true;
    case InputKind::kGamepadButton:
      return (e.flags & 1) == 0;
    case InputKind::kTouch:
    case InputKind::kGamepadTouchpad:
      return e.flags == 2;
    case InputKind::kPen:
      return pen_event(e) == PenEvent::kUp || pen_event(e) == PenEvent::kCancel ||
             pen_event(e) == PenEvent::kLeave;
    default:
      return false;
  }
}

InputDatagram make_pen(PenEvent event,
                       uint8_t tool,
                       uint8_t buttons,
                       uint8_t tilt,
                       int32_t x,
                       int32_t y,
                       uint16_t pressure) {
  return {static_cast<uint8_t>(InputKind::kPen),
          uint32_t{tool} | uint32_t{buttons} << 8 | uint32_t{tilt} << 16, x, y,
          static_cast<uint32_t>(event) | uint32_t{pressure} << 16};
}

bool is_known_input_kind(uint8_t kind) {
  return kind >= 1 && kind <= 16;
}

DatagramTag tag_of(const Datagram& d) {
  return std::visit(Overloaded{
                        [](const InputDatagram&) { return DatagramTag::kInput; },
                        [](const AudioDatagram&) { return DatagramTag::kAudio; },
                        [](const RumbleDatagram&) { return DatagramTag::kRumble; },
                        [](const MicDatagram&) { return DatagramTag::kMic; },
                        [](const ClockProbeDatagram&) { return DatagramTag::kClockProbe; },
                        [](const ClockReplyDatagram&) { return DatagramTag::kClockReply; },
                        [](const HostTimingDatagram&) { return DatagramTag::kHostTiming; },
                        [](const CursorDatagram&) { return DatagramTag::kCursor; },
                    },
                    d);
}

size_t encoded_size(const Datagram& d) {
  return std::visit(Overloaded{
                        [](const InputDatagram&) { return kInputBytes; },
                        [](const AudioDatagram& a) { return kOpusHeaderBytes + a.opus.size(); },
                        [](const RumbleDatagram&) { return kRumbleBytes; },
                        [](const MicDatagram& a) { return kOpusHeaderBytes + a.opus.size(); },
                        [](const ClockProbeDatagram&) { return kClockProbeBytes; },
                        [](const ClockReplyDatagram&) { return kClockReplyBytes; },
                        [](const HostTimingDatagram&) { return kHostTimingBytes; },
                        [](const CursorDatagram&) { return kCursorBytes; },
                    },
                    d);
}

Result<size_t> encode_datagram(const Datagram& d, std::span<uint8_t> out) {
  const size_t need = encoded_size(d);
  if (out.size() < need)
    return make_error(StatusCode::kResourceExhausted,
                      fmt::format("datagram needs {} bytes, buffer has {}", need, out.size()));
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(tag_of(d)));
  std::visit(Overloaded{
                 [&](const InputDatagram& v) {
                   w.u8(v.kind);
                   w.u32_le(v.code);
                   w.i32_le(v.x);
                   w.i32_le(v.y);
                   w.u32_le(v.flags);
                 },
                 [&](const OpusDatagram& v) {
                   w.u32_le(v.seq);
                   w.u64_le(v.pts_ns);
                   w.bytes(v.opus);
                 },
                 [&](const RumbleDatagram& v) {
                   w.u8(v.pad);
                   w.u16_le(v.low_motor);
                   w.u16_le(v.high_motor);
                   w.u16_le(v.duration_ms);
                 },
                 [&](const ClockProbeDatagram& v) {
                   w.u32_le(v.seq);
                   w.u64_le(v.client_send_ns);
                 },
                 [&](const ClockReplyDatagram& v) {
                   w.u32_le(v.seq);
                   w.u64_le(v.client_send_ns);
                   w.u64_le(v.host_receive_ns);
                   w.u64_le(v.host_send_ns);
                 },
                 [&](const HostTimingDatagram& v) {
                   w.u32_le(v.frame_index);
                   w.u32_le(v.capture_to_encoded_us);
                   w.u32_le(v.encoded_to_sent_us);
                 },
                 [&](const CursorDatagram& v) {
                   w.u32_le(v.frame_index);
                   w.u32_le(v.serial);
                   w.u16_le(static_cast<uint16_t>(v.x));
                   w.u16_le(static_cast<uint16_t>(v.y));
                   w.u8(v.flags);
                 },
             },
             d);
  return w.position();
}

Result<Datagram> decode_datagram(std::span<const uint8_t> in) {
  ByteReader r(in);
  auto tag = r.u8();
  if (!tag)
    return make_error(StatusCode::kInvalidArgument, "empty datagram");
  auto truncated = [&](const char* what) {
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("truncated {} datagram ({} bytes)", what, in.size()));
  };
  switch (static_cast<DatagramTag>(*tag)) {
    case DatagramTag::kInput: {
      InputDatagram v;
      auto kind = r.u8();
      auto code = r.u32_le();
      auto x = r.i32_le();
      auto y = r.i32_le();
      auto flags = r.u32_le();
      if (!r.ok())
        return truncated("input");
      v.kind = *kind;
      v.code = *code;
      v.x = *x;
      v.y = *y;
      v.flags = *flags;
      return v;
    }
    case DatagramTag::kAudio:
    case DatagramTag::kMic: {
      auto seq = r.u32_le();
      auto pts = r.u64_le();
      if (!r.ok())
        return truncated(*tag == 0xC9 ? "audio" : "mic");
      OpusDatagram v{*seq, *pts, r.rest()};
      if (*tag == 0xC9)
        return AudioDatagram{v};
      return MicDatagram{v};
    }
    case DatagramTag::kRumble: {
      auto pad = r.u8();
      auto lo = r.u16_le();
      auto hi = r.u16_le();
      auto dur = r.u16_le();
      if (!r.ok())
        return truncated("rumble");
      return RumbleDatagram{*pad, *lo, *hi, *dur};
    }
    case DatagramTag::kClockProbe: {
      auto seq = r.u32_le();
      auto send = r.u64_le();
      if (!r.ok())
        return truncated("clock probe");
      return ClockProbeDatagram{*seq, *send};
    }
    case DatagramTag::kClockReply: {
      auto seq = r.u32_le();
      auto send = r.u64_le();
      auto recv = r.u64_le();
      auto hsend = r.u64_le();
      if (!r.ok())
        return truncated("clock reply");
      return ClockReplyDatagram{*seq, *send, *recv, *hsend};
    }
    case DatagramTag::kHostTiming: {
      auto frame = r.u32_le();
      auto enc = r.u32_le();
      auto sent = r.u32_le();
      if (!r.ok())
        return truncated("host timing");
      return HostTimingDatagram{*frame, *enc, *sent};
    }
    case DatagramTag::kCursor: {
      auto frame = r.u32_le();
      auto serial = r.u32_le();
      auto x = r.u16_le();
      auto y = r.u16_le();
      auto flags = r.u8();
      if (!r.ok())
        return truncated("cursor");
      return CursorDatagram{*frame, *serial, static_cast<int16_t>(*x), static_cast<int16_t>(*y),
                            *flags};
    }
  }
  return make_error(StatusCode::kNotFound, fmt::format("unknown datagram tag 0x{:02x}", *tag));
}

}  // namespace pf::proto::native
