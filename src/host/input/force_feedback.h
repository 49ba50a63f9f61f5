// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <variant>

// Force feedback of a virtual gamepad, sans I/O: what a game asks of the pad
// through the kernel (upload, erase, play, stop, gain) in, the rumble the
// client's controller should feel out, as punktfunk/1 0xCA / GameStream
// 0x010b messages. Datagrams can be lost, so the output never says "forever":
// every message carries a duration of at most 1 s and is repeated every
// 500 ms while the pad rumbles; a lost stop costs at most that second.
// Thread model: not thread-safe (one per pad, under the pad's lock).
namespace pf::host {

// An uploaded effect, reduced to what a rumble motor pair can render.
struct FfEffect {
  enum class Kind { kRumble, kPeriodic, kOther } kind = Kind::kRumble;
  uint16_t strong = 0, weak = 0;  // FF_RUMBLE magnitudes (periodic: its magnitude on both)
  uint16_t length_ms = 0;         // 0 = until stopped
  uint16_t delay_ms = 0;
};

struct FfUpload {
  int16_t id;
  FfEffect effect;
};
struct FfErase {
  int16_t id;
};
struct FfPlay {
  int16_t id;
  int32_t count;  // 0 stops, n plays n times
};
struct FfGain {
  uint16_t gain;  // 0..0xFFFF
};
using FfRequest = std::variant<FfUpload, FfErase, FfPlay, FfGain>;

struct Rumble {
  uint16_t low = 0, high = 0;  // low-frequency (strong) and high-frequency (weak) motor
  uint16_t duration_ms = 0;
  friend bool operator==(const Rumble&, const Rumble&) = default;
};

class FfTracker {
 public:
  static constexpr int64_t kMaxDurationMs = 1000, kRefreshMs = 500;

  void on(const FfRequest& request, int64_t now_ms);
  // The message to send now, if any: the rumble changed, or is on and due for
  // its refresh. Both motors 0 means stop.
  std::optional<Rumble> poll(int64_t now_ms);

 private:
  struct Playing {
    int64_t start_ms, end_ms;  // end INT64_MAX: until stopped
  };
  Rumble mix(int64_t now_ms) const;

  std::map<int16_t, FfEffect> effects_;
  std::map<int16_t, Playing> playing_;
  uint16_t gain_ = 0xFFFF;
  Rumble sent_{};
  int64_t sent_at_ms_ = 0;
};

}  // namespace pf::host
