// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <gnutls/gnutls.h>

#include <memory>
#include <string>

#include "net/quic/quic.h"

// GnuTLS plumbing for the QUIC adapter: certificate credentials from a PEM
// identity, TLS 1.3 sessions configured for ngtcp2, the peer's fingerprint
// and the exporter. Internal to src/net/quic.
namespace pf::net::quic_detail {

// Certificate credentials; every certificate is accepted at the TLS layer
// (self-signed identities), but one must be presented: the application then
// authorizes the peer by its fingerprint.
class TlsCredentials {
 public:
  static Result<std::shared_ptr<TlsCredentials>> load(const QuicIdentity& identity);
  ~TlsCredentials();
  gnutls_certificate_credentials_t get() const { return cred_; }

 private:
  gnutls_certificate_credentials_t cred_ = nullptr;
};

struct GnutlsSessionDel {
  void operator()(gnutls_session_t s) const { gnutls_deinit(s); }
};
using TlsSession = std::unique_ptr<std::remove_pointer_t<gnutls_session_t>, GnutlsSessionDel>;

// A TLS 1.3 session for ngtcp2 with the ALPN; the server requires a client
// certificate. `conn_ref` (an ngtcp2_crypto_conn_ref*) becomes the session pointer.
Result<TlsSession> make_session(const TlsCredentials& cred,
                                bool server,
                                const std::string& alpn,
                                void* conn_ref);

// SHA-256 of the peer's first certificate; false if none was presented.
bool peer_fingerprint(gnutls_session_t session, Fingerprint& out);

}  // namespace pf::net::quic_detail
