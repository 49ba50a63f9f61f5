// SPDX-License-Identifier: MIT OR Apache-2.0
// The FEC codecs' arguments, as a careless or hostile caller passes them:
// shapes from the whole size_t range (biased to the edges: SIZE_MAX, powers of
// two and their neighbours, the documented limits), shard sizes likewise,
// present masks of any length, and null pointers anywhere in the shard arrays.
// The contract checked: a shape outside the documented limits is
// kInvalidArgument (no allocation, no shard touched); a legal shape works on
// real buffers (and then must not read or write a null or missing one), and a
// null shard or a mask of the wrong length is kInvalidArgument. Buffers are
// real only for shapes small enough to allocate here; hostile shapes get a
// 64-byte array that the codec must never reach.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "base/check.h"
#include "fec/cauchy_codec.h"
#include "fec/erasures.h"
#include "fec/leopard_codec.h"

namespace {

using pf::StatusCode;

struct Reader {
  const uint8_t* p;
  size_t n;
  uint8_t byte() {
    if (n == 0)
      return 0;
    --n;
    return *p++;
  }
  // A size: small, at an edge, or any 64-bit value.
  size_t size() {
    const uint8_t kind = byte();
    const uint8_t v = byte();
    switch (kind % 6) {
      case 0:
        return v;
      case 1:
        return size_t{v} << 8 | byte();
      case 2:
        return SIZE_MAX - (v % 128);
      case 3: {
        const size_t pow = size_t{1} << (v % 64);
        return pow + static_cast<int8_t>(byte()) % 3;
      }
      case 4:
        return (v & 1 ? pf::fec::kMaxShardBytes : size_t{65536}) + static_cast<int8_t>(byte()) % 65;
      default: {
        size_t x = 0;
        for (int i = 0; i < 8; ++i)
          x = x << 8 | byte();
        return x;
      }
    }
  }
};

// Whether the shape is inside the codec's documented limits.
bool legal_gf8(size_t k, size_t m, size_t s, bool audio) {
  if (audio)
    return k == 4 && m == 2 && s >= 1 && s <= pf::fec::kMaxShardBytes;
  return k >= 1 && m >= 1 && k <= 255 && m <= 255 && k + m <= 255 && s >= 1 &&
         s <= pf::fec::kMaxShardBytes;
}

bool legal_gf16(size_t k, size_t m, size_t s) {
  if (k < 1 || m < 1 || k > 65536 || m > 65536 || s == 0 || s % 64 || s > pf::fec::kMaxShardBytes)
    return false;
  size_t m2 = 1;
  while (m2 < m)
    m2 <<= 1;
  if (m2 + k > 65536)
    return false;
  return pf::fec::LeopardCodec::decode_work_bytes(k, m, s) <= pf::fec::LeopardCodec::kMaxWorkBytes;
}

template <typename Codec>
void drive(Codec& codec, Reader& r, size_t k, size_t m, size_t s, bool legal) {
  // Real buffers only where they are cheap; else a stand-in the codec must
  // refuse to reach.
  const bool real = legal && k + m <= 300 && s <= 4096;
  if (!legal) {
    std::vector<uint8_t> dummy(64);
    uint8_t* ptrs[4] = {dummy.data(), dummy.data(), dummy.data(), dummy.data()};
    std::vector<uint8_t> present(r.byte() % 8, 1);
    PF_CHECK(codec.encode(k, m, s, ptrs, ptrs).code() == StatusCode::kInvalidArgument);
    PF_CHECK(codec.decode(k, m, s, ptrs, present).code() == StatusCode::kInvalidArgument);
    return;
  }
  if (!real)
    return;
  std::vector<std::vector<uint8_t>> bufs(k + m, std::vector<uint8_t>(s));
  std::vector<uint8_t*> ptrs(k + m);
  for (size_t i = 0; i < k + m; ++i) {
    std::memset(bufs[i].data(), static_cast<int>(i * 37 + 1), s);
    ptrs[i] = bufs[i].data();
  }
  PF_CHECK(codec.encode(k, m, s, ptrs.data(), ptrs.data() + k).is_ok());
  // A mask of some length; shards dropped (and maybe nulled) where it says so.
  const size_t len = (r.byte() & 0x80) ? k + m + static_cast<int8_t>(r.byte()) % 3 : k + m;
  std::vector<uint8_t> present(len > SIZE_MAX / 2 ? 0 : len);
  bool null_needed = false;
  for (size_t i = 0; i < present.size(); ++i) {
    const uint8_t b = r.byte();
    present[i] = (b & 3) != 0;
    if (i >= k + m)
      continue;
    if (!present[i])
      std::memset(bufs[i].data(), 0xEE, s);  // lost: what is there must not count
    if (b & 0x40) {
      ptrs[i] = nullptr;
      null_needed |= present[i] || i < k;
    }
  }
  const pf::Status st = codec.decode(k, m, s, ptrs.data(), present);
  if (present.size() != k + m || null_needed) {
    PF_CHECK(st.code() == StatusCode::kInvalidArgument);
    return;
  }
  size_t have = 0, lost = 0;
  for (size_t i = 0; i < k + m; ++i) {
    have += present[i];
    lost += i < k && !present[i];
  }
  PF_CHECK(lost == 0 || have >= k ? st.is_ok() : st.code() == StatusCode::kDataLoss);
  if (st.is_ok())
    for (size_t i = 0; i < k; ++i)
      PF_CHECK(bufs[i][0] == static_cast<uint8_t>(i * 37 + 1) &&
               std::memcmp(bufs[i].data(), bufs[i].data() + 1, s - 1) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* in, size_t size) {
  Reader r{in, size};
  const uint8_t which = r.byte() % 3;
  const size_t k = r.size(), m = r.size(), s = r.size();
  if (which == 0) {
    static pf::fec::CauchyCodec codec;
    drive(codec, r, k, m, s, legal_gf8(k, m, s, false));
  } else if (which == 1) {
    static pf::fec::CauchyCodec audio = pf::fec::CauchyCodec::moonlight_audio();
    drive(audio, r, k, m, s, legal_gf8(k, m, s, true));
  } else {
    static pf::fec::LeopardCodec codec;
    drive(codec, r, k, m, s, legal_gf16(k, m, s));
  }
  return 0;
}
