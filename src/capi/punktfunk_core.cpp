// SPDX-License-Identifier: MIT OR Apache-2.0
// C ABI glue: converts between the flat C structs and the C++ core. No logic of
// its own; nothing may throw out of these functions.
#include "punktfunk_core.h"

#include <cstddef>
#include <cstring>
#include <new>

#include "base/status.h"
#include "session/session_config.h"

struct PunktfunkContext {
  pf::SessionConfig config;
};

namespace {

static_assert(static_cast<int>(PUNKTFUNK_STATUS_CANCELLED) ==
                  static_cast<int>(pf::StatusCode::kCancelled),
              "PunktfunkStatus must mirror pf::StatusCode");
static_assert(pf::kStatusCodeCount == PUNKTFUNK_STATUS_CANCELLED + 1);

// The smallest struct_size accepted: PunktfunkConfig as of ABI 0.1.
constexpr uint32_t kConfigV1Size = offsetof(PunktfunkConfig, reserved0) + 1;

PunktfunkStatus to_c(const pf::Status& s) {
  return static_cast<PunktfunkStatus>(s.code());
}

PunktfunkConfig to_c(const pf::SessionConfig& c) {
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
  return out;
}

pf::SessionConfig from_c(const PunktfunkConfig& c) {
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
  return out;
}

// Copies the caller's struct (whatever its size) into a full-size one.
bool read_config(const PunktfunkConfig* in, PunktfunkConfig* full) {
  if (in == nullptr || in->struct_size < kConfigV1Size)
    return false;
  *full = to_c(pf::SessionConfig{});
  std::memcpy(full, in, in->struct_size < sizeof(*full) ? in->struct_size : sizeof(*full));
  return full->reserved0 == 0;
}

// Copies a full-size struct into the caller's, up to the caller's struct_size.
void write_config(const PunktfunkConfig& full, PunktfunkConfig* out) {
  uint32_t size = out->struct_size;
  std::memcpy(out, &full, size < sizeof(full) ? size : sizeof(full));
  out->struct_size = size;
}

}  // namespace

extern "C" {

uint32_t punktfunk_abi_version(void) {
  return PUNKTFUNK_ABI_VERSION;
}

const char* punktfunk_status_string(PunktfunkStatus status) {
  int v = static_cast<int>(status);
  if (v < 0 || v >= pf::kStatusCodeCount)
    return "unknown";
  // status_code_name returns views of string literals, so data() is NUL-terminated.
  return pf::status_code_name(static_cast<pf::StatusCode>(v)).data();
}

PunktfunkStatus punktfunk_config_init(PunktfunkConfig* config) {
  if (config == nullptr || config->struct_size < kConfigV1Size)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  write_config(to_c(pf::SessionConfig{}), config);
  return PUNKTFUNK_STATUS_OK;
}

PunktfunkStatus punktfunk_config_validate(const PunktfunkConfig* config) {
  PunktfunkConfig full;
  if (!read_config(config, &full))
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  return to_c(pf::validate(from_c(full)));
}

PunktfunkStatus punktfunk_context_create(const PunktfunkConfig* config, PunktfunkContext** out) {
  if (out == nullptr)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  *out = nullptr;
  PunktfunkConfig full;
  if (!read_config(config, &full))
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  pf::SessionConfig cfg = from_c(full);
  pf::Status s = pf::validate(cfg);
  if (!s.is_ok())
    return to_c(s);
  auto* ctx = new (std::nothrow) PunktfunkContext{cfg};
  if (ctx == nullptr)
    return PUNKTFUNK_STATUS_RESOURCE_EXHAUSTED;
  *out = ctx;
  return PUNKTFUNK_STATUS_OK;
}

PunktfunkStatus punktfunk_context_get_config(const PunktfunkContext* context,
                                             PunktfunkConfig* out) {
  if (context == nullptr || out == nullptr || out->struct_size < kConfigV1Size)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  write_config(to_c(context->config), out);
  return PUNKTFUNK_STATUS_OK;
}

void punktfunk_context_destroy(PunktfunkContext* context) {
  delete context;
}

}  // extern "C"
