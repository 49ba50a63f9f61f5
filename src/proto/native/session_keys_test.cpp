// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/session_keys.h"

#include <gtest/gtest.h>

#include "base/hex.h"
#include "crypto/hkdf.h"

namespace pf::proto::native {
namespace {

TEST(SessionKeysTest, LabelsAndContext) {
  EXPECT_EQ(video_exporter_label(0), "EXPORTER-punktfunk-video");
  EXPECT_EQ(video_exporter_label(3), "EXPORTER-punktfunk-video-3");
  EXPECT_EQ(video_exporter_context(0x01020304), (std::array<uint8_t, 4>{4, 3, 2, 1}));
}

TEST(SessionKeysTest, DirectionsDifferAndMatchHkdf) {
  std::vector<uint8_t> exporter(44);
  for (size_t i = 0; i < exporter.size(); ++i)
    exporter[i] = static_cast<uint8_t>(i);
  auto h2c = derive_video_keys(exporter, KeyDirection::kHostToClient);
  auto c2h = derive_video_keys(exporter, KeyDirection::kClientToHost);
  ASSERT_TRUE(h2c && c2h);
  EXPECT_NE(*h2c, *c2h);
  const uint8_t label[] = {'h', '2', 'c'};
  auto okm = crypto::hkdf_expand_sha256(exporter, label, 44);
  ASSERT_TRUE(okm);
  EXPECT_TRUE(std::equal(h2c->key.begin(), h2c->key.end(), okm->begin()));
  EXPECT_TRUE(std::equal(h2c->iv_base.begin(), h2c->iv_base.end(), okm->begin() + 32));
  EXPECT_EQ(cipher_key(*h2c, 1).size(), 16u);
  EXPECT_EQ(cipher_key(*h2c, 2).size(), 32u);
  EXPECT_FALSE(derive_video_keys(std::span(exporter).first(43), KeyDirection::kHostToClient));
}

}  // namespace
}  // namespace pf::proto::native
