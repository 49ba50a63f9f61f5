// SPDX-License-Identifier: MIT OR Apache-2.0
// Byte-for-byte checks against the reference encodings (tests/data/fec-vectors).
#include <vector>

#include <gtest/gtest.h>

#include "fec/cauchy_codec.h"
#include "fec/fec_vectors.h"
#include "fec/leopard_codec.h"

namespace pf::fec {
namespace {

using testing::FecVector;

const std::vector<FecVector>& vectors() {
  static const std::vector<FecVector> v = testing::load_fec_vectors();
  return v;
}

// Encodes, compares parity, then decodes every erasure set and compares data.
template <typename Codec>
void check_vector(Codec& codec, const FecVector& v) {
  const size_t k = v.k, m = v.m, s = v.shard_bytes;
  std::vector<std::vector<uint8_t>> shards(k + m);
  std::vector<uint8_t*> ptrs;
  for (size_t i = 0; i < k + m; ++i) {
    shards[i].assign(v.shard(i), v.shard(i) + s);
    if (i >= k)
      std::fill(shards[i].begin(), shards[i].end(), 0);
    ptrs.push_back(shards[i].data());
  }
  ASSERT_TRUE(codec.encode(k, m, s, ptrs.data(), ptrs.data() + k).is_ok());
  for (size_t j = 0; j < m; ++j)
    ASSERT_TRUE(std::equal(shards[k + j].begin(), shards[k + j].end(), v.shard(k + j)))
        << v.file << ": parity " << j << " differs";
  for (const auto& set : v.erasure_sets) {
    std::vector<uint8_t> present(k + m, 1);
    for (size_t i = 0; i < k + m; ++i)
      shards[i].assign(v.shard(i), v.shard(i) + s);
    for (size_t i : set) {
      present[i] = 0;
      std::fill(shards[i].begin(), shards[i].end(), 0x5A);
    }
    Status st = codec.decode(k, m, s, ptrs.data(), present);
    ASSERT_TRUE(st.is_ok()) << v.file << ": " << st.to_string();
    for (size_t i = 0; i < k; ++i)
      ASSERT_TRUE(std::equal(shards[i].begin(), shards[i].end(), v.shard(i)))
          << v.file << ": data shard " << i << " not recovered";
  }
}

TEST(FecVectorsTest, ManifestLoadsAndDataMatchesGenerators) {
  EXPECT_GE(vectors().size(), 15u);
}

TEST(FecVectorsTest, MoonlightCauchyVectorsEveryIsa) {
  int checked = 0;
  for (Isa isa : available_isas()) {
    for (const auto& v : vectors()) {
      if (v.codec != "moonlight-gf8-cauchy")
        continue;
      CauchyCodec codec(isa);
      SCOPED_TRACE(std::string(isa_name(isa)) + " " + v.file);
      check_vector(codec, v);
      ++checked;
    }
  }
  EXPECT_GE(checked, 5);
}

TEST(FecVectorsTest, MoonlightAudioVectorsEveryIsa) {
  int checked = 0;
  for (Isa isa : available_isas()) {
    for (const auto& v : vectors()) {
      if (v.codec != "moonlight-audio-4-2")
        continue;
      CauchyCodec codec = CauchyCodec::moonlight_audio(isa);
      SCOPED_TRACE(std::string(isa_name(isa)) + " " + v.file);
      check_vector(codec, v);
      ++checked;
    }
  }
  EXPECT_GE(checked, 2);
}

TEST(FecVectorsTest, LeopardGf16VectorsEveryIsa) {
  int checked = 0;
  for (Isa isa : available_isas()) {
    LeopardCodec codec(isa);
    for (const auto& v : vectors()) {
      if (v.codec != "leopard-gf16")
        continue;
      SCOPED_TRACE(std::string(isa_name(isa)) + " " + v.file);
      check_vector(codec, v);
      ++checked;
    }
  }
  EXPECT_GE(checked, 7);
}

}  // namespace
}  // namespace pf::fec
