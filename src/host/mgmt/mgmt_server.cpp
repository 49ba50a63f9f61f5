// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/mgmt/mgmt_server.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include <httplib.h>

#include <chrono>

#include "base/file_io.h"
#include "base/hex.h"
#include "base/log.h"
#include "host/mgmt/mgmt_reply.h"
#include "host/net/connection_gate.h"
#include "proto/mgmt/requests.h"

namespace pf::host::mgmt {
using nlohmann::json;

Result<std::string> load_or_create_token(const std::filesystem::path& path) {
  if (auto t = read_file(path, 4096)) {
    std::string s = *t;
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
      s.pop_back();
    if (s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos)
      return s;
    auto to = move_aside(path);
    if (!to)
      return tl::unexpected(to.error());
    log_error(
        "{} was not an API token; moved it to {} and created a new one (`punktfunk-host "
        "token` prints it)",
        path.string(), to->string());
  } else if (t.error().code() != StatusCode::kNotFound) {
    return tl::unexpected(t.error());
  }
  std::array<uint8_t, 32> raw{};
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
    return make_error(StatusCode::kInternal, "no randomness for the API token");
  const std::string token = to_hex(raw, false);
  if (Status st = write_file_atomic(path, token + "\n", 0600); !st.is_ok())
    return tl::unexpected(st);
  return token;
}

Result<std::unique_ptr<MgmtServer>> MgmtServer::start(const MgmtOptions& options,
                                                      MgmtBackend backend) {
  if (options.token.size() < 32)
    return make_error(StatusCode::kInvalidArgument, "the API token is too short");
  std::unique_ptr<MgmtServer> m(new MgmtServer());
  m->backend_ = std::move(backend);
  m->token_ = options.token;
  std::string tls_error;
  m->server_ = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    BIO* cb = BIO_new_mem_buf(options.cert_pem.data(), static_cast<int>(options.cert_pem.size()));
    BIO* kb = BIO_new_mem_buf(options.key_pem.data(), static_cast<int>(options.key_pem.size()));
    X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
    EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    BIO_free(cb);
    BIO_free(kb);
    const bool ok = cert && key && SSL_CTX_use_certificate(&ctx, cert) == 1 &&
                    SSL_CTX_use_PrivateKey(&ctx, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok)
      tls_error = "the management API's certificate or key cannot be used";
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    return ok;
  });
  if (!m->server_->is_valid())
    return make_error(StatusCode::kInternal, tls_error.empty() ? "cannot set up TLS" : tls_error);
  if (options.address != "127.0.0.1" && options.address != "::1" && options.address != "localhost")
    log_warn("mgmt: the management API listens on {}, not only on this machine", options.address);

  MgmtServer* self = m.get();
  auto& srv = *m->server_;
  m->add_auth_check();
  m->add_pairing_routes();
  m->add_device_routes();
  m->add_session_routes();
  m->add_config_routes();
  m->add_app_routes();
  m->add_diagnostic_routes();
  GateLimits limits;
  limits.tls = true;
  gate_server(srv, limits, "mgmt");
  srv.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty())
      error(res, res.status, res.status == 404 ? "no such endpoint" : "request failed");
  });

  const int port = options.port == 0
                       ? srv.bind_to_any_port(options.address)
                       : (srv.bind_to_port(options.address, options.port) ? options.port : -1);
  if (port <= 0)
    return make_error(StatusCode::kUnavailable, "the management API cannot listen on " +
                                                    options.address + ":" +
                                                    std::to_string(options.port));
  m->port_ = static_cast<uint16_t>(port);
  raise_listen_backlog(m->port_);
  m->thread_ = std::thread([self] { self->server_->listen_after_bind(); });
  while (!m->server_->is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  log_info("mgmt: management API on https://{}:{}/api/v1 (token: punktfunk-host token)",
           options.address, m->port_);
  return m;
}

MgmtServer::~MgmtServer() {
  if (server_)
    server_->stop();
  if (thread_.joinable())
    thread_.join();
}

}  // namespace pf::host::mgmt
