// SPDX-License-Identifier: MIT OR Apache-2.0
// Driver for fuzz targets in non-libFuzzer builds (g++, sanitizer presets): runs
// every file of the seed corpus directories given as arguments, then a fixed
// number of deterministic random mutations of them, so the unit suite exercises
// every parser's fuzz entry point. Usage: target [--mutations N] DIR|FILE...
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  std::vector<std::vector<uint8_t>> seeds;
  long mutations = 20000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--mutations") == 0 && i + 1 < argc) {
      mutations = std::strtol(argv[++i], nullptr, 10);
      continue;
    }
    std::filesystem::path p(argv[i]);
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(p)) {
      for (auto& e : std::filesystem::directory_iterator(p))
        if (e.is_regular_file())
          files.push_back(e.path());
    } else {
      files.push_back(p);
    }
    for (auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "no seed inputs found\n");
    return 1;
  }
  for (auto& s : seeds)
    LLVMFuzzerTestOneInput(s.data(), s.size());
  const uint32_t seed = 0x5eed;
  std::mt19937 rng(seed);
  std::vector<uint8_t> buf;
  for (long i = 0; i < mutations; ++i) {
    buf = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      switch (rng() % 4) {
        case 0:
          if (!buf.empty())
            buf[rng() % buf.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
          break;
        case 1:
          buf.insert(buf.begin() + (buf.empty() ? 0 : rng() % buf.size()), rng());
          break;
        case 2:
          if (!buf.empty())
            buf.erase(buf.begin() + rng() % buf.size());
          break;
        case 3:
          if (!buf.empty())
            buf.resize(rng() % (buf.size() + 1));
          break;
      }
    }
    LLVMFuzzerTestOneInput(buf.data(), buf.size());
  }
  std::printf("ran %zu seeds and %ld mutations (seed %u): no crash\n", seeds.size(), mutations,
              seed);
  return 0;
}
