// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as a punktfunk/1 pairing message body of each type, and as the
// host's reply to a real client: decoders and both state machines never
// crash, and whatever decodes re-encodes to the same bytes. The first byte
// picks which state machine meets the rest (each costs elliptic-curve
// arithmetic; one per input keeps the fuzzer fast); the decoders see every input.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/check.h"
#include "proto/native/pairing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::native;
  if (size == 0)
    return 0;
  const uint8_t pick = data[0];
  const std::vector<uint8_t> body(data + 1, data + size);
  for (uint8_t type : {kPairStartType, kPairMessageType, kPairResultType}) {
    const PairMessage m{type, body};
    if (auto s = decode_pair_start(m))
      PF_CHECK(encode(*s).body == body);
    if (auto r = decode_pair_reply(m))
      PF_CHECK(encode(*r).body == body);
    if (auto c = decode_pair_confirm(m))
      PF_CHECK(encode(*c).body == body);
    if (auto r = decode_pair_result(m))
      PF_CHECK(encode(*r).body == body);
  }
  Fingerprint a{}, b{};
  b[0] = 1;
  if (pick % 2 == 0) {
    // The host's side of a hostile PairStart (mostly not curve points).
    (void)PairingHost::on_start(PairMessage{kPairStartType, body}, "123456", a, b, "host");
  } else {
    // The client's side of a hostile reply; a forged confirmation never passes.
    auto client = PairingClient::start("123456", a, b, "client");
    PF_CHECK(client.has_value());
    auto confirm = client->on_reply(PairMessage{kPairMessageType, body});
    (void)confirm;
  }
  return 0;
}
