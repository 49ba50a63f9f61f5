// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as the body of the management API's JSON input (POST
// /api/v1/pairing/gamestream-pin): an error or a 4-digit PIN, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "proto/mgmt/requests.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto pin = pf::proto::mgmt::parse_gamestream_pin_request(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (pin)
    PF_CHECK(pin->size() == 4 && pin->find_first_not_of("0123456789") == std::string::npos);
  return 0;
}
