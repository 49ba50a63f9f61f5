// SPDX-License-Identifier: MIT OR Apache-2.0
// The host's side of a punktfunk/1 connection (host/native/host_session: the
// dispatch of everything a client sends after TLS) driven by a program: raw
// control-stream bytes split anywhere, well-formed messages with fuzzed
// fields (Hello, pairing with a real client and a fuzzed PIN, Bye, reports,
// unknown types), datagrams, ticks and time, the connection closing, the host
// ending the session, host hooks that refuse (not paired, storage full, host
// busy). Checks: a session starts only for a paired client, only one at a
// time, with a non-zero id; it ends at most once and only if it started;
// nothing is sent after close; input reaches the host only inside a session.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "base/check.h"
#include "base/log.h"
#include "fuzz_input.h"
#include "host/native/host_session.h"
#include "proto/native/datagrams.h"
#include "proto/native/pairing.h"

namespace {

using namespace pf;
using namespace pf::host::native;

using fuzz::Input;

struct Io : SessionIo {
  bool closed = false;
  int sends_after_close = 0;
  std::optional<pn::PairMessage> last_pair;  // the host's reply, for the client to answer
  void send_control(const pn::ControlMessage& m) override {
    sends_after_close += closed;
    if (const auto* p = std::get_if<pn::PairMessage>(&m))
      last_pair = *p;
  }
  void send_datagram(std::span<const uint8_t>) override { sends_after_close += closed; }
  void close(uint32_t, std::string_view) override { closed = true; }
  Result<std::vector<uint8_t>> export_keying_material(std::string_view,
                                                      std::span<const uint8_t>,
                                                      size_t length) override {
    return std::vector<uint8_t>(length, 0x42);
  }
  std::function<bool(std::span<const uint8_t>)> datagram_sender() override {
    return [](std::span<const uint8_t>) { return true; };
  }
  std::function<bool(std::span<const uint8_t>)> stream_sender() override {
    return [](std::span<const uint8_t>) { return true; };
  }
};

pn::Fingerprint fp(uint8_t b) {
  pn::Fingerprint f{};
  f.fill(b);
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {  // the session logs pairings and failures: not wanted here
    set_log_level(LogLevel::kOff);
    return true;
  }();
  (void)quiet;
  Input in{data, size};
  Io io;
  bool paired = in.u8() & 1, store_ok = true, busy = false;
  int starts = 0, ends = 0;
  std::optional<uint32_t> active;
  SessionHooks hooks;
  hooks.is_paired = [&](const pn::Fingerprint&) { return paired; };
  hooks.client_name = [](const pn::Fingerprint&) { return std::string("fuzz"); };
  hooks.add_paired = [&](const pn::PinnedPeer&) {
    if (!store_ok)
      return Status(StatusCode::kUnavailable, "full");
    paired = true;
    return Status::ok();
  };
  hooks.on_session_start = [&](const SessionStart& s) -> Result<uint16_t> {
    PF_CHECK(paired && s.session_id != 0 && !active);
    if (busy)
      return make_error(StatusCode::kResourceExhausted, "busy");
    ++starts;
    active = s.session_id;
    return uint16_t{50000};
  };
  hooks.on_session_end = [&](uint32_t id, uint32_t) {
    PF_CHECK(active && *active == id);
    active.reset();
    ++ends;
  };
  hooks.on_input = [&](uint32_t id, const pn::InputDatagram&) {
    PF_CHECK(active && *active == id);
  };
  hooks.on_mic = [&](uint32_t id, const pn::MicDatagram&, int64_t) {
    PF_CHECK(active && *active == id);
  };
  hooks.on_control = [&](uint32_t id, const pn::ControlMessage&) {
    PF_CHECK(active && *active == id);
  };
  uint32_t next_id = in.u8() % 3;  // 0 first: must be skipped
  HostSessionOptions opts;
  opts.random_u32 = [&] { return next_id++; };
  opts.host_fingerprint = fp(2);
  PinGate pins([&] { return next_id * 2654435761u; });
  int64_t now = 0;
  HostSession s(io, hooks, pins, opts, fp(1), "10.0.0.9:5000", now);
  std::optional<pn::PairingClient> client;

  for (int ops = 0; !in.empty() && ops < 200; ++ops) {
    switch (in.u8() % 13) {
      case 0:  // raw stream bytes (a message split anywhere)
        s.on_stream_data(in.bytes(64), now);
        break;
      case 1: {  // a Hello with fuzzed fields
        pn::Hello h;
        h.version = static_cast<uint16_t>(in.u8() % 3);
        h.width = in.u16(), h.height = in.u16(), h.fps_x100 = in.u16();
        h.codecs = in.u8(), h.audio_channels = in.u8(), h.fec_fields = in.u8(), h.ciphers = in.u8();
        h.max_bitrate_kbps = in.u32();
        h.client_video_port = in.u16();
        s.on_stream_data(pn::encode_control(h), now);
        break;
      }
      case 2: {  // a real client's PairStart (the PIN right or not); one per input: each is
                 // a real SPAKE2 exchange, a few P-256 multiplications
        if (client)
          break;
        std::string pin = in.u8() & 1 ? pins.open(now) : std::string("000000");
        if (auto c = pn::PairingClient::start(pin, fp(1), fp(2), "fuzz")) {
          s.on_stream_data(pn::encode_control(c->first_message()), now);
          client = std::move(*c);
        }
        break;
      }
      case 3:  // the host stores the pairing, or cannot
        store_ok = in.u8() & 1;
        break;
      case 4: {  // other messages
        pn::ControlMessage m;
        switch (in.u8() % 7) {
          case 0:
            m = pn::Bye{in.u32(), "bye"};
            break;
          case 1:
            m = pn::RequestIdr{in.u32()};
            break;
          case 2:
            m = pn::InvalidateRefs{in.u32(), in.u32()};
            break;
          case 3:
            m = pn::ReceiverReport{in.u32(), in.u32(), in.u32(), in.u32(), in.u32(), in.u32()};
            break;
          case 4:
            m = pn::SetBitrate{in.u32()};
            break;
          case 5:
            m = pn::Keepalive{};
            break;
          default:
            m = pn::PairMessage{static_cast<uint8_t>(0x10 + in.u8() % 3), in.bytes(96)};
            break;
        }
        s.on_stream_data(pn::encode_control(m), now);
        break;
      }
      case 5:  // a datagram of raw bytes
        s.on_datagram(in.bytes(80), now);
        break;
      case 6: {  // an input datagram with fuzzed fields, sealed the way the protocol frames it
        std::vector<uint8_t> d = in.bytes(40);
        if (!d.empty())
          d[0] = 0xC8;
        s.on_datagram(d, now);
        break;
      }
      case 7:
        now += int64_t{in.u16()} * 1'000'000;  // up to 65 s
        s.on_tick(now);
        break;
      case 8:
        s.on_closed(in.u8());
        io.closed = true;
        break;
      case 9:
        s.end(in.u8(), "host");
        break;
      case 10:
        busy = in.u8() & 1;
        break;
      case 11:
        s.send(pn::SetBitrate{in.u32()}, now);
        break;
      case 12:  // the real client answers the host's reply (confirms, if the PIN was right)
        if (client && io.last_pair)
          if (auto confirm = client->on_reply(*io.last_pair))
            s.on_stream_data(pn::encode_control(*confirm), now);
        break;
    }
    PF_CHECK(ends <= starts && starts - ends <= 1);
  }
  s.on_closed(0);
  PF_CHECK(!active);  // a session that started has ended once the connection is gone
  return 0;
}
