// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/pairing.h"

#include <gtest/gtest.h>

namespace pf::proto::native {
namespace {

Fingerprint fp(uint8_t v) {
  Fingerprint f;
  f.fill(v);
  return f;
}

// Runs the three-message exchange; returns the host's verdict on the confirmation.
struct Exchange {
  Result<PairMessage> client_confirm = make_error(StatusCode::kInternal, "not run");
  bool host_accepts = false;
  std::string host_name_seen, client_name_seen;
};
Exchange run(std::string_view client_pin,
             std::string_view host_pin,
             Fingerprint client_fp_seen_by_client = fp(1),
             Fingerprint client_fp_seen_by_host = fp(1)) {
  Exchange r;
  auto c = PairingClient::start(client_pin, client_fp_seen_by_client, fp(2), "Living room TV");
  EXPECT_TRUE(c);
  // The messages travel through the control framing.
  auto wire = encode_control(c->first_message());
  auto start = decode_control(wire[4], std::span(wire).subspan(5));
  EXPECT_TRUE(start);
  auto h = PairingHost::on_start(std::get<PairMessage>(*start), host_pin, client_fp_seen_by_host,
                                 fp(2), "Studio PC");
  EXPECT_TRUE(h);
  r.client_name_seen = h->client_name();
  r.client_confirm = c->on_reply(h->reply());
  if (r.client_confirm) {
    r.host_name_seen = c->host_name();
    r.host_accepts = h->on_confirm(*r.client_confirm);
  }
  return r;
}

TEST(PairingTest, RightPinPairsBothWays) {
  Exchange r = run("482913", "482913");
  ASSERT_TRUE(r.client_confirm) << r.client_confirm.error().to_string();
  EXPECT_TRUE(r.host_accepts);
  EXPECT_EQ(r.client_name_seen, "Living room TV");
  EXPECT_EQ(r.host_name_seen, "Studio PC");
}

TEST(PairingTest, WrongPinFailsAtTheClient) {
  Exchange r = run("482913", "482914");
  ASSERT_FALSE(r.client_confirm);
  EXPECT_EQ(r.client_confirm.error().code(), StatusCode::kPermissionDenied);
}

TEST(PairingTest, AMismatchedCertificateFailsEvenWithTheRightPin) {
  // A man in the middle terminates TLS with its own certificate: the host sees
  // a different client fingerprint than the client believes it presented.
  Exchange r = run("482913", "482913", fp(1), fp(9));
  EXPECT_FALSE(r.client_confirm);
}

TEST(PairingTest, HostRejectsAForgedConfirmation) {
  auto c = PairingClient::start("111111", fp(1), fp(2), "c");
  auto h = PairingHost::on_start(c->first_message(), "111111", fp(1), fp(2), "h");
  ASSERT_TRUE(c && h);
  PairConfirm forged;
  forged.confirm.fill(0x42);
  EXPECT_FALSE(h->on_confirm(encode(forged)));
  EXPECT_FALSE(h->on_confirm(PairMessage{kPairMessageType, {1, 2, 3}}));
}

TEST(PairingTest, MessagesRoundTripAndRejectJunk) {
  PairStart s;
  s.share.fill(4);
  s.name = "n";
  auto d = decode_pair_start(encode(s));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->share, s.share);
  EXPECT_EQ(d->name, "n");
  PairResult res{PairStatus::kLockedOut, "wait"};
  auto dr = decode_pair_result(encode(res));
  ASSERT_TRUE(dr);
  EXPECT_EQ(dr->status, PairStatus::kLockedOut);
  EXPECT_EQ(dr->text, "wait");

  auto bad_version = encode(s);
  bad_version.body[0] = 2;
  EXPECT_FALSE(decode_pair_start(bad_version));
  auto trailing = encode(s);
  trailing.body.push_back(0);
  EXPECT_FALSE(decode_pair_start(trailing));
  auto control_char = encode(s);
  control_char.body.back() = '\n';
  EXPECT_FALSE(decode_pair_start(control_char));
  EXPECT_FALSE(decode_pair_reply(PairMessage{kPairMessageType, {}}));
  // A status this side does not know (a newer host's) is kept, with its text: a failure.
  auto future = decode_pair_result(PairMessage{kPairResultType, {99, 'n', 'o'}});
  ASSERT_TRUE(future);
  EXPECT_EQ(static_cast<int>(future->status), 99);
  EXPECT_EQ(future->text, "no");
  EXPECT_FALSE(decode_pair_result(PairMessage{kPairResultType, {}}));
  EXPECT_FALSE(decode_pair_start(PairMessage{kPairResultType, {1}}));
  // A host given a share that is not a curve point refuses, without crashing.
  auto not_point = encode(s);
  EXPECT_FALSE(PairingHost::on_start(not_point, "1", fp(1), fp(2), "h"));
}

TEST(PairingTest, NamesAreValidated) {
  EXPECT_TRUE(valid_display_name("Wohnzimmer-PC é"));
  EXPECT_FALSE(valid_display_name(""));
  EXPECT_FALSE(valid_display_name(std::string(65, 'x')));
  EXPECT_FALSE(valid_display_name("a\tb"));
  EXPECT_FALSE(PairingClient::start("1", fp(1), fp(2), ""));
  for (auto s : {PairStatus::kOk, PairStatus::kWrongPin, PairStatus::kNoPin, PairStatus::kLockedOut,
                 PairStatus::kBadMessage, PairStatus::kBusy})
    EXPECT_FALSE(pair_status_text(s).empty());
}

}  // namespace
}  // namespace pf::proto::native
