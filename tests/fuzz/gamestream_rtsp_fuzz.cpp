// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as RTSP messages to the host, as its server meets them:
// - framing: the input split at 0xFE into up to four messages; each is framed
//   whole and from every prefix a byte of the input picks (a server reading in
//   pieces must frame it as one reading it whole does);
// - a multi-step session: the messages go to one RtspSession in turn (after the
//   three SETUPs Moonlight sends), so PLAY can follow a good ANNOUNCE;
// - the encrypted framing: each message sealed with the launch key and opened
//   again (the path behind the tag), and the raw input opened as it comes;
// - ANNOUNCE bodies. No crash; a response always has a status; sizes within limits.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "proto/gamestream/rtsp.h"
#include "proto/gamestream/rtsp_session.h"
#include "proto/gamestream/sdp.h"

namespace {

using namespace pf::proto::gamestream;

void check_framing(std::string_view m, uint8_t cut) {
  const auto whole = rtsp_request_size(m, false);
  if (whole && *whole > 0)
    PF_CHECK(*whole <= m.size());
  const size_t k = m.empty() ? 0 : cut % (m.size() + 1);
  const auto part = rtsp_request_size(m.substr(0, k), false);
  if (whole && *whole > 0) {
    // A prefix holding the whole message frames it the same; a shorter one asks for more.
    PF_CHECK(part.has_value());
    PF_CHECK(*part == (k >= *whole ? *whole : 0));
  }
  if (auto eof = rtsp_request_size(m, true))
    PF_CHECK(*eof > 0 && *eof <= m.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> messages;
  for (size_t start = 0; messages.size() < 4 && start <= size;) {
    const size_t end = std::min(in.find('\xFE', start), size);
    messages.push_back(in.substr(start, end - start));
    start = end + 1;
  }
  RtspSessionConfig cfg;
  cfg.ping_payload = "0123456789ABCDEF";
  cfg.connect_data = 1234;
  RtspSession s(cfg);
  for (const char* t : {"streamid=audio/0/0", "streamid=video/0/0", "streamid=control/13/0"}) {
    RtspRequest setup;
    setup.method = "SETUP";
    setup.target = t;
    s.handle(setup);
  }
  static const std::array<uint8_t, 16> key{1, 2, 3};
  RtspCipher cipher(key);
  uint32_t seq = 0;
  for (std::string_view m : messages) {
    check_framing(m, size > 0 ? data[size - 1] : 0);
    // The encrypted path: sealed by a client that has the key, framed, opened, then the same
    // parser and session as plaintext.
    if (m.size() <= kMaxRtspMessage) {
      const auto sealed = cipher.seal(seq++, m, false);
      const auto framed = rtsp_encrypted_size(sealed);
      PF_CHECK(framed && *framed == sealed.size());
      auto opened = cipher.open(sealed, false);
      PF_CHECK(opened.has_value() && *opened == m);
    }
    auto req = parse_rtsp_request(m);
    if (!req)
      continue;
    const RtspResponse r = s.handle(*req);
    PF_CHECK(r.status >= 200 && r.status < 600);
    (void)serialize_rtsp_response(r, req->cseq());
  }
  (void)parse_announce(in);
  auto plain = cipher.open(std::span<const uint8_t>(data, size), false);
  if (plain)
    PF_CHECK(plain->size() + kRtspEncHeader == size);
  return 0;
}
