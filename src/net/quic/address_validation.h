// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <ngtcp2/ngtcp2.h>

#include <array>
#include <cstdint>
#include <vector>

#include "net/address.h"

// QUIC address validation by Retry (RFC 9000, 8.1.2), sans I/O. A first
// Initial without a token is answered with a Retry that carries a token,
// encrypted and authenticated with a secret of this process, binding the
// client's address, the Retry's source connection ID and the client's first
// destination connection ID, valid for 10 s; only an Initial that brings such
// a token back from the same address gets a connection (and its TLS state).
// So a flood of Initials from spoofed addresses costs the server one small
// packet each and no memory: it cannot fill the connection table ahead of a
// real client. Thread model: one thread (the endpoint's).
namespace pf::net::quic_detail {

class RetryGate {
 public:
  static constexpr int64_t kTokenLifetimeNs = 10'000'000'000;

  RetryGate();

  enum class Verdict {
    kRetry,    // no token: send `retry` back to the peer, keep nothing
    kValid,    // a token of ours for this address: accept, with `odcid`
    kInvalid,  // a token, but not ours, expired or for another address: drop
  };
  struct Answer {
    Verdict verdict = Verdict::kInvalid;
    ngtcp2_cid odcid{};          // kValid: the client's first destination connection ID
    ngtcp2_cid retry_scid{};     // kValid: the Retry's source connection ID (the Initial's DCID)
    std::vector<uint8_t> retry;  // kRetry: the datagram to send
  };
  // `hd` is a first Initial as ngtcp2_accept() decoded it.
  Answer check(const ngtcp2_pkt_hd& hd, const Address& peer, int64_t now_ns) const;

 private:
  std::array<uint8_t, 32> secret_{};
};

}  // namespace pf::net::quic_detail
