// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "base/status.h"

// punktfunk/1 QUIC DATAGRAM payloads (protocol section 5): one tag byte, then
// little-endian fields. Decoding borrows Opus payloads from the input (no copy,
// no allocation); trailing bytes after a fixed layout are ignored so later
// versions can append fields.
namespace pf::proto::native {

enum class DatagramTag : uint8_t {
  kInput = 0xC8,
  kAudio = 0xC9,
  kRumble = 0xCA,
  kMic = 0xCB,
  kClockProbe = 0xCC,
  kClockReply = 0xCD,
  kHostTiming = 0xCE,
  kCursor = 0xCF,
};

// Input kinds (the `kind` byte of 0xC8); others are parsed but unknown.
enum class InputKind : uint8_t {
  kKeyDown = 1,
  kKeyUp = 2,
  kMouseRelative = 3,
  kMouseAbsolute = 4,
  kButtonDown = 5,
  kButtonUp = 6,
  kScroll = 7,
  kHScroll = 8,
  kGamepadButton = 9,
  kGamepadAxis = 10,
  kText = 11,
  kTouch = 12,
  // A client's pad and what it is: code = pad << 16 | kind (GamepadType),
  // flags = capabilities (GamepadCaps). The host makes a pad of that layout.
  kGamepadArrival = 13,
  // A pad's motion sensor: code = pad << 16 | sensor (1 accelerometer in
  // mm/s², 2 gyroscope in millidegrees/s), x, y, z = int32(flags).
  kGamepadMotion = 14,
  // A finger on a pad's touchpad: code = pad << 16 | finger (0-1), x, y in
  // 0..65535 over the touchpad, flags 0 down, 1 move, 2 up.
  kGamepadTouchpad = 15,
  // A pen: code = tool (bits 0-7: 0 unknown, 1 pen, 2 eraser) | buttons
  // (bits 8-15: 1 primary, 2 secondary, 4 tertiary) | tilt (bits 16-23,
  // degrees 0-90, 0xFF unknown); x, y in 0..65535; flags = event (bits 0-7:
  // PenEvent) | pressure (bits 16-31, 0..65535).
  kPen = 16,
};
enum class PenEvent : uint8_t {
  kHover = 0,
  kDown = 1,
  kUp = 2,
  kMove = 3,
  kCancel = 4,
  kLeave = 6
};

enum class GamepadType : uint8_t { kUnknown = 0, kXbox = 1, kPlayStation = 2, kNintendo = 3 };
// Capability bits of kGamepadArrival (GameStream's controller arrival bits).
inline constexpr uint32_t kCapTouchpad = 0x08, kCapAccel = 0x10, kCapGyro = 0x20;
inline constexpr uint32_t kSensorAccel = 1, kSensorGyro = 2;
bool is_known_input_kind(uint8_t kind);
// Input that lets go of something (key or button up, a gamepad button
// released, a touch lifted): rate bounds never drop it, or a key could stick.

struct InputDatagram {
  uint8_t kind = 0;
  uint32_t code = 0;
  int32_t x = 0, y = 0;
  uint32_t flags = 0;
  friend bool operator==(const InputDatagram&, const InputDatagram&) = default;
};
bool is_release(const InputDatagram& e);
// The event of a kPen datagram, and a kPen datagram from its parts.
inline PenEvent pen_event(const InputDatagram& e) {
  return static_cast<PenEvent>(e.flags & 0xFF);
}
InputDatagram make_pen(PenEvent event,
                       uint8_t tool,
                       uint8_t buttons,
                       uint8_t tilt,
                       int32_t x,
                       int32_t y,
                       uint16_t pressure);

// 0xC9 (host -> client audio) and 0xCB (client -> host mic) share this layout.
struct OpusDatagram {
  uint32_t seq = 0;
  uint64_t pts_ns = 0;
  std::span<const uint8_t> opus;  // borrowed
};
struct AudioDatagram : OpusDatagram {};
struct MicDatagram : OpusDatagram {};

struct RumbleDatagram {
  uint8_t pad = 0;
  uint16_t low_motor = 0, high_motor = 0, duration_ms = 0;
  friend bool operator==(const RumbleDatagram&, const RumbleDatagram&) = default;
};

struct ClockProbeDatagram {
  uint32_t seq = 0;
  uint64_t client_send_ns = 0;
  friend bool operator==(const ClockProbeDatagram&, const ClockProbeDatagram&) = default;
};

struct ClockReplyDatagram {
  uint32_t seq = 0;
  uint64_t client_send_ns = 0, host_receive_ns = 0, host_send_ns = 0;
  friend bool operator==(const ClockReplyDatagram&, const ClockReplyDatagram&) = default;
};

struct HostTimingDatagram {
  uint32_t frame_index = 0;
  uint32_t capture_to_encoded_us = 0, encoded_to_sent_us = 0;
  friend bool operator==(const HostTimingDatagram&, const HostTimingDatagram&) = default;
};

// 0xCF (section 8): where the pointer was on frame `frame_index`'s picture.
inline constexpr uint8_t kCursorVisible = 0x1;
struct CursorDatagram {
  uint32_t frame_index = 0, serial = 0;
  int16_t x = 0, y = 0;  // the hotspot, in the picture's pixels
  uint8_t flags = 0;
  friend bool operator==(const CursorDatagram&, const CursorDatagram&) = default;
};

using Datagram = std::variant<InputDatagram,
                              AudioDatagram,
                              RumbleDatagram,
                              MicDatagram,
                              ClockProbeDatagram,
                              ClockReplyDatagram,
                              HostTimingDatagram,
                              CursorDatagram>;

DatagramTag tag_of(const Datagram& d);

// Bytes needed to encode `d` (tag included).
size_t encoded_size(const Datagram& d);

// Writes `d` into `out`; returns the byte count, or kResourceExhausted if it
// does not fit.
Result<size_t> encode_datagram(const Datagram& d, std::span<uint8_t> out);

// Parses one datagram. kNotFound for an unknown tag, kInvalidArgument for a
// truncated one; both mean "count and drop".
Result<Datagram> decode_datagram(std::span<const uint8_t> in);

}  // namespace pf::proto::native
