// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/http_server.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <httplib.h>

#include <fmt/format.h>

#include "base/log.h"
#include "host/net/connection_gate.h"

namespace pf::host::gamestream {

namespace {

std::string peer_cert_pem(const SSL* ssl) {
  if (!ssl)
    return {};
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert)
    return {};
  BIO* bio = BIO_new(BIO_s_mem());
  std::string out;
  if (bio && PEM_write_bio_X509(bio, cert)) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    out.assign(data, static_cast<size_t>(n));
  }
  BIO_free(bio);
  X509_free(cert);
  return out;
}

void serve(httplib::Server& srv, NvHttp* handler, bool https) {
  srv.Get(".*", [handler, https](const httplib::Request& req, httplib::Response& res) {
    NvHttpRequest r;
    r.path = req.path;
    const size_t q = req.target.find('?');
    if (q != std::string::npos)
      r.query = req.target.substr(q + 1);
    r.https = https;
    r.local_address = req.local_addr;
    r.remote_address = req.remote_addr;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (https)
      r.client_cert_pem = peer_cert_pem(req.ssl);
#endif
    log_debug("{} {} {} from {}", https ? "https" : "http", req.method, req.path, req.remote_addr);
    NvHttpResponse out = handler->handle(r);
    res.status = out.http_status;
    res.set_content(out.body, out.content_type.c_str());
  });
  GateLimits limits;
  limits.tls = https;
  gate_server(srv, limits, https ? "https" : "http");
}

// Accept whatever certificate the client presents: authorization happens per
// request, by exact certificate match.
int accept_any(int, X509_STORE_CTX*) {
  return 1;
}

}  // namespace

Result<std::unique_ptr<HttpServers>> HttpServers::start(NvHttp* handler,
                                                        const HostIdentity& identity,
                                                        const std::string& address,
                                                        uint16_t http_port,
                                                        uint16_t https_port) {
  std::unique_ptr<HttpServers> s(new HttpServers());
  s->http_ = std::make_unique<httplib::Server>();
  std::string tls_error;
  s->https_ = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    BIO* cb = BIO_new_mem_buf(identity.cert_pem.data(), static_cast<int>(identity.cert_pem.size()));
    BIO* kb = BIO_new_mem_buf(identity.key_pem.data(), static_cast<int>(identity.key_pem.size()));
    X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
    EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    BIO_free(cb);
    BIO_free(kb);
    const bool ok = cert && key && SSL_CTX_use_certificate(&ctx, cert) == 1 &&
                    SSL_CTX_use_PrivateKey(&ctx, key) == 1 && SSL_CTX_check_private_key(&ctx) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok) {
      tls_error = "the host certificate or key cannot be used for TLS";
      return false;
    }
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, accept_any);
    return true;
  });
  if (!s->https_->is_valid())
    return make_error(StatusCode::kInternal, tls_error.empty() ? "cannot set up TLS" : tls_error);
  serve(*s->http_, handler, false);
  serve(*s->https_, handler, true);
  auto bind = [&](httplib::Server& srv, uint16_t port, uint16_t* bound) -> Status {
    int p =
        port == 0 ? srv.bind_to_any_port(address) : (srv.bind_to_port(address, port) ? port : -1);
    if (p <= 0)
      return Status(StatusCode::kUnavailable,
                    fmt::format("cannot listen on {}:{} (in use? another GameStream host such as "
                                "Sunshine running?)",
                                address, port));
    *bound = static_cast<uint16_t>(p);
    raise_listen_backlog(*bound);
    return Status::ok();
  };
  if (auto st = bind(*s->http_, http_port, &s->http_port_); !st.is_ok())
    return tl::unexpected(st);
  if (auto st = bind(*s->https_, https_port, &s->https_port_); !st.is_ok())
    return tl::unexpected(st);
  s->http_thread_ = std::thread([srv = s->http_.get()] { srv->listen_after_bind(); });
  s->https_thread_ = std::thread([srv = s->https_.get()] { srv->listen_after_bind(); });
  // stop() only works on a running server: wait until both accept.
  while (!s->http_->is_running() || !s->https_->is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return s;
}

void HttpServers::stop() {
  if (http_)
    http_->stop();
  if (https_)
    https_->stop();
  if (http_thread_.joinable())
    http_thread_.join();
  if (https_thread_.joinable())
    https_thread_.join();
}

HttpServers::~HttpServers() {
  stop();
}

}  // namespace pf::host::gamestream
