// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

namespace pf::host::gamestream {

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0)
      ::close(fd);
  }
};

std::string pem_of(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

Status parse_response(const std::string& raw, HttpResult* out) {
  const size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos || raw.compare(0, 5, "HTTP/") != 0)
    return Status(StatusCode::kDataLoss, "malformed HTTP response");
  const size_t sp = raw.find(' ');
  out->status = std::atoi(raw.c_str() + sp + 1);
  const std::string head = raw.substr(0, end);
  size_t pos = 0;
  long content_length = -1;
  while ((pos = head.find("\r\n", pos)) != std::string::npos) {
    pos += 2;
    const size_t colon = head.find(':', pos);
    const size_t eol = head.find("\r\n", pos);
    if (colon == std::string::npos || (eol != std::string::npos && colon > eol))
      continue;
    std::string name = head.substr(pos, colon - pos);
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value =
        head.substr(colon + 1, (eol == std::string::npos ? head.size() : eol) - colon - 1);
    while (!value.empty() && value.front() == ' ')
      value.erase(value.begin());
    if (name == "content-type")
      out->content_type = value;
    if (name == "content-length")
      content_length = std::atol(value.c_str());
  }
  out->body = raw.substr(end + 4);
  if (content_length >= 0 && static_cast<size_t>(content_length) != out->body.size())
    return Status(StatusCode::kDataLoss, fmt::format("body of {} bytes, Content-Length {}",
                                                     out->body.size(), content_length));
  return Status::ok();
}

}  // namespace

Result<HttpResult> http_get(const std::string& host,
                            uint16_t port,
                            const std::string& target,
                            bool https,
                            const crypto::PemIdentity* id,
                            int timeout_ms) {
  Fd s{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &sa.sin_addr) != 1)
    return make_error(StatusCode::kInvalidArgument, "IPv4 address expected");
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(s.fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("connect {}:{}: {}", host, port, std::strerror(errno)));
  const std::string request = fmt::format(
      "GET {} HTTP/1.1\r\nHost: {}:{}\r\nConnection: close\r\n\r\n", target, host, port);
  std::string raw;
  HttpResult out;
  if (!https) {
    if (::send(s.fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size()))
      return make_error(StatusCode::kUnavailable, "send failed");
    char buf[16384];
    for (ssize_t n; (n = ::recv(s.fd, buf, sizeof buf, 0)) > 0;)
      raw.append(buf, static_cast<size_t>(n));
  } else {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);  // pinned by the caller instead
    if (id) {
      BIO* cb = BIO_new_mem_buf(id->cert_pem.data(), static_cast<int>(id->cert_pem.size()));
      BIO* kb = BIO_new_mem_buf(id->key_pem.data(), static_cast<int>(id->key_pem.size()));
      X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
      EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
      SSL_CTX_use_certificate(ctx, cert);
      SSL_CTX_use_PrivateKey(ctx, key);
      X509_free(cert);
      EVP_PKEY_free(key);
      BIO_free(cb);
      BIO_free(kb);
    }
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, s.fd);
    Status st = Status::ok();
    if (SSL_connect(ssl) != 1) {
      st = Status(
          StatusCode::kUnavailable,
          fmt::format("TLS handshake failed: {}", ERR_reason_error_string(ERR_get_error())
                                                      ? ERR_reason_error_string(ERR_get_error())
                                                      : "?"));
    } else {
      if (X509* peer = SSL_get1_peer_certificate(ssl)) {
        out.server_cert_pem = pem_of(peer);
        X509_free(peer);
      }
      SSL_write(ssl, request.data(), static_cast<int>(request.size()));
      char buf[16384];
      for (int n; (n = SSL_read(ssl, buf, sizeof buf)) > 0;)
        raw.append(buf, static_cast<size_t>(n));
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    if (!st.is_ok())
      return tl::unexpected(st);
  }
  if (auto st = parse_response(raw, &out); !st.is_ok())
    return tl::unexpected(st);
  return out;
}

}  // namespace pf::host::gamestream
