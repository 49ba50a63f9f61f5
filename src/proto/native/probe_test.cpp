// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/probe.h"

#include <gtest/gtest.h>

namespace pf::proto::native {
namespace {

DirectionKeys keys(uint8_t v) {
  DirectionKeys k;
  k.key.fill(v);
  k.iv_base.fill(static_cast<uint8_t>(v + 1));
  return k;
}

TEST(ProbeTest, SealsAndOpensOnlyWithTheRightKeyAndSession) {
  for (uint8_t cipher : {1, 2}) {
    auto client = ProbeCodec::create(cipher, keys(7));
    auto host = ProbeCodec::create(cipher, keys(7));
    auto other = ProbeCodec::create(cipher, keys(8));
    ASSERT_TRUE(client && host && other);
    auto p0 = client->seal(42);
    auto p1 = client->seal(42);
    EXPECT_EQ(host->open(p0, 42), 0u);
    EXPECT_EQ(host->open(p1, 42), 1u);
    EXPECT_FALSE(host->open(p0, 43));   // another session
    EXPECT_FALSE(other->open(p0, 42));  // another key
    auto bad = p0;
    bad[40] ^= 1;
    EXPECT_FALSE(host->open(bad, 42));  // a flipped tag bit
    bad = p0;
    bad[5] ^= 1;
    EXPECT_FALSE(host->open(bad, 42));  // the header is authenticated
    EXPECT_FALSE(host->open(std::span(p0).first(40), 42));
  }
}

}  // namespace
}  // namespace pf::proto::native
