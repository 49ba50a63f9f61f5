// SPDX-License-Identifier: MIT OR Apache-2.0
#include "net/quic/address_validation.h"

#include <gnutls/crypto.h>
#include <ngtcp2/ngtcp2_crypto.h>

namespace pf::net::quic_detail {

namespace {
constexpr size_t kRetryCidLen = 17;  // as every connection ID this side issues
}  // namespace

RetryGate::RetryGate() {
  gnutls_rnd(GNUTLS_RND_KEY, secret_.data(), secret_.size());
}

RetryGate::Answer RetryGate::check(const ngtcp2_pkt_hd& hd,
                                   const Address& peer,
                                   int64_t now_ns) const {
  Answer a;
  const auto* addr = reinterpret_cast<const ngtcp2_sockaddr*>(peer.sockaddr_ptr());
  const auto addrlen = static_cast<ngtcp2_socklen>(peer.length());
  const auto now = static_cast<ngtcp2_tstamp>(now_ns);
  if (hd.token.len == 0) {
    ngtcp2_cid scid;
    scid.datalen = kRetryCidLen;
    gnutls_rnd(GNUTLS_RND_NONCE, scid.data, scid.datalen);
    uint8_t token[NGTCP2_CRYPTO_MAX_RETRY_TOKENLEN];
    const ngtcp2_ssize tokenlen = ngtcp2_crypto_generate_retry_token(
        token, secret_.data(), secret_.size(), hd.version, addr, addrlen, &scid, &hd.dcid, now);
    if (tokenlen < 0)
      return a;
    a.retry.resize(1200);
    const ngtcp2_ssize n =
        ngtcp2_crypto_write_retry(a.retry.data(), a.retry.size(), hd.version, &hd.scid, &scid,
                                  &hd.dcid, token, static_cast<size_t>(tokenlen));
    if (n < 0)
      return a;
    a.retry.resize(static_cast<size_t>(n));
    a.verdict = Verdict::kRetry;
    return a;
  }
  if (hd.token.base[0] != NGTCP2_CRYPTO_TOKEN_MAGIC_RETRY ||
      ngtcp2_crypto_verify_retry_token(&a.odcid, hd.token.base, hd.token.len, secret_.data(),
                                       secret_.size(), hd.version, addr, addrlen, &hd.dcid,
                                       static_cast<ngtcp2_duration>(kTokenLifetimeNs), now) != 0)
    return a;
  a.retry_scid = hd.dcid;
  a.verdict = Verdict::kValid;
  return a;
}

}  // namespace pf::net::quic_detail
