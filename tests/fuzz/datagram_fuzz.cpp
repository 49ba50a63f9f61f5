// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes: decode must not crash; a decoded datagram must re-encode, and the
// re-encoding must decode to the same kind of datagram.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/check.h"
#include "proto/native/datagrams.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::native;
  auto d = decode_datagram(std::span<const uint8_t>(data, size));
  if (!d)
    return 0;
  const size_t need = encoded_size(*d);
  PF_CHECK(need <= size);  // trailing bytes may be dropped, nothing invented
  std::vector<uint8_t> out(need);
  auto n = encode_datagram(*d, out);
  PF_CHECK(n && *n == need);
  auto again = decode_datagram(out);
  PF_CHECK(again && again->index() == d->index());
  return 0;
}
