// SPDX-License-Identifier: MIT OR Apache-2.0
#include "net/quic/quic_tls.h"

#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include <cstring>

#include "base/hex.h"

namespace pf::net {
namespace quic_detail {
namespace {

// TLS 1.3 only; ngtcp2 needs the middlebox compatibility mode off.
constexpr const char* kPriority =
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:"
    "%DISABLE_TLS13_COMPAT_MODE";

// Self-signed identities cannot chain to anything; the application pins
// fingerprints instead. Refuse only a peer that shows no certificate.
int accept_any_certificate(gnutls_session_t session) {
  unsigned n = 0;
  return gnutls_certificate_get_peers(session, &n) != nullptr && n > 0 ? 0 : -1;
}

gnutls_datum_t datum(const std::string& s) {
  return gnutls_datum_t{reinterpret_cast<unsigned char*>(const_cast<char*>(s.data())),
                        static_cast<unsigned>(s.size())};
}

Status tls_error(const char* what, int rc) {
  return Status(StatusCode::kInternal, std::string(what) + ": " + gnutls_strerror(rc));
}

}  // namespace

Result<std::shared_ptr<TlsCredentials>> TlsCredentials::load(const QuicIdentity& identity) {
  auto out = std::make_shared<TlsCredentials>();
  int rc = gnutls_certificate_allocate_credentials(&out->cred_);
  if (rc != 0)
    return tl::unexpected(tls_error("GnuTLS credentials", rc));
  gnutls_datum_t cert = datum(identity.cert_pem), key = datum(identity.key_pem);
  rc = gnutls_certificate_set_x509_key_mem(out->cred_, &cert, &key, GNUTLS_X509_FMT_PEM);
  if (rc < 0)
    return make_error(StatusCode::kInvalidArgument,
                      std::string("the QUIC identity (certificate and key) does not load: ") +
                          gnutls_strerror(rc));
  gnutls_certificate_set_verify_function(out->cred_, accept_any_certificate);
  return out;
}

TlsCredentials::~TlsCredentials() {
  if (cred_)
    gnutls_certificate_free_credentials(cred_);
}

Result<TlsSession> make_session(const TlsCredentials& cred,
                                bool server,
                                const std::string& alpn,
                                void* conn_ref) {
  gnutls_session_t raw = nullptr;
  int rc = gnutls_init(&raw, (server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_ENABLE_EARLY_DATA |
                                 GNUTLS_NO_END_OF_EARLY_DATA);
  if (rc != 0)
    return tl::unexpected(tls_error("gnutls_init", rc));
  TlsSession s(raw);
  if ((rc = gnutls_priority_set_direct(raw, kPriority, nullptr)) != 0)
    return tl::unexpected(tls_error("GnuTLS priority", rc));
  rc = server ? ngtcp2_crypto_gnutls_configure_server_session(raw)
              : ngtcp2_crypto_gnutls_configure_client_session(raw);
  if (rc != 0)
    return make_error(StatusCode::kInternal, "ngtcp2 could not configure the TLS session");
  gnutls_session_set_ptr(raw, conn_ref);
  if ((rc = gnutls_credentials_set(raw, GNUTLS_CRD_CERTIFICATE, cred.get())) != 0)
    return tl::unexpected(tls_error("GnuTLS credentials", rc));
  if (server)
    gnutls_certificate_server_set_request(raw, GNUTLS_CERT_REQUIRE);
  gnutls_datum_t proto = datum(alpn);
  if ((rc = gnutls_alpn_set_protocols(raw, &proto, 1, GNUTLS_ALPN_MANDATORY)) != 0)
    return tl::unexpected(tls_error("GnuTLS ALPN", rc));
  return s;
}

bool peer_fingerprint(gnutls_session_t session, Fingerprint& out) {
  unsigned n = 0;
  const gnutls_datum_t* certs = gnutls_certificate_get_peers(session, &n);
  if (!certs || n == 0)
    return false;
  return gnutls_hash_fast(GNUTLS_DIG_SHA256, certs[0].data, certs[0].size, out.data()) == 0;
}

}  // namespace quic_detail

Result<Fingerprint> certificate_fingerprint(std::string_view cert_pem) {
  gnutls_x509_crt_t crt = nullptr;
  if (gnutls_x509_crt_init(&crt) != 0)
    return make_error(StatusCode::kInternal, "GnuTLS certificate allocation failed");
  std::string pem(cert_pem);
  gnutls_datum_t in = quic_detail::datum(pem), der{};
  int rc = gnutls_x509_crt_import(crt, &in, GNUTLS_X509_FMT_PEM);
  if (rc == 0)
    rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der);
  gnutls_x509_crt_deinit(crt);
  if (rc != 0)
    return make_error(StatusCode::kInvalidArgument, "not a PEM certificate");
  Fingerprint fp{};
  rc = gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size, fp.data());
  gnutls_free(der.data);
  if (rc != 0)
    return make_error(StatusCode::kInternal, "SHA-256 failed");
  return fp;
}

std::string fingerprint_hex(const Fingerprint& fp) {
  return to_hex(fp, false);
}

}  // namespace pf::net
