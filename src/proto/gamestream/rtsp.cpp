// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/rtsp.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "base/endian.h"
#include "crypto/aead.h"

namespace pf::proto::gamestream {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

Status bad(std::string_view what) {
  return Status(StatusCode::kInvalidArgument, fmt::format("RTSP: {}", what));
}

// The Content-length value in a header block, or -1.
long content_length(std::string_view head) {
  size_t pos = 0;
  while (pos < head.size()) {
    size_t eol = head.find('\n', pos);
    if (eol == std::string_view::npos)
      eol = head.size();
    const std::string_view line = head.substr(pos, eol - pos);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), "content-length")) {
      const std::string_view v = trim(line.substr(colon + 1));
      long n = -1;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      return ec == std::errc() && p == v.data() + v.size() ? n : -2;
    }
    pos = eol + 1;
  }
  return -1;
}

}  // namespace

std::optional<std::string_view> RtspRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name))
      return std::string_view(v);
  return std::nullopt;
}

int RtspRequest::cseq() const {
  auto v = header("CSeq");
  if (!v)
    return 0;
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  return ec == std::errc() && n > 0 ? n : 0;
}

Result<size_t> rtsp_request_size(std::string_view data, bool at_eof) {
  // The header block ends at the first blank line, CRLF or bare LF (whichever comes first: a
  // server reading the message in pieces must frame it as one reading it whole does).
  const size_t crlf = data.find("\r\n\r\n"), lf = data.find("\n\n");
  size_t end = std::string_view::npos, sep = 0;
  if (crlf != std::string_view::npos && (lf == std::string_view::npos || crlf + 4 <= lf + 2)) {
    end = crlf;
    sep = 4;
  } else if (lf != std::string_view::npos) {
    end = lf;
    sep = 2;
  }
  if (end == std::string_view::npos) {
    if (data.size() > kMaxRtspMessage)
      return tl::unexpected(bad("header block larger than 64 KiB"));
    if (at_eof)
      return tl::unexpected(bad("connection closed inside the header block"));
    return size_t{0};
  }
  const long len = content_length(data.substr(0, end));
  if (len == -2 || len > static_cast<long>(kMaxRtspMessage))
    return tl::unexpected(bad("bad Content-length"));
  const size_t body_start = end + sep;
  if (len < 0)  // no Content-length: no body (Moonlight always sends one with a body)
    return body_start;
  if (data.size() - body_start >= static_cast<size_t>(len))
    return body_start + static_cast<size_t>(len);
  if (at_eof)
    return tl::unexpected(bad("connection closed before the body was complete"));
  return size_t{0};
}

Result<RtspRequest> parse_rtsp_request(std::string_view m) {
  if (m.size() > kMaxRtspMessage)
    return tl::unexpected(bad("message larger than 64 KiB"));
  RtspRequest r;
  size_t pos = m.find('\n');
  if (pos == std::string_view::npos)
    return tl::unexpected(bad("no request line"));
  const std::string_view line = trim(m.substr(0, pos));
  const size_t s1 = line.find(' ');
  const size_t s2 = line.rfind(' ');
  if (s1 == std::string_view::npos || s2 == s1)
    return tl::unexpected(bad("request line is not 'METHOD target RTSP/1.0'"));
  if (line.substr(s2 + 1) != "RTSP/1.0")
    return tl::unexpected(bad("protocol is not RTSP/1.0"));
  r.method = std::string(line.substr(0, s1));
  r.target = std::string(trim(line.substr(s1 + 1, s2 - s1 - 1)));
  if (r.method.empty() || r.target.empty())
    return tl::unexpected(bad("empty method or target"));
  ++pos;
  while (pos < m.size()) {
    size_t eol = m.find('\n', pos);
    if (eol == std::string_view::npos)
      eol = m.size();
    const std::string_view h = m.substr(pos, eol - pos);
    pos = eol + 1;
    if (trim(h).empty())
      break;
    const size_t colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return tl::unexpected(bad("header line without a name"));
    if (r.headers.size() >= 64)
      return tl::unexpected(bad("more than 64 headers"));
    r.headers.emplace_back(std::string(trim(h.substr(0, colon))),
                           std::string(trim(h.substr(colon + 1))));
  }
  if (pos < m.size())
    r.body = std::string(m.substr(pos));
  if (auto len = r.header("Content-length")) {
    size_t n = 0;
    auto [p, ec] = std::from_chars(len->data(), len->data() + len->size(), n);
    if (ec != std::errc() || p != len->data() + len->size() || n > r.body.size())
      return tl::unexpected(bad("Content-length does not match the body"));
    r.body.resize(n);
  }
  return r;
}

const char* rtsp_reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 454:
      return "Session Not Found";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

std::string serialize_rtsp_response(const RtspResponse& r, int cseq) {
  std::string out =
      fmt::format("RTSP/1.0 {} {}\r\nCSeq: {}\r\n", r.status, rtsp_reason(r.status), cseq);
  for (const auto& [k, v] : r.headers)
    out += fmt::format("{}: {}\r\n", k, v);
  if (!r.body.empty())
    out += fmt::format("Content-Length: {}\r\n", r.body.size());
  out += "\r\n";
  out += r.body;
  return out;
}

std::array<uint8_t, 12> rtsp_iv(uint32_t sequence, bool from_host) {
  std::array<uint8_t, 12> iv{};
  for (int i = 0; i < 4; ++i)
    iv[i] = static_cast<uint8_t>(sequence >> (8 * i));
  iv[10] = from_host ? 'H' : 'C';
  iv[11] = 'R';
  return iv;
}

Result<size_t> rtsp_encrypted_size(std::span<const uint8_t> d) {
  if (d.size() < 4)
    return size_t{0};
  const uint32_t tl = load_be32(d.data());
  if (!(tl & 0x80000000u))
    return tl::unexpected(bad("encrypted message without the encryption bit"));
  const size_t n = tl & 0x7FFFFFFFu;
  if (n > kMaxRtspMessage)
    return tl::unexpected(bad("encrypted message larger than 64 KiB"));
  return kRtspEncHeader + n;
}

struct RtspCipher::Impl {
  std::unique_ptr<crypto::Aead> aead;
};

RtspCipher::RtspCipher(std::span<const uint8_t, 16> key) : impl_(new Impl) {
  auto a = crypto::Aead::create(crypto::AeadAlgorithm::kAes128Gcm, key);
  impl_->aead = std::move(*a);  // a 16-byte key is always accepted
}

RtspCipher::~RtspCipher() {
  delete impl_;
}

std::vector<uint8_t> RtspCipher::seal(uint32_t sequence,
                                      std::string_view plaintext,
                                      bool from_host) {
  std::vector<uint8_t> out(kRtspEncHeader + plaintext.size());
  const uint32_t tl = 0x80000000u | static_cast<uint32_t>(plaintext.size());
  for (int i = 0; i < 4; ++i) {
    out[i] = static_cast<uint8_t>(tl >> (24 - 8 * i));
    out[4 + i] = static_cast<uint8_t>(sequence >> (24 - 8 * i));
  }
  // Aead::seal writes ciphertext || tag; the wire wants tag before ciphertext.
  std::vector<uint8_t> sealed(plaintext.size() + crypto::kTagBytes);
  const auto iv = rtsp_iv(sequence, from_host);
  impl_->aead->seal(iv, {},
                    std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(plaintext.data()),
                                             plaintext.size()),
                    sealed.data());
  std::memcpy(out.data() + 8, sealed.data() + plaintext.size(), crypto::kTagBytes);
  std::memcpy(out.data() + kRtspEncHeader, sealed.data(), plaintext.size());
  return out;
}

Result<std::string> RtspCipher::open(std::span<const uint8_t> m,
                                     bool from_host,
                                     uint32_t* sequence) {
  auto size = rtsp_encrypted_size(m);
  if (!size)
    return tl::unexpected(size.error());
  if (*size < kRtspEncHeader || m.size() != *size)
    return tl::unexpected(bad("encrypted message length does not match its header"));
  const size_t n = std::min(m.size() - kRtspEncHeader, kMaxRtspMessage);
  const uint32_t seq = load_be32(m.data() + 4);
  std::vector<uint8_t> sealed(n + crypto::kTagBytes);
  std::memcpy(sealed.data(), m.data() + kRtspEncHeader, n);
  std::memcpy(sealed.data() + n, m.data() + 8, crypto::kTagBytes);
  std::string plain(n, '\0');
  const auto iv = rtsp_iv(seq, from_host);
  if (!impl_->aead->open(iv, {}, sealed, reinterpret_cast<uint8_t*>(plain.data())))
    return tl::unexpected(Status(StatusCode::kPermissionDenied,
                                 "RTSP: encrypted message does not authenticate (wrong rikey?)"));
  if (sequence)
    *sequence = seq;
  return plain;
}

}  // namespace pf::proto::gamestream
