// SPDX-License-Identifier: MIT OR Apache-2.0
// Drives both FEC codecs with shapes, loss masks and data taken from the input:
// with at least k shards present, decode must succeed and restore the data
// exactly; with fewer it must report kDataLoss. Never crash, never overrun.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "base/check.h"
#include "fec/cauchy_codec.h"
#include "fec/leopard_codec.h"

namespace {

template <typename Codec>
void run(Codec& codec,
         size_t k,
         size_t m,
         size_t s,
         const uint8_t* mask,
         size_t mask_len,
         const uint8_t* data,
         size_t data_len) {
  std::vector<std::vector<uint8_t>> shards(k + m, std::vector<uint8_t>(s));
  std::vector<uint8_t*> ptrs;
  for (size_t i = 0; i < k + m; ++i) {
    for (size_t b = 0; b < s; ++b)
      shards[i][b] = data_len ? data[(i * s + b) % data_len] : static_cast<uint8_t>(i + b);
    ptrs.push_back(shards[i].data());
  }
  PF_CHECK(codec.encode(k, m, s, ptrs.data(), ptrs.data() + k).is_ok());
  const auto original = shards;
  std::vector<uint8_t> present(k + m, 1);
  size_t have = 0;
  for (size_t i = 0; i < k + m; ++i) {
    const bool keep = mask_len == 0 || ((mask[(i / 8) % mask_len] >> (i % 8)) & 1);
    present[i] = keep;
    have += keep;
    if (!keep)
      std::memset(shards[i].data(), 0xEE, s);
  }
  pf::Status st = codec.decode(k, m, s, ptrs.data(), present);
  if (have < k) {
    bool data_lost = false;
    for (size_t i = 0; i < k; ++i)
      data_lost |= !present[i];
    PF_CHECK(!data_lost || st.code() == pf::StatusCode::kDataLoss);
    return;
  }
  PF_CHECK(st.is_ok());
  for (size_t i = 0; i < k; ++i)
    PF_CHECK(shards[i] == original[i]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* in, size_t size) {
  if (size < 4)
    return 0;
  const bool leopard = in[0] & 1;
  const size_t k = 1 + in[1] % 64;
  const size_t m = 1 + in[2] % 24;
  const size_t mask_len = in[3] % 16;
  if (size < 4 + mask_len)
    return 0;
  const uint8_t* mask = in + 4;
  const uint8_t* data = in + 4 + mask_len;
  const size_t data_len = size - 4 - mask_len;
  if (leopard) {
    static pf::fec::LeopardCodec codec;
    run(codec, k, m, 64 * (1 + (in[0] >> 1) % 3), mask, mask_len, data, data_len);
  } else {
    static pf::fec::CauchyCodec codec;
    run(codec, k, m, 1 + (in[0] >> 1) % 100, mask, mask_len, data, data_len);
  }
  return 0;
}
