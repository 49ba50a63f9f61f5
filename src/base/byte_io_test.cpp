// SPDX-License-Identifier: MIT OR Apache-2.0
#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/endian.h"

namespace pf {
namespace {

TEST(ByteReaderTest, ReadsBothEndiannesses) {
  const std::array<uint8_t, 8> d{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  ByteReader le(d);
  EXPECT_EQ(*le.u16_le(), 0x0201);
  EXPECT_EQ(*le.u16_le(), 0x0403);
  EXPECT_EQ(*le.u32_le(), 0x08070605u);
  EXPECT_TRUE(le.empty());
  ByteReader be(d);
  EXPECT_EQ(*be.u64_be(), 0x0102030405060708ull);
  ByteReader be2(d);
  EXPECT_EQ(*be2.u32_be(), 0x01020304u);
  EXPECT_EQ(*be2.u16_be(), 0x0506);
  EXPECT_EQ(*be2.u8(), 0x07);
  ByteReader le64(d);
  EXPECT_EQ(*le64.u64_le(), 0x0807060504030201ull);
}

TEST(ByteReaderTest, ShortReadFailsWithoutMovingAndIsSticky) {
  const std::array<uint8_t, 3> d{0xff, 0xfe, 0xfd};
  ByteReader r(d);
  EXPECT_EQ(*r.u16_le(), 0xfeff);
  EXPECT_FALSE(r.u32_le().has_value());
  EXPECT_EQ(r.position(), 2u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(*r.u8(), 0xfd);  // a smaller read still works, but ok() stays false
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.u8().has_value());
}

TEST(ByteReaderTest, BytesAndSkipAreBounded) {
  const std::array<uint8_t, 4> d{1, 2, 3, 4};
  ByteReader r(d);
  auto b = r.bytes(3);
  ASSERT_TRUE(b);
  EXPECT_EQ((*b)[2], 3);
  EXPECT_FALSE(r.bytes(2));
  EXPECT_FALSE(r.skip(SIZE_MAX));
  EXPECT_TRUE(r.skip(1));
  EXPECT_TRUE(r.rest().empty());
}

TEST(ByteReaderTest, NegativeInt32) {
  const std::array<uint8_t, 4> d{0xfe, 0xff, 0xff, 0xff};
  ByteReader r(d);
  EXPECT_EQ(*r.i32_le(), -2);
}

TEST(ByteWriterTest, WritesBothEndiannessesAndRefusesOverflow) {
  std::array<uint8_t, 15> buf{};
  ByteWriter w(buf);
  EXPECT_TRUE(w.u16_be(0x0102));
  EXPECT_TRUE(w.u32_le(0x06050403));
  EXPECT_TRUE(w.u64_be(0x0708090a0b0c0d0eull));
  EXPECT_TRUE(w.u8(0x0f));
  EXPECT_FALSE(w.u8(0x10));
  EXPECT_FALSE(w.ok());
  for (size_t i = 0; i < buf.size(); ++i)
    EXPECT_EQ(buf[i], i + 1) << i;
}

TEST(ByteWriterTest, FailedWriteWritesNothing) {
  std::array<uint8_t, 3> buf{9, 9, 9};
  ByteWriter w(buf);
  EXPECT_TRUE(w.u8(1));
  EXPECT_FALSE(w.u32_be(0xdeadbeef));
  EXPECT_EQ(w.position(), 1u);
  EXPECT_EQ(buf[1], 9);
  EXPECT_FALSE(w.zeros(3));
  EXPECT_TRUE(w.zeros(2));
  EXPECT_EQ(buf[2], 0);
}

// Property: whatever a writer writes, a reader reads back, for random sequences.
TEST(ByteIoTest, RandomRoundTrip) {
  const uint32_t seed = 12345;
  std::mt19937 rng(seed);
  for (int iter = 0; iter < 200; ++iter) {
    std::vector<uint8_t> buf(256);
    ByteWriter w(buf);
    std::vector<std::pair<int, uint64_t>> ops;
    while (true) {
      int kind = static_cast<int>(rng() % 7);
      uint64_t v = (static_cast<uint64_t>(rng()) << 32) | rng();
      bool ok = false;
      switch (kind) {
        case 0:
          ok = w.u8(static_cast<uint8_t>(v));
          v &= 0xff;
          break;
        case 1:
          ok = w.u16_le(static_cast<uint16_t>(v));
          v &= 0xffff;
          break;
        case 2:
          ok = w.u16_be(static_cast<uint16_t>(v));
          v &= 0xffff;
          break;
        case 3:
          ok = w.u32_le(static_cast<uint32_t>(v));
          v &= 0xffffffff;
          break;
        case 4:
          ok = w.u32_be(static_cast<uint32_t>(v));
          v &= 0xffffffff;
          break;
        case 5:
          ok = w.u64_le(v);
          break;
        case 6:
          ok = w.u64_be(v);
          break;
      }
      if (!ok)
        break;
      ops.emplace_back(kind, v);
    }
    ByteReader r(w.written());
    for (auto [kind, v] : ops) {
      uint64_t got = 0;
      switch (kind) {
        case 0:
          got = *r.u8();
          break;
        case 1:
          got = *r.u16_le();
          break;
        case 2:
          got = *r.u16_be();
          break;
        case 3:
          got = *r.u32_le();
          break;
        case 4:
          got = *r.u32_be();
          break;
        case 5:
          got = *r.u64_le();
          break;
        case 6:
          got = *r.u64_be();
          break;
      }
      ASSERT_EQ(got, v) << "seed " << seed << " iter " << iter;
    }
    EXPECT_TRUE(r.empty());
    EXPECT_TRUE(r.ok());
  }
}

TEST(EndianTest, LoadsAndStoresAgreeWithByteReaderAndWriter) {
  const std::array<uint8_t, 4> d = {0x12, 0x34, 0x56, 0x78};
  EXPECT_EQ(load_be16(d.data()), 0x1234);
  EXPECT_EQ(load_le16(d.data()), 0x3412);
  EXPECT_EQ(load_be32(d.data()), 0x12345678u);
  EXPECT_EQ(load_le32(d.data()), 0x78563412u);
  // High bits must not sign-extend.
  const std::array<uint8_t, 4> hi = {0xFF, 0xFE, 0x80, 0x81};
  EXPECT_EQ(load_be16(hi.data()), 0xFFFE);
  EXPECT_EQ(load_le32(hi.data()), 0x8180FEFFu);
  ByteReader r(hi);
  EXPECT_EQ(r.u32_be().value(), load_be32(hi.data()));

  std::array<uint8_t, 12> out{};
  store_be16(out.data(), 0xA1B2);
  store_le16(out.data() + 2, 0xA1B2);
  store_be32(out.data() + 4, 0xC1D2E3F4);
  store_le32(out.data() + 8, 0xC1D2E3F4);
  const std::array<uint8_t, 12> want = {0xA1, 0xB2, 0xB2, 0xA1, 0xC1, 0xD2,
                                        0xE3, 0xF4, 0xF4, 0xE3, 0xD2, 0xC1};
  EXPECT_EQ(out, want);

  std::vector<uint8_t> v = {0x00};
  append_le16(v, 0xA1B2);
  append_le32(v, 0xC1D2E3F4);
  append_be32(v, 0xC1D2E3F4);
  EXPECT_EQ(
      v, (std::vector<uint8_t>{0x00, 0xB2, 0xA1, 0xF4, 0xE3, 0xD2, 0xC1, 0xC1, 0xD2, 0xE3, 0xF4}));
}

}  // namespace
}  // namespace pf
