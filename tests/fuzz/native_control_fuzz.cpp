// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as punktfunk/1 control-stream data (in two chunks): the framer and
// decoders never crash, and every decoded known message re-encodes to a
// frame that decodes to the same message.
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/check.h"
#include "proto/native/control.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::native;
  ControlFramer f;
  const size_t half = size / 2;
  for (auto chunk :
       {std::span<const uint8_t>(data, half), std::span<const uint8_t>(data + half, size - half)}) {
    if (!f.feed(chunk).is_ok())
      return 0;
    while (auto m = f.next()) {
      if (!*m)
        return 0;
      if (std::holds_alternative<UnknownMessage>(**m))
        continue;
      const auto bytes = encode_control(**m);
      ControlFramer again;
      PF_CHECK(again.feed(bytes).is_ok());
      auto back = again.next();
      PF_CHECK(back && *back && **back == **m);
    }
  }
  return 0;
}
