// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/peer_list.h"

#include <gtest/gtest.h>

namespace pf::proto::native {
namespace {

PinnedPeer peer(uint8_t v, std::string name, std::string address = "") {
  PinnedPeer p;
  p.fingerprint.fill(v);
  p.name = std::move(name);
  p.address = std::move(address);
  p.paired_at = "2026-11-25T16:00:00Z";
  return p;
}

TEST(PeerListTest, RoundTripsFindsAndRemoves) {
  PeerList l;
  l.upsert(peer(0xab, "Phone"));
  l.upsert(peer(0xcd, "Laptop", "127.0.0.1:9777"));
  l.upsert(peer(0xab, "Phone (renamed)"));
  ASSERT_EQ(l.peers().size(), 2u);
  auto back = PeerList::parse(l.serialize());
  ASSERT_TRUE(back) << back.error().to_string();
  ASSERT_EQ(back->peers().size(), 2u);
  EXPECT_EQ(back->peers()[0].name, "Phone (renamed)");
  EXPECT_EQ(back->peers()[1].address, "127.0.0.1:9777");
  EXPECT_EQ(back->peers()[0].id(), "abababababababab");
  Fingerprint fp;
  fp.fill(0xcd);
  ASSERT_NE(back->find(fp), nullptr);
  EXPECT_EQ(back->find("abab")->name, "Phone (renamed)");
  EXPECT_EQ(back->find("Laptop")->id(), "cdcdcdcdcdcdcdcd");
  EXPECT_EQ(back->find("127.0.0.1:9777")->name, "Laptop");
  EXPECT_EQ(back->find("ab"), nullptr);  // too short a prefix
  EXPECT_EQ(back->remove("Phone (renamed)"), 1u);
  EXPECT_EQ(back->remove("nobody"), 0u);
  EXPECT_EQ(back->peers().size(), 1u);
}

TEST(PeerListTest, DamagedTextIsAnError) {
  EXPECT_FALSE(PeerList::parse("not json"));
  EXPECT_FALSE(PeerList::parse("{}"));
  EXPECT_FALSE(PeerList::parse(R"({"peers":[{"name":"x"}]})"));
  EXPECT_FALSE(PeerList::parse(R"({"peers":[{"fingerprint":"abcd"}]})"));
  EXPECT_TRUE(PeerList::parse(R"({"peers":[]})"));
  EXPECT_EQ(utc_now_iso8601().size(), 20u);
}

}  // namespace
}  // namespace pf::proto::native
