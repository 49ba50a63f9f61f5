// SPDX-License-Identifier: MIT OR Apache-2.0
// C ABI glue: converts between the flat C structs and the C++ core. No logic of
// its own; nothing may throw out of these functions.
#include "punktfunk_core.h"

#include <cstddef>
#include <cstring>
#include <new>

#include "base/status.h"
#include "capi/capi_internal.h"
#include "session/session_config.h"

struct PunktfunkContext {
  pf::SessionConfig config;
};

using namespace pf::capi;

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
