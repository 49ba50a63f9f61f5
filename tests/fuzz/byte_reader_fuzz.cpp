// SPDX-License-Identifier: MIT OR Apache-2.0
// Drives ByteReader with an op program taken from the input itself and checks
// its invariants: no read past the end, position never decreases, a failed read
// leaves the position unchanged.
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/byte_reader.h"
#include "base/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  size_t n_ops = data[0] % 32;
  if (n_ops + 1 > size)
    n_ops = size - 1;
  std::span<const uint8_t> ops(data + 1, n_ops);
  std::span<const uint8_t> payload(data + 1 + n_ops, size - 1 - n_ops);
  pf::ByteReader r(payload);
  for (uint8_t op : ops) {
    size_t before = r.position();
    bool ok = true;
    switch (op % 10) {
      case 0:
        ok = r.u8().has_value();
        break;
      case 1:
        ok = r.u16_le().has_value();
        break;
      case 2:
        ok = r.u32_be().has_value();
        break;
      case 3:
        ok = r.u64_le().has_value();
        break;
      case 4:
        ok = r.u64_be().has_value();
        break;
      case 5:
        ok = r.i32_le().has_value();
        break;
      case 6: {
        auto b = r.bytes(op / 10);
        ok = b.has_value();
        if (b)
          PF_CHECK(b->size() == static_cast<size_t>(op / 10));
        break;
      }
      case 7:
        ok = r.skip(op / 10);
        break;
      case 8:
        ok = r.u16_be().has_value();
        break;
      case 9:
        r.rest();
        PF_CHECK(r.empty());
        break;
    }
    PF_CHECK(r.position() <= payload.size());
    PF_CHECK(r.position() >= before);
    if (!ok) {
      PF_CHECK(r.position() == before);
      PF_CHECK(!r.ok());
    }
  }
  return 0;
}
