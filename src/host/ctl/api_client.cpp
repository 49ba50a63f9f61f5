// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/ctl/api_client.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <httplib.h>

#include <fmt/format.h>

namespace pf::host::ctl {

namespace {

std::string der_of(const std::string& pem) {
  BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* x = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  if (!x)
    return {};
  unsigned char* buf = nullptr;
  const int n = i2d_X509(x, &buf);
  std::string der = n > 0 ? std::string(reinterpret_cast<char*>(buf), static_cast<size_t>(n)) : "";
  OPENSSL_free(buf);
  X509_free(x);
  return der;
}

// Accepts the chain only if the server's own certificate is the pinned one.
int verify_pinned(int /*preverify*/, X509_STORE_CTX* store) {
  if (X509_STORE_CTX_get_error_depth(store) != 0)
    return 1;  // only the leaf decides
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  const auto* pinned = static_cast<const std::string*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  X509* leaf = X509_STORE_CTX_get_current_cert(store);
  unsigned char* buf = nullptr;
  const int n = i2d_X509(leaf, &buf);
  const bool ok = pinned && n > 0 && static_cast<size_t>(n) == pinned->size() &&
                  std::memcmp(buf, pinned->data(), pinned->size()) == 0;
  OPENSSL_free(buf);
  return ok ? 1 : 0;
}

}  // namespace

ApiClient::ApiClient(const std::string& host,
                     uint16_t port,
                     std::string token,
                     std::string pinned_cert_pem)
    : client_(std::make_unique<httplib::SSLClient>(host, port)),
      where_(fmt::format("https://{}:{}", host, port)) {
  client_->enable_server_certificate_verification(false);  // replaced by the pin below
  client_->set_bearer_token_auth(token);
  client_->set_connection_timeout(3, 0);
  client_->set_read_timeout(10, 0);
  if (!pinned_cert_pem.empty()) {
    pinned_der_ = der_of(pinned_cert_pem);
    SSL_CTX* ctx = client_->ssl_context();
    SSL_CTX_set_app_data(ctx, &pinned_der_);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_pinned);
  }
}

ApiClient::~ApiClient() = default;

Result<ApiResponse> ApiClient::call(const std::string& method,
                                    const std::string& path,
                                    const std::optional<nlohmann::json>& body) {
  const std::string url = "/api/v1" + path;
  const std::string payload = body ? body->dump() : "";
  httplib::Result r = method == "GET"      ? client_->Get(url)
                      : method == "DELETE" ? client_->Delete(url)
                      : method == "PATCH"  ? client_->Patch(url, payload, "application/json")
                                           : client_->Post(url, payload, "application/json");
  if (!r)
    return make_error(
        StatusCode::kUnavailable,
        r.error() == httplib::Error::SSLConnection && !pinned_der_.empty()
            ? fmt::format("no TLS connection to {}: it is not this user's punktfunk-host (its "
                          "certificate is not host-cert.pem of the state directory) or TLS failed",
                          where_)
            : fmt::format("cannot reach the host at {} ({}): is punktfunk-host running?", where_,
                          httplib::to_string(r.error())));
  ApiResponse out;
  out.status = r->status;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  if (out.body.is_discarded())
    out.body = nullptr;
  return out;
}

}  // namespace pf::host::ctl
