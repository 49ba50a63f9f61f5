// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

// GameStream's RTSP dialect (gamestream-protocol.md 4.1-4.2): one request per
// TCP connection, `Name: value` headers, a body delimited by Content-length or
// by the end of the connection; and the encrypted framing of `rtspenc://`
// (AES-128-GCM keyed by the launch's rikey, no AAD). Sans-I/O.
namespace pf::proto::gamestream {

struct RtspRequest {
  std::string method;  // "OPTIONS", "DESCRIBE", "SETUP", "ANNOUNCE", "PLAY"
  std::string target;  // not validated (Moonlight sends several forms)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Case-insensitive header lookup.
  std::optional<std::string_view> header(std::string_view name) const;
  int cseq() const;  // 0 if absent or not a number
};

struct RtspResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // CSeq is added by serialize()
  std::string body;
};

inline constexpr size_t kMaxRtspMessage = 64 * 1024;

// How much of `data` is one complete plaintext request: 0 if more bytes are
// needed, or an error for something that can never become a valid request.
// `at_eof`: the peer closed its side (then a body without Content-length ends).
Result<size_t> rtsp_request_size(std::string_view data, bool at_eof);

Result<RtspRequest> parse_rtsp_request(std::string_view message);
std::string serialize_rtsp_response(const RtspResponse& r, int cseq);
const char* rtsp_reason(int status);

// ---- encrypted framing (rtspenc) -------------------------------------------

inline constexpr size_t kRtspEncHeader = 24;  // BE32 type|len, BE32 seq, 16-byte tag

// The 12-byte GCM IV: LE32 sequence number, 6 zero bytes, 'C' or 'H', 'R'.
std::array<uint8_t, 12> rtsp_iv(uint32_t sequence, bool from_host);

// 0 if more bytes are needed; the total size of the encrypted message once the
// header is in; an error if it claims more than kMaxRtspMessage.
Result<size_t> rtsp_encrypted_size(std::span<const uint8_t> data);

struct RtspCipher {
  explicit RtspCipher(std::span<const uint8_t, 16> key);
  ~RtspCipher();
  RtspCipher(const RtspCipher&) = delete;
  RtspCipher& operator=(const RtspCipher&) = delete;

  std::vector<uint8_t> seal(uint32_t sequence, std::string_view plaintext, bool from_host);
  // Checks the framing (top bit, exact length) and the tag.
  Result<std::string> open(std::span<const uint8_t> message,
                           bool from_host,
                           uint32_t* sequence = nullptr);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace pf::proto::gamestream
