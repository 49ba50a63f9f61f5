// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/pairing.h"

#include <gtest/gtest.h>

#include "crypto/pki.h"

namespace pf::proto::gamestream {
namespace {

struct Ids {
  crypto::PemIdentity host, client;
};

const Ids& ids() {
  static const Ids i{*crypto::make_self_signed_rsa("punktfunk"),
                     *crypto::make_self_signed_rsa("NVIDIA GameStream Client", 20, 2048, true)};
  return i;
}

// Runs phases 1-4; returns the host's phase-4 status and the client's
// phase-3 verdict.
std::pair<Status, Status> run(const std::string& host_pin, const std::string& client_pin) {
  const auto& i = ids();
  ClientPairing client(i.client.cert_pem, i.client.key_pem, client_pin);
  auto host = HostPairing::start({i.host.cert_pem, i.host.key_pem}, client.salt_hex(),
                                 client.clientcert_hex(), "roth");
  EXPECT_TRUE(host) << host.error().to_string();
  auto plain = host->set_pin(host_pin);
  EXPECT_TRUE(plain);
  EXPECT_TRUE(client.on_plaincert(*plain).is_ok());
  EXPECT_EQ(client.host_cert_pem(), i.host.cert_pem);
  auto resp = host->client_challenge(*client.clientchallenge_hex());
  EXPECT_TRUE(resp);
  EXPECT_EQ(resp->size(), 96u);
  EXPECT_TRUE(client.on_challengeresponse(*resp).is_ok());
  auto secret = host->server_challenge_response(*client.serverchallengeresp_hex());
  EXPECT_TRUE(secret);
  EXPECT_EQ(secret->size(), 2u * (16 + 256));
  const Status client_view = client.on_pairingsecret(*secret);
  const Status host_view = host->client_pairing_secret(*client.clientpairingsecret_hex());
  EXPECT_EQ(host->phase(),
            host_view.is_ok() ? HostPairing::Phase::kPaired : HostPairing::Phase::kFailed);
  if (host_view.is_ok()) {
    EXPECT_EQ(host->client_cert_pem(), i.client.cert_pem);
  }
  return {host_view, client_view};
}

TEST(PairingTest, RightPinPairsBothSides) {
  auto [host, client] = run("1234", "1234");
  EXPECT_TRUE(host.is_ok()) << host.to_string();
  EXPECT_TRUE(client.is_ok()) << client.to_string();
}

TEST(PairingTest, WrongPinFailsOnBothSides) {
  auto [host, client] = run("1234", "4321");
  EXPECT_EQ(host.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(client.code(), StatusCode::kPermissionDenied);
}

TEST(PairingTest, PhasesOutOfOrderFailTheSession) {
  const auto& i = ids();
  ClientPairing client(i.client.cert_pem, i.client.key_pem, "1111");
  auto host = HostPairing::start({i.host.cert_pem, i.host.key_pem}, client.salt_hex(),
                                 client.clientcert_hex(), "x");
  ASSERT_TRUE(host);
  auto early = host->client_challenge(*client.clientchallenge_hex());
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(host->phase(), HostPairing::Phase::kFailed);
  EXPECT_FALSE(host->set_pin("1111"));  // failed for good
}

TEST(PairingTest, BadPhaseOneInput) {
  const auto& i = ids();
  const HostCredentials h{i.host.cert_pem, i.host.key_pem};
  EXPECT_FALSE(HostPairing::start(h, "00", "41", "x"));                    // short salt
  EXPECT_FALSE(HostPairing::start(h, std::string(32, 'z'), "41", "x"));    // not hex
  EXPECT_FALSE(HostPairing::start(h, std::string(32, '0'), "4142", "x"));  // not a cert
  auto ok = HostPairing::start(h, std::string(32, '0'), "", "x");
  EXPECT_FALSE(ok);
}

TEST(PairingTest, GarbageInLaterPhasesFailsCleanly) {
  const auto& i = ids();
  ClientPairing client(i.client.cert_pem, i.client.key_pem, "1111");
  auto host = HostPairing::start({i.host.cert_pem, i.host.key_pem}, client.salt_hex(),
                                 client.clientcert_hex(), "x");
  ASSERT_TRUE(host->set_pin("1111"));
  EXPECT_FALSE(host->client_challenge("abcd"));
  EXPECT_EQ(host->phase(), HostPairing::Phase::kFailed);
  EXPECT_FALSE(host->set_pin("12a4"));
}

}  // namespace
}  // namespace pf::proto::gamestream
