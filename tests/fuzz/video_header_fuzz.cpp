// SPDX-License-Identifier: MIT OR Apache-2.0
// Any 32+ bytes: parse must not crash; whatever parses must re-encode to the
// same 32 bytes (the header has no slack a parser could silently normalise).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "base/check.h"
#include "proto/native/video_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::native;
  auto h = parse_video_header(std::span<const uint8_t>(data, size));
  if (!h)
    return 0;
  PF_CHECK(size >= kVideoHeaderBytes);
  std::array<uint8_t, kVideoHeaderBytes> out{};
  write_video_header(*h, out);
  PF_CHECK(std::memcmp(out.data(), data, kVideoHeaderBytes) == 0);
  return 0;
}
