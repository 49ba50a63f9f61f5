// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as an RTSP message to the host: framing, parse, the session state
// machine (which parses ANNOUNCE bodies), and the encrypted framing. No
// crash; a response always has a status; parsed sizes stay within limits.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "proto/gamestream/rtsp.h"
#include "proto/gamestream/rtsp_session.h"
#include "proto/gamestream/sdp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::gamestream;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto n = rtsp_request_size(in, true);
  if (n)
    PF_CHECK(*n <= in.size());
  auto req = parse_rtsp_request(in);
  if (req) {
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
    const RtspResponse r = s.handle(*req);
    PF_CHECK(r.status >= 200 && r.status < 600);
    (void)serialize_rtsp_response(r, req->cseq());
  }
  (void)parse_announce(in);
  static const std::array<uint8_t, 16> key{};
  RtspCipher cipher(key);
  auto plain = cipher.open(std::span<const uint8_t>(data, size), false);
  if (plain)
    PF_CHECK(plain->size() + kRtspEncHeader == size);
  return 0;
}
