// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/rtsp.h"

#include <openssl/evp.h>

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

constexpr std::string_view kSetup =
    "SETUP streamid=audio/0/0 RTSP/1.0\r\nCSeq: 3\r\nX-GS-ClientVersion: 14\r\n"
    "Host: 192.168.1.20\r\nTransport: unicast;X-GS-ClientPort=50000-50001\r\n"
    "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\n";

TEST(RtspTest, ParsesMoonlightRequests) {
  auto r = parse_rtsp_request(kSetup);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->method, "SETUP");
  EXPECT_EQ(r->target, "streamid=audio/0/0");
  EXPECT_EQ(r->cseq(), 3);
  EXPECT_EQ(*r->header("transport"), "unicast;X-GS-ClientPort=50000-50001");
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(*rtsp_request_size(kSetup, false), kSetup.size());

  const std::string announce =
      "ANNOUNCE streamid=control/13/0 RTSP/1.0\r\nCSeq: 6\r\nSession: DEADBEEF\r\n"
      "Content-type: application/sdp\r\nContent-length: 12\r\n\r\nv=0\r\nt=0 0\r\n";
  EXPECT_EQ(*rtsp_request_size(announce.substr(0, announce.size() - 1), false), 0u);
  EXPECT_EQ(*rtsp_request_size(announce, false), announce.size());
  auto a = parse_rtsp_request(announce);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->body, "v=0\r\nt=0 0\r\n");
}

TEST(RtspTest, RejectsWhatCanNeverParse) {
  EXPECT_FALSE(parse_rtsp_request("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(parse_rtsp_request("OPTIONS\r\n\r\n"));
  EXPECT_FALSE(parse_rtsp_request("OPTIONS x RTSP/1.0\r\nno colon here\r\n\r\n"));
  EXPECT_FALSE(parse_rtsp_request("OPTIONS x RTSP/1.0\r\nContent-length: 99\r\n\r\nabc"));
  EXPECT_FALSE(rtsp_request_size("OPTIONS x RTSP/1.0\r\nContent-length: x\r\n\r\n", false));
  EXPECT_FALSE(rtsp_request_size("OPTIONS x RTSP/1.0\r\nCSeq: 1\r\n", true));
  EXPECT_FALSE(rtsp_request_size(std::string(kMaxRtspMessage + 1, 'a'), false));
}

// The header block ends at the first blank line of either kind, so a message read in pieces is
// framed as one read whole (a bare-LF blank line before a CRLF one used to lose to it).
TEST(RtspTest, FramingTakesTheFirstBlankLineWhateverTheLineEnds) {
  const std::string m = "OPTIONS x RTSP/1.0\nCSeq: 1\n\nGARBAGE\r\n\r\n";
  const size_t head = m.find("\n\n") + 2;
  EXPECT_EQ(*rtsp_request_size(m, false), head);
  EXPECT_EQ(*rtsp_request_size(m.substr(0, head), false), head);
  const std::string crlf = "OPTIONS x RTSP/1.0\r\nCSeq: 1\r\n\r\nX\n\n";
  EXPECT_EQ(*rtsp_request_size(crlf, false), crlf.find("\r\n\r\n") + 4);
}

TEST(RtspTest, ResponseFormatIsWhatMoonlightParses) {
  RtspResponse r;
  r.headers.emplace_back("Session", "DEADBEEFCAFE;timeout = 90");
  r.body = "a=x\r\n";
  const std::string s = serialize_rtsp_response(r, 5);
  EXPECT_EQ(s,
            "RTSP/1.0 200 OK\r\nCSeq: 5\r\nSession: DEADBEEFCAFE;timeout = 90\r\n"
            "Content-Length: 5\r\n\r\na=x\r\n");
  RtspResponse e;
  e.status = 404;
  EXPECT_EQ(serialize_rtsp_response(e, 1), "RTSP/1.0 404 Not Found\r\nCSeq: 1\r\n\r\n");
}

// Encrypts with raw OpenSSL and the IV layout of the protocol document, so
// the framing is checked against an independent implementation.
std::vector<uint8_t> openssl_gcm(const std::array<uint8_t, 16>& key,
                                 const std::array<uint8_t, 12>& iv,
                                 std::string_view pt,
                                 std::array<uint8_t, 16>* tag) {
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  std::vector<uint8_t> out(pt.size());
  int n = 0;
  EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), nullptr, key.data(), iv.data());
  EVP_EncryptUpdate(c, out.data(), &n, reinterpret_cast<const uint8_t*>(pt.data()),
                    static_cast<int>(pt.size()));
  EVP_EncryptFinal_ex(c, out.data() + n, &n);
  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag->data());
  EVP_CIPHER_CTX_free(c);
  return out;
}

TEST(RtspTest, EncryptedFramingMatchesTheDocumentedLayout) {
  std::array<uint8_t, 16> key;
  for (int i = 0; i < 16; ++i)
    key[i] = static_cast<uint8_t>(i * 9 + 1);
  const std::string_view req = "OPTIONS rtspenc://10.0.0.1:48010 RTSP/1.0\r\nCSeq: 1\r\n\r\n";
  // Client -> host, sequence 1: IV = 01 00 00 00, six zeros, 'C', 'R'.
  const std::array<uint8_t, 12> iv = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'C', 'R'};
  EXPECT_EQ(rtsp_iv(1, false), iv);
  std::array<uint8_t, 16> tag;
  const auto ct = openssl_gcm(key, iv, req, &tag);
  std::vector<uint8_t> msg = {0x80, 0, 0, static_cast<uint8_t>(req.size()), 0, 0, 0, 1};
  msg.insert(msg.end(), tag.begin(), tag.end());
  msg.insert(msg.end(), ct.begin(), ct.end());
  RtspCipher cipher(key);
  EXPECT_EQ(*rtsp_encrypted_size(msg), msg.size());
  uint32_t seq = 0;
  auto plain = cipher.open(msg, false, &seq);
  ASSERT_TRUE(plain) << plain.error().to_string();
  EXPECT_EQ(*plain, req);
  EXPECT_EQ(seq, 1u);
  // Host -> client uses 'H' and the host's own counter; OpenSSL agrees.
  const auto sealed = cipher.seal(7, "RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n", true);
  std::array<uint8_t, 16> tag2;
  const auto ct2 = openssl_gcm(key, rtsp_iv(7, true), "RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n", &tag2);
  EXPECT_EQ(sealed[0], 0x80);
  EXPECT_EQ(sealed[7], 7);
  EXPECT_TRUE(std::equal(tag2.begin(), tag2.end(), sealed.begin() + 8));
  EXPECT_TRUE(std::equal(ct2.begin(), ct2.end(), sealed.begin() + 24));
  // Tampering, wrong direction, trailing bytes, missing top bit: refused.
  auto bad = msg;
  bad.back() ^= 1;
  EXPECT_FALSE(cipher.open(bad, false));
  EXPECT_FALSE(cipher.open(msg, true));
  auto longer = msg;
  longer.push_back(0);
  EXPECT_FALSE(cipher.open(longer, false));
  auto plainbit = msg;
  plainbit[0] = 0;
  EXPECT_FALSE(cipher.open(plainbit, false));
  EXPECT_FALSE(rtsp_encrypted_size(plainbit));
}

}  // namespace
}  // namespace pf::proto::gamestream
