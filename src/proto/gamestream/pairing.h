// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

// GameStream PIN pairing (gamestream-protocol.md section 3), both sides, as
// sans-I/O state machines: hex strings from the query in, hex strings for the
// XML reply out. SHA-256 generation (appversion 7.x) only.
//
// Host: start() with the phase-1 parameters; the caller obtains the PIN from
// the host user (however long that takes) and calls set_pin(); then one call
// per phase. Any error fails the session for good (no half-paired state): the
// caller drops it.
namespace pf::proto::gamestream {

struct HostCredentials {
  std::string cert_pem;  // exactly what the HTTPS server presents
  std::string key_pem;
};

class HostPairing {
 public:
  enum class Phase {
    kNeedPin,
    kClientChallenge,
    kServerChallengeResponse,
    kClientSecret,
    kPaired,
    kFailed
  };

  // Phase 1: `salt` (>= 32 hex digits, the first 32 used) and `clientcert`
  // (hex of the client's PEM text).
  static Result<HostPairing> start(const HostCredentials& host,
                                   std::string_view salt_hex,
                                   std::string_view clientcert_hex,
                                   std::string device_name);

  // The 4-digit PIN the user typed: returns the hex of the host certificate
  // PEM (phase-1 `plaincert`).
  Result<std::string> set_pin(std::string_view pin);
  // Phase 2: `clientchallenge` -> `challengeresponse`.
  Result<std::string> client_challenge(std::string_view hex);
  // Phase 3: `serverchallengeresp` -> `pairingsecret`.
  Result<std::string> server_challenge_response(std::string_view hex);
  // Phase 4: `clientpairingsecret`. OK only if the client's hash and
  // signature both verify (then the client certificate may be stored);
  // kPermissionDenied otherwise (wrong PIN on one side, or a forgery).
  Status client_pairing_secret(std::string_view hex);

  Phase phase() const { return phase_; }
  const std::string& client_cert_pem() const { return client_cert_pem_; }
  const std::string& device_name() const { return device_name_; }

 private:
  HostPairing() = default;
  Status fail(StatusCode code, std::string msg);
  Status expect(Phase p) const;

  HostCredentials host_;
  std::vector<uint8_t> host_signature_, client_signature_;
  std::string client_cert_pem_, device_name_;
  std::array<uint8_t, 16> salt_{}, key_{}, server_secret_{}, server_challenge_{};
  std::array<uint8_t, 32> client_hash_{};
  Phase phase_ = Phase::kNeedPin;
};

// The client side, as Moonlight runs it (used by tests and tools).
class ClientPairing {
 public:
  ClientPairing(std::string cert_pem, std::string key_pem, std::string pin);

  // Phase 1 query parameters: salt and clientcert (hex).
  std::string salt_hex() const;
  std::string clientcert_hex() const;
  // Phase 1 reply: the host certificate (hex of PEM). Empty means "another
  // pairing is in progress".
  Status on_plaincert(std::string_view hex);
  // Phase 2 query parameter.
  Result<std::string> clientchallenge_hex();
  Status on_challengeresponse(std::string_view hex);
  // Phase 3 query parameter.
  Result<std::string> serverchallengeresp_hex();
  // Phase 3 reply: checks the host's signature and the PIN (kPermissionDenied
  // = "incorrect PIN" or "MITM").
  Status on_pairingsecret(std::string_view hex);
  // Phase 4 query parameter.
  Result<std::string> clientpairingsecret_hex();

  const std::string& host_cert_pem() const { return host_cert_pem_; }

 private:
  std::string cert_pem_, key_pem_, pin_, host_cert_pem_;
  std::array<uint8_t, 16> salt_{}, key_{}, client_challenge_{}, client_secret_{},
      server_challenge_{};
  std::array<uint8_t, 32> host_hash_{};
};

}  // namespace pf::proto::gamestream
