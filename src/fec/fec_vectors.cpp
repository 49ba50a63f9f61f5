// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/fec_vectors.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace pf::fec::testing {
namespace {

std::vector<uint8_t> generate(const nlohmann::json& f, size_t k, size_t m, size_t s) {
  std::vector<uint8_t> out(k * s);
  const std::string gen = f.at("data_generator");
  if (gen == "xorshift32") {
    uint32_t state = 0x12345678u + static_cast<uint32_t>(k * 1000 + m);
    for (auto& b : out) {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      b = static_cast<uint8_t>(state & 0xff);
    }
  } else if (gen == "pattern_i4_b_plus_1" || gen == "pattern_i4_b") {
    const unsigned plus = gen == "pattern_i4_b_plus_1" ? 1 : 0;
    for (size_t i = 0; i < k; ++i)
      for (size_t b = 0; b < s; ++b)
        out[i * s + b] = static_cast<uint8_t>((i << 4) | (b + plus));
  } else {
    throw std::runtime_error("unknown data generator " + gen);
  }
  return out;
}

}  // namespace

std::vector<FecVector> load_fec_vectors() {
  const std::string dir = PF_FEC_VECTORS_DIR;
  std::ifstream mf(dir + "/manifest.json");
  if (!mf)
    throw std::runtime_error("cannot open " + dir + "/manifest.json");
  const auto manifest = nlohmann::json::parse(mf);
  std::vector<FecVector> out;
  for (const auto& f : manifest.at("files")) {
    FecVector v;
    v.file = f.at("file");
    v.codec = f.at("codec");
    v.k = f.at("k");
    v.m = f.at("m");
    v.shard_bytes = f.at("shard_bytes");
    std::ifstream in(dir + "/" + v.file, std::ios::binary);
    v.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (v.bytes.size() != (v.k + v.m) * v.shard_bytes)
      throw std::runtime_error(v.file + ": unexpected size");
    auto data = generate(f, v.k, v.m, v.shard_bytes);
    if (!std::equal(data.begin(), data.end(), v.bytes.begin()))
      throw std::runtime_error(v.file + ": data part differs from its generator");
    for (const auto& set : f.at("erasure_sets"))
      v.erasure_sets.push_back(set);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace pf::fec::testing
