// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

// Shared by the C ABI glue files: conversions between the flat C structs and
// the C++ core, and the exception barrier.
#include <cstddef>
#include <cstring>
#include <exception>
#include <new>

#include "base/status.h"
#include "punktfunk_core.h"
#include "session/session_config.h"

namespace pf::capi {

static_assert(static_cast<int>(PUNKTFUNK_STATUS_CANCELLED) ==
                  static_cast<int>(pf::StatusCode::kCancelled),
              "PunktfunkStatus must mirror pf::StatusCode");
static_assert(pf::kStatusCodeCount == PUNKTFUNK_STATUS_CANCELLED + 1);

// The smallest struct_size accepted: PunktfunkConfig as of ABI 0.1.
constexpr uint32_t kConfigV1Size = offsetof(PunktfunkConfig, reserved0) + 1;

inline PunktfunkStatus to_c(const pf::Status& s) {
  return static_cast<PunktfunkStatus>(s.code());
}

inline PunktfunkConfig to_c(const pf::SessionConfig& c) {
  PunktfunkConfig out;
  std::memset(&out, 0, sizeof(out));
  out.struct_size = sizeof(out);
  out.width = c.width;
  out.height = c.height;
  out.fps_x100 = c.fps_x100;
  out.max_bitrate_kbps = c.max_bitrate_kbps;
  out.shard_bytes = c.shard_bytes;
  out.fec_percent = c.fec_percent;
  out.fec_fields = c.fec_fields;
  out.ciphers = c.ciphers;
  out.codecs = c.codecs;
  out.audio_channels = c.audio_channels;
  out.capabilities = c.capabilities;
  return out;
}

inline pf::SessionConfig from_c(const PunktfunkConfig& c) {
  pf::SessionConfig out;
  out.width = c.width;
  out.height = c.height;
  out.fps_x100 = c.fps_x100;
  out.max_bitrate_kbps = c.max_bitrate_kbps;
  out.shard_bytes = c.shard_bytes;
  out.fec_percent = c.fec_percent;
  out.fec_fields = c.fec_fields;
  out.ciphers = c.ciphers;
  out.codecs = c.codecs;
  out.audio_channels = c.audio_channels;
  out.capabilities = c.capabilities;
  return out;
}

// Copies the caller's struct (whatever its size) into a full-size one.
inline bool read_config(const PunktfunkConfig* in, PunktfunkConfig* full) {
  if (in == nullptr || in->struct_size < kConfigV1Size)
    return false;
  *full = to_c(pf::SessionConfig{});
  std::memcpy(full, in, in->struct_size < sizeof(*full) ? in->struct_size : sizeof(*full));
  return full->reserved0 == 0;
}

// Copies a full-size struct into the caller's, up to the caller's struct_size.
inline void write_config(const PunktfunkConfig& full, PunktfunkConfig* out) {
  uint32_t size = out->struct_size;
  std::memcpy(out, &full, size < sizeof(full) ? size : sizeof(full));
  out->struct_size = size;
}

// Runs fn() and turns any escaping exception into a status: nothing may
// cross the C boundary.
template <typename Fn>
PunktfunkStatus guarded(Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return PUNKTFUNK_STATUS_RESOURCE_EXHAUSTED;
  } catch (...) {
    return PUNKTFUNK_STATUS_INTERNAL;
  }
}

}  // namespace pf::capi
