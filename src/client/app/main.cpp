// SPDX-License-Identifier: MIT OR Apache-2.0
// punktfunk-client: the reference client for punktfunk/1. Today: pair with a
// host, list and forget paired hosts, and hold a session (control plane,
// clock sync, input); decode and present arrive with the client issue.
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "base/file_io.h"
#include "base/log.h"
#include "client/app/cursor_state.h"
#include "client/app/discover.h"
#include "client/app/frame_hash.h"
#include "client/app/headless_audio.h"
#include "client/app/headless_video.h"
#include "client/app/mic_tone.h"
#include "client/app/stream_options.h"
#include "client/audio/sdl_audio_out.h"
#include "client/audio/sdl_mic.h"
#include "client/core/native_client.h"
#include "client/core/video_receiver.h"
#include "client/decode/decoder.h"
#include "client/present/sdl_window.h"
#include "net/quic/quic_identity.h"
#include "proto/native/negotiation.h"
#include "proto/native/peer_list.h"
#include "punktfunk_core.h"

namespace {

namespace fs = std::filesystem;
namespace pn = pf::proto::native;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}
volatile std::sig_atomic_t g_type_now = 0;  // --type-on-signal: SIGUSR1 came
void on_usr1(int) {
  g_type_now = 1;
}

fs::path default_state_dir() {
  if (const char* v = std::getenv("XDG_STATE_HOME"); v && *v == '/')
    return fs::path(v) / "punktfunk-client";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/tmp") / ".local/state/punktfunk-client";
}

std::string device_name() {
  char buf[64] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || !buf[0])
    return "punktfunk client";
  return buf;
}

struct State {
  fs::path dir;
  pf::net::Address source;  // --source: the local address to send from (unset: any)
  fs::path hosts_file() const { return dir / "hosts.json"; }

  pf::Result<pn::PeerList> hosts() const {
    auto text = pf::read_file(hosts_file());
    if (!text)
      return text.error().code() == pf::StatusCode::kNotFound
                 ? pf::Result<pn::PeerList>(pn::PeerList())
                 : pf::Result<pn::PeerList>(tl::unexpected(text.error()));
    return pn::PeerList::parse(*text);
  }
  pf::Status save(const pn::PeerList& l) const {
    return pf::write_file_atomic(hosts_file(), l.serialize(), 0600);
  }
};

// The Unicode scalars of UTF-8 text; malformed bytes become U+FFFD.
std::vector<char32_t> utf8_scalars(const std::string& s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80           ? 1
                  : (b >> 5) == 0x6  ? 2
                  : (b >> 4) == 0xE  ? 3
                  : (b >> 3) == 0x1E ? 4
                                     : 0;
    char32_t cp = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
    bool ok = n > 0 && i + static_cast<size_t>(n) <= s.size();
    for (int k = 1; ok && k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      ok = (c >> 6) == 0x2;
      cp = (cp << 6) | (c & 0x3F);
    }
    out.push_back(ok && cp <= 0x10FFFF ? cp : U'\uFFFD');
    i += ok ? static_cast<size_t>(n) : 1;
  }
  return out;
}

int fail(const pf::Status& st) {
  std::fprintf(stderr, "punktfunk-client: %s\n", st.message().c_str());
  return 1;
}

pf::Result<pf::net::Address> resolve(const std::string& host) {
  return pf::net::Address::parse(host, 9777);
}

int cmd_pair(const State& state, const std::string& host, std::string pin, std::string name) {
  auto addr = resolve(host);
  if (!addr)
    return fail(addr.error());
  auto id = pf::net::load_or_create_identity(state.dir, device_name());
  if (!id)
    return fail(id.error());
  if (pin.empty()) {
    std::printf("PIN shown by `punktfunk-host pair` on the host: ");
    std::fflush(stdout);
    char buf[32] = {};
    if (!std::fgets(buf, sizeof buf, stdin))
      return fail(pf::Status(pf::StatusCode::kInvalidArgument, "no PIN given"));
    pin = buf;
    while (!pin.empty() && (pin.back() == '\n' || pin.back() == '\r'))
      pin.pop_back();
  }
  if (pin.size() != 6 || pin.find_first_not_of("0123456789") != std::string::npos)
    return fail(pf::Status(pf::StatusCode::kInvalidArgument, "a PIN is 6 digits"));
  pf::client::NativeClientOptions o;
  o.host = *addr;
  o.identity = *id;
  o.quic.client_source = state.source;
  auto c = pf::client::NativeClient::connect(o);
  if (!c)
    return fail(c.error());
  auto r = (*c)->pair(pin, name.empty() ? device_name() : name);
  if (!r)
    return fail(r.error());
  auto hosts = state.hosts();
  if (!hosts)
    return fail(hosts.error());
  pn::PinnedPeer p;
  p.fingerprint = r->host;
  p.name = r->host_name;
  p.address = addr->to_string();
  p.paired_at = pn::utc_now_iso8601();
  hosts->upsert(p);
  if (auto st = state.save(*hosts); !st.is_ok())
    return fail(st);
  std::printf("paired with '%s' at %s (fingerprint %s)\n", p.name.c_str(), p.address.c_str(),
              p.id().c_str());
  return 0;
}

int cmd_discover(const State& state, double seconds) {
  auto found = pf::client::discover_hosts(seconds);
  if (!found)
    return fail(found.error());
  if (found->empty()) {
    std::printf("no punktfunk hosts answered within %.1f s (mDNS _punktfunk._udp)\n", seconds);
    return 0;
  }
  auto hosts = state.hosts();
  std::printf("%-24s  %-22s  %-16s  %s\n", "NAME", "ADDRESS", "ID", "STATE");
  for (const auto& h : *found) {
    bool paired = false;
    if (hosts)
      for (const auto& p : hosts->peers())
        paired = paired || (!h.id.empty() && p.id() == h.id);
    std::printf("%-24s  %-22s  %-16s  %s\n", h.name.c_str(), h.address.c_str(), h.id.c_str(),
                paired           ? "paired"
                : h.pairing_open ? "PIN open"
                                 : "not paired");
  }
  return 0;
}

int cmd_list(const State& state) {
  auto hosts = state.hosts();
  if (!hosts)
    return fail(hosts.error());
  if (hosts->peers().empty()) {
    std::printf("no paired hosts; pair with `punktfunk-client pair HOST`\n");
    return 0;
  }
  std::printf("%-16s  %-21s  %-20s  %s\n", "ID", "ADDRESS", "PAIRED (UTC)", "NAME");
  for (const auto& p : hosts->peers())
    std::printf("%-16s  %-21s  %-20s  %s\n", p.id().c_str(), p.address.c_str(), p.paired_at.c_str(),
                p.name.c_str());
  return 0;
}

int cmd_forget(const State& state, const std::string& who) {
  auto hosts = state.hosts();
  if (!hosts)
    return fail(hosts.error());
  const size_t n = hosts->remove(who);
  if (n == 0)
    return fail(pf::Status(pf::StatusCode::kNotFound, "no paired host matches '" + who + "'"));
  if (auto st = state.save(*hosts); !st.is_ok())
    return fail(st);
  std::printf("forgot %zu host(s)\n", n);
  return 0;
}

struct StreamOptions {
  std::string host;
  std::string mode = "1280x720@60";
  uint32_t bitrate_kbps = 20'000;
  uint8_t codecs =
      pf::proto::native::kCodecH264 | pf::proto::native::kCodecHevc | pf::proto::native::kCodecAv1;
  double seconds = 0;  // 0 = until Ctrl+C or the host ends it
  std::string type_text;
  std::string dump_hashes;      // --headless: one line per decoded picture into this file
  double type_after = 0;        // seconds into the session
  bool type_on_signal = false;  // type when SIGUSR1 comes (not after type_after)
  bool headless = false;        // no window (decode only)
  bool no_video = false;        // control plane only
  bool fullscreen = false;
  bool capture_pointer = false;  // a click captures the pointer (relative motion)
  bool gamepads = false;         // --headless: send game controllers anyway
  bool vsync = false;   // pace presentation to the display (no tearing, up to a frame later)
  bool stats = false;   // a stats line every 2 s
  bool cursor = false;  // the cursor channel: draw the host's pointer here
  int bit_depth = 8;    // 10: ask for 10-bit HEVC/AV1
  int chroma = 420;     // 444: ask for full-resolution chroma
  bool hdr = false;     // ask for HDR (10-bit BT.2020 PQ)
  int audio_channels = 2;
  uint64_t frames = 0;  // stop after this many decoded frames (0 = no limit)
  bool check_barcode = false;
  std::string video_via;    // send probes here instead of the host (a relay)
  std::string csv;          // per-frame stage latencies (tools/latency-probe)
  bool check_tone = false;  // --headless: the host's audio must carry a 440 Hz tone
  int expect_tone_hz = 0;   // --headless: the host's audio must be this tone and only it
  bool mic_test = false;    // send a 440 Hz sine as the microphone
  bool mic = false;         // send the real microphone (SDL capture)
  pf::client::DecoderBackend decoder = pf::client::DecoderBackend::kAuto;
  std::string mic_device;  // its SDL name; "" = the default capture device
};

int cmd_stream(const State& state, const StreamOptions& so) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  if (so.type_on_signal)
    std::signal(SIGUSR1, on_usr1);
  auto hosts = state.hosts();
  if (!hosts)
    return fail(hosts.error());
  const pn::PinnedPeer* known = hosts->find(so.host);
  if (!known) {
    if (auto a = resolve(so.host))
      known = hosts->find(a->to_string());
  }
  if (!known)
    return fail(pf::Status(pf::StatusCode::kNotFound,
                           "'" + so.host + "' is not a paired host: run `punktfunk-client pair " +
                               so.host + "` first"));
  auto addr = resolve(known->address);
  if (!addr)
    return fail(addr.error());
  unsigned w = 0, h = 0;
  double fps = 0;
  if (std::sscanf(so.mode.c_str(), "%ux%u@%lf", &w, &h, &fps) != 3 || !w || !h || fps <= 0 ||
      w > 16384 || h > 16384 || fps > 1000)
    return fail(pf::Status(pf::StatusCode::kInvalidArgument,
                           "--mode '" + so.mode + "' is not WxH@fps (e.g. 1920x1080@60)"));
  auto id = pf::net::load_or_create_identity(state.dir, device_name());
  if (!id)
    return fail(id.error());
  std::atomic<bool> ended{false}, quitting{false};
  pf::client::NativeClientEvents ev;
  ev.on_closed = [&](uint32_t reason, const std::string& text) {
    if (quitting)
      return;
    std::printf("session ended by the host or network: %s (reason %u)\n", text.c_str(), reason);
    ended = true;
  };
  // The sinks outlive the connection and the receiver, whose threads call them.
  std::unique_ptr<pf::client::SdlWindow> window;  // outlives the decoder that feeds it
  struct CloseFile {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, CloseFile> hashes;  // --dump-hashes; outlives the decoder too
  std::unique_ptr<pf::client::HeadlessVideo> sink;
  std::atomic<pf::client::HeadlessVideo*> video_sink{nullptr};
  ev.on_host_timing = [&video_sink](const pn::HostTimingDatagram& t) {
    if (auto* v = video_sink.load())
      v->on_host_timing(t.frame_index, t.capture_to_encoded_us, t.encoded_to_sent_us);
  };
  std::unique_ptr<pf::client::SdlGamepads> headless_pads;    // --headless --gamepads
  std::atomic<pf::client::SdlGamepads*> rumble_to{nullptr};  // the pads the host rumbles
  std::atomic<uint64_t> rumbles{0};
  ev.on_rumble = [&rumble_to, &rumbles](const pn::RumbleDatagram& r) {
    ++rumbles;
    if (auto* target = rumble_to.load())
      target->queue_rumble(r);
  };
  if (so.headless && so.gamepads) {
    auto pads = pf::client::SdlGamepads::open();
    if (!pads)
      return fail(pads.error());
    headless_pads = std::move(*pads);
    rumble_to = headless_pads.get();
  }
  std::atomic<int> fec_percent{-1};  // the host's latest SetFec notice
  pf::client::CursorState cursor;    // the host's pointer, with --cursor
  struct {
    std::mutex mu;
    uint64_t count = 0;
    pn::HdrMetadata last;
  } hdr_messages;  // HdrMetadata from the host (HDR streams)
  ev.on_control = [&fec_percent, &cursor, &hdr_messages](const pn::ControlMessage& m) {
    if (const auto* f = std::get_if<pn::SetFec>(&m)) {
      fec_percent = f->percent;
    } else if (const auto* c = std::get_if<pn::CursorShape>(&m)) {
      cursor.on_shape(*c);
    } else if (const auto* h = std::get_if<pn::HdrMetadata>(&m)) {
      std::lock_guard lock(hdr_messages.mu);
      ++hdr_messages.count;
      hdr_messages.last = *h;
    }
  };
  ev.on_cursor = [&cursor](const pn::CursorDatagram& d) { cursor.on_position(d); };
  const bool media = !so.no_video;
  std::unique_ptr<pf::client::SdlAudioOut> speaker;  // outlives the decoder feeding it
  std::unique_ptr<pf::client::HeadlessAudio> audio;
  if (media) {
    auto a = pf::client::HeadlessAudio::create(so.audio_channels);
    if (!a)
      return fail(a.error());
    audio = std::move(*a);
    if (!so.headless) {
      if (auto sp = pf::client::SdlAudioOut::open(so.audio_channels)) {
        speaker = std::move(*sp);
        audio->set_pcm_sink(
            [spk = speaker.get()](const float* pcm, size_t frames) { spk->play(pcm, frames); });
      } else {
        std::printf("%s (video only)\n", sp.error().message().c_str());
      }
    }
    ev.on_audio = [ha = audio.get()](const pn::AudioDatagram& d) { ha->on_audio(d); };
  }
  pf::client::NativeClientOptions o;
  o.host = *addr;
  o.identity = *id;
  o.expected_host = known->fingerprint;
  o.quic.client_source = state.source;
  auto c = pf::client::NativeClient::connect(o, ev);
  if (!c)
    return fail(c.error());
  // The video socket first: its port goes into the Hello.
  std::unique_ptr<pf::client::VideoReceiver> video;
  if (media) {
    auto v = pf::client::VideoReceiver::open(state.source.valid() ? state.source
                                                                  : pf::net::Address::any_v4(0));
    if (!v)
      return fail(v.error());
    video = std::move(*v);
  }
  pn::Hello hello;
  hello.client_video_port = video ? video->local_port() : 0;
  hello.width = static_cast<uint16_t>(w);
  hello.height = static_cast<uint16_t>(h);
  hello.fps_x100 = static_cast<uint16_t>(fps * 100 + 0.5);
  hello.codecs = so.codecs;  // libavcodec decodes both; the host picks
  hello.max_bitrate_kbps = so.bitrate_kbps;
  hello.audio_channels = static_cast<uint8_t>(so.audio_channels);
  hello.fec_fields = pn::kFecGf8 | pn::kFecGf16;
  hello.ciphers = pn::kCipherAes128Gcm | pn::kCipherChaCha20;
  hello.capabilities =
      (so.cursor ? pn::kCapCursorChannel : 0) | (so.bit_depth == 10 ? pn::kCap10Bit : 0) |
      (so.chroma == 444 ? pn::kCap444 : 0) | (so.hdr ? pn::kCapHdr | pn::kCap10Bit : 0);
  auto s = (*c)->start_session(hello);
  if (!s)
    return fail(s.error());
  const auto& wl = s->welcome;
  std::printf(
      "session %08x with '%s': %ux%u@%.2f, codec %u, FEC %u%% (fields up to GF(2^%d)), cipher "
      "%u, %u kbit/s%s\n",
      wl.session_id, known->name.c_str(), wl.width, wl.height, wl.fps_x100 / 100.0, wl.codec,
      wl.fec_percent, wl.fec_field == pn::kFecGf16 ? 16 : 8, wl.cipher, wl.initial_bitrate_kbps,
      wl.host_video_port ? "" : " (this host sends no video over punktfunk/1 yet)");
  if (so.bit_depth == 10)
    std::printf("video: %s\n",
                (wl.capabilities & pn::kCap10Bit)
                    ? "10 bits per sample"
                    : "8 bits per sample (the host makes no 10-bit stream of this codec)");
  if (so.hdr)
    std::printf("video: %s\n", (wl.capabilities & pn::kCapHdr)
                                   ? "HDR (10-bit BT.2020 PQ)"
                                   : "SDR (the host makes no HDR stream of this codec here)");
  if (so.chroma == 444)
    std::printf("video: %s\n", (wl.capabilities & pn::kCap444)
                                   ? "4:4:4 chroma"
                                   : "4:2:0 chroma (the host makes no 4:4:4 stream of this codec)");
  if (so.cursor)
    std::printf("cursor channel %s\n", (wl.capabilities & pn::kCapCursorChannel)
                                           ? "granted: the host's pointer is drawn here"
                                           : "not granted: the pointer stays in the picture");
  std::fflush(stdout);
  if (video && wl.host_video_port != 0) {
    auto dec = pf::client::VideoDecoder::create(wl.codec, so.decoder);
    if (!dec)
      return fail(dec.error());
    const std::string& why = (*dec)->fallback_reason();
    std::printf("video: decoding with %s%s\n", (*dec)->backend_name(),
                why.empty() ? "" : (" (VA-API: " + why + ")").c_str());
    pf::client::NativeClient* cl = c->get();
    sink = std::make_unique<pf::client::HeadlessVideo>(
        std::move(*dec), so.check_barcode,
        [cl] {
          const auto k = cl->clock();
          return k.valid ? k.offset_ns : int64_t{0};
        },
        [cl](uint32_t first, uint32_t last) {
          cl->send_control(pn::InvalidateRefs{first, last});
        });
    pf::net::Address to = *addr;
    if (!so.video_via.empty()) {
      auto via = pf::net::Address::parse(so.video_via);
      if (!via)
        return fail(via.error());
      to = *via;
    } else {
      auto a = pf::net::Address::parse(addr->to_string().substr(0, addr->to_string().rfind(':')),
                                       wl.host_video_port);
      if (!a)
        return fail(a.error());
      to = *a;
    }
    if (!so.headless) {
      // The window shows the mode the host sends; SDL lives on this (main) thread.
      auto win = pf::client::SdlWindow::open("punktfunk — " + known->name, wl.width, wl.height,
                                             so.fullscreen, so.capture_pointer, so.stats, so.vsync);
      if (!win)
        return fail(win.error());
      window = std::move(*win);
      rumble_to = window->gamepads();
      if (wl.capabilities & pn::kCapCursorChannel)
        window->draw_cursor(&cursor);
      sink->set_picture_sink(
          [wp = window.get()](const pf::client::DecodedPicture& p) { wp->submit(p); });
    } else if (!so.dump_hashes.empty()) {
      // One line per decoded picture: its number, size, hash and a colour
      // sample as Y,U,V (for tests).
      hashes.reset(std::fopen(so.dump_hashes.c_str(), "w"));
      if (!hashes)
        return fail(pf::Status(pf::StatusCode::kUnavailable,
                               "--dump-hashes " + so.dump_hashes + ": " + std::strerror(errno)));
      sink->set_picture_sink(
          [f = hashes.get(), n = uint64_t{0}](const pf::client::DecodedPicture& p) mutable {
            const auto colour = pf::client::colour_sample(p);
            std::fprintf(f, "%llu %dx%d %016llx %d,%d,%d\n", static_cast<unsigned long long>(n++),
                         p.width, p.height,
                         static_cast<unsigned long long>(pf::client::picture_hash(p)), colour.y,
                         colour.u, colour.v);
          });
    }
    pf::client::HeadlessVideo* hv = sink.get();
    video_sink = hv;
    if (auto st = video->start(wl, s->host_to_client, s->client_to_host, to,
                               [hv](const pf::session::ReassemblyEvent& e) { hv->on_event(e); });
        !st.is_ok())
      return fail(st);
  } else if (video) {
    std::printf("no video: the host announced no video port\n");
  }
  bool typed = so.type_text.empty();
  auto type_text = [&] {
    // Text as Unicode scalars (input kind 11): the host types each character.
    for (char32_t ch : utf8_scalars(so.type_text))
      (*c)->send_input(pn::InputDatagram{11, static_cast<uint32_t>(ch), 0, 0, 0});
    typed = true;
  };
  if (!typed && !so.type_on_signal && so.type_after <= 0)
    type_text();
  std::unique_ptr<pf::client::SdlMic> real_mic;
  if (so.mic) {
    pf::client::NativeClient* cl = c->get();
    auto m = pf::client::SdlMic::open(
        so.mic_device, [cl](uint32_t seq, uint64_t pts, std::span<const uint8_t> opus) {
          return cl->send_mic(seq, pts, opus);
        });
    if (!m)
      return fail(m.error());
    real_mic = std::move(*m);
    std::printf("mic: sending %s (the host's PipeWire source punktfunk-mic)\n",
                real_mic->device_name().c_str());
    std::fflush(stdout);
  }
  std::unique_ptr<pf::client::MicTone> mic;
  if (so.mic_test) {
    pf::client::NativeClient* cl = c->get();
    auto m =
        pf::client::MicTone::start([cl](uint32_t seq, uint64_t pts, std::span<const uint8_t> opus) {
          return cl->send_mic(seq, pts, opus);
        });
    if (!m)
      return fail(m.error());
    mic = std::move(*m);
    std::printf("mic: sending a 440 Hz test tone (the host's PipeWire source punktfunk-mic)\n");
    std::fflush(stdout);
  }
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start;
  // ReceiverReports once a second (the host adapts its FEC to them).
  pf::client::VideoReceiverStats last_rx;
  auto last_rr = start;
  auto send_receiver_report = [&] {
    const auto now_rx = video->stats();
    pn::ReceiverReport rr;
    rr.frames_received = static_cast<uint32_t>(now_rx.frames - last_rx.frames);
    rr.frames_lost = static_cast<uint32_t>(now_rx.frames_lost - last_rx.frames_lost);
    const uint64_t expected = now_rx.highest_packet_number - last_rx.highest_packet_number;
    const uint64_t seen = now_rx.packets_seen - last_rx.packets_seen;
    rr.shards_lost = static_cast<uint32_t>(expected > seen ? expected - seen : 0);
    rr.shards_recovered = static_cast<uint32_t>(now_rx.reassembly.shards_recovered -
                                                last_rx.reassembly.shards_recovered);
    if (sink)
      rr.decode_us_p50 = static_cast<uint32_t>(sink->report().decode_ms_p50 * 1000);
    (*c)->send_control(rr);
    last_rx = now_rx;
  };
  pf::client::HeadlessReport stats_prev;
  pf::client::VideoReceiverStats stats_prev_rx;
  pf::client::NativeClient* input_to = c->get();
  const auto send_input = [input_to](const pn::InputDatagram& e) { input_to->send_input(e); };
  while (!g_stop && !ended) {
    if (window) {
      if (!window->pump(5, send_input))
        break;  // the user closed the window or pressed Ctrl+Alt+Shift+Q
    } else if (headless_pads) {
      headless_pads->pump(20, send_input);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    if (!typed && (so.type_on_signal ? g_type_now != 0 : elapsed >= so.type_after))
      type_text();
    if (sink && now - last_rr >= std::chrono::seconds(1)) {
      last_rr = now;
      send_receiver_report();
    }
    if (so.seconds > 0 && elapsed >= so.seconds)
      break;
    if (sink && so.frames > 0 && sink->report().decoded >= so.frames)
      break;
    if (now - last_report >= std::chrono::seconds(2)) {
      const double span_s = std::chrono::duration<double>(now - last_report).count();
      last_report = now;
      const auto clk = (*c)->clock();
      std::printf("clock offset %+.3f ms, rtt %.3f ms (%u probes)\n", clk.offset_ns / 1e6,
                  clk.rtt_ns / 1e6, clk.samples);
      if ((so.stats || window) && sink && video) {
        // One line per interval: printed with --stats, and the window's overlay.
        const auto r = sink->report();
        const auto vs = video->stats();
        const double fps_now = static_cast<double>(r.decoded - stats_prev.decoded) / span_s;
        const double mbps = static_cast<double>(vs.reassembly.packets_accepted -
                                                stats_prev_rx.reassembly.packets_accepted) *
                            wl.shard_bytes * 8 / span_s / 1e6;
        const std::string line = fmt::format(
            "{}x{} {:.1f} fps, {:.1f} Mbit/s video, frames lost {}, FEC {} %, shards rebuilt {}; "
            "capture->decoded p50 {:.2f} ms p99 {:.2f} ms, decode p50 {:.2f} ms",
            wl.width, wl.height, fps_now, mbps, r.lost,
            fec_percent.load() >= 0 ? fec_percent.load() : wl.fec_percent,
            vs.reassembly.shards_recovered, r.decoded_ms_p50, r.decoded_ms_p99, r.decode_ms_p50);
        if (so.stats)
          std::printf("stats: %s\n", line.c_str());
        if (window)
          window->set_stats(line);
        stats_prev = r;
        stats_prev_rx = vs;
      }
      std::fflush(stdout);
    }
  }
  const auto clk = (*c)->clock();
  std::printf("clock offset %+.3f ms, rtt %.3f ms (%u probes); inputs sent %llu\n",
              clk.offset_ns / 1e6, clk.rtt_ns / 1e6, clk.samples,
              static_cast<unsigned long long>((*c)->stats().inputs_sent));
  if (mic) {
    std::printf("mic: %llu packets sent\n", static_cast<unsigned long long>(mic->packets()));
    mic.reset();
  }
  if (real_mic) {
    std::printf("mic: %llu packets sent\n", static_cast<unsigned long long>(real_mic->packets()));
    real_mic.reset();
  }
  int rc = ended ? 1 : 0;
  if (so.cursor)
    std::printf("%s\n", cursor.summary().c_str());
  if (window)
    std::printf("window: %llu frames presented, %llu rumbles played (%llu received)\n",
                static_cast<unsigned long long>(window->presented()),
                static_cast<unsigned long long>(window->rumbles_played()),
                static_cast<unsigned long long>(rumbles.load()));
  if (speaker)
    std::printf(
        "sound: %.2f s played, %.2f s dropped (latency past the jitter buffer's target), %llu "
        "underruns, target %.1f ms\n",
        static_cast<double>(speaker->frames_played()) / 48000.0,
        static_cast<double>(speaker->frames_dropped()) / 48000.0,
        static_cast<unsigned long long>(speaker->underruns()), speaker->target_ms());
  if (video)
    video->stop();
  if (sink) {
    const auto r = sink->report();
    const auto vs = video->stats();
    std::printf(
        "video: %llu frames decoded, %llu lost, %llu decode errors, %llu skipped until a "
        "keyframe or recovery frame (resumed %llu times at a recovery frame, %llu at a "
        "keyframe); FEC rebuilt %llu shards; capture->received p50 %.2f ms p99 %.2f ms, "
        "capture->decoded p50 %.2f ms p99 %.2f ms, decode p50 %.2f ms p99 %.2f ms; longest gap "
        "between pictures %.0f ms\n",
        static_cast<unsigned long long>(r.decoded), static_cast<unsigned long long>(r.lost),
        static_cast<unsigned long long>(r.decode_errors),
        static_cast<unsigned long long>(r.skipped_until_keyframe),
        static_cast<unsigned long long>(r.resumed_at_recovery),
        static_cast<unsigned long long>(r.resumed_at_keyframe),
        static_cast<unsigned long long>(vs.reassembly.shards_recovered), r.received_ms_p50,
        r.received_ms_p99, r.decoded_ms_p50, r.decoded_ms_p99, r.decode_ms_p50, r.decode_ms_p99,
        r.longest_gap_ms);
    if (r.decoded_10bit > 0)
      std::printf("video: %llu pictures of 10 bits per sample\n",
                  static_cast<unsigned long long>(r.decoded_10bit));
    if (r.decoded_444 > 0)
      std::printf("video: %llu pictures with 4:4:4 chroma\n",
                  static_cast<unsigned long long>(r.decoded_444));
    if (r.decoded_hdr > 0)
      std::printf("video: %llu HDR pictures (BT.2020, PQ); the stream's metadata: %s\n",
                  static_cast<unsigned long long>(r.decoded_hdr),
                  r.stream_hdr ? pn::to_string(*r.stream_hdr).c_str() : "none");
    {
      std::lock_guard lock(hdr_messages.mu);
      if (hdr_messages.count > 0)
        std::printf("hdr: %llu HdrMetadata messages, the last %s\n",
                    static_cast<unsigned long long>(hdr_messages.count),
                    pn::to_string(hdr_messages.last).c_str());
    }
    if (fec_percent >= 0)
      std::printf("fec: the host set %d %% parity after our receiver reports\n",
                  fec_percent.load());
    if (r.host_timings > 0)
      std::printf(
          "host: capture->encoded p50 %.2f ms p99 %.2f ms; capture->decoded p50 is encode p50 "
          "+ %.2f ms (goal <= 2 ms)\n",
          r.host_encode_ms_p50, r.host_encode_ms_p99, r.decoded_ms_p50 - r.host_encode_ms_p50);
    if (so.check_barcode) {
      std::printf(
          "barcode: %llu match, %llu wrong, %llu unreadable; %llu captures skipped by "
          "the host\n",
          static_cast<unsigned long long>(r.barcode_ok),
          static_cast<unsigned long long>(r.barcode_bad),
          static_cast<unsigned long long>(r.barcode_unreadable),
          static_cast<unsigned long long>(r.barcode_host_skipped));
      if (r.barcode_bad > 0 || r.barcode_unreadable > 0)
        rc = 1;
      if (r.checker_full + r.checker_lost > 0)
        std::printf(
            "chroma checker: %llu pictures kept every pixel's colour, %llu lost it "
            "(contrast %.0f..%.0f; 4:4:4 draws ~280, 4:2:0 erases it)\n",
            static_cast<unsigned long long>(r.checker_full),
            static_cast<unsigned long long>(r.checker_lost), r.checker_min_contrast,
            r.checker_max_contrast);
    }
    if (audio) {
      const auto ar = audio->report();
      std::printf(
          "audio: %llu packets, %llu concealed, %llu decode errors, RMS %.3f, 440 Hz "
          "%.0fx the strongest of 1/2/5 kHz; dominant tone %.0f Hz, %.1f dB above any other\n",
          static_cast<unsigned long long>(ar.packets),
          static_cast<unsigned long long>(ar.concealed),
          static_cast<unsigned long long>(ar.decode_errors), ar.rms, ar.tone_ratio, ar.dominant_hz,
          10 * std::log10(std::max(ar.dominant_purity, 1e-30)));
      if (so.check_tone && !(ar.tone_ratio >= 1000 && ar.packets > 0))
        rc = 1;
      // Its own tone only: within one 10-Hz step, 30 dB above anything else.
      if (so.expect_tone_hz > 0 && !(std::abs(ar.dominant_hz - so.expect_tone_hz) <= 10 &&
                                     ar.dominant_purity >= 1000 && ar.packets > 0))
        rc = 1;
    }
    if (!so.csv.empty()) {
      if (auto st = sink->write_csv(so.csv); !st.is_ok())
        return fail(st);
    }
    if (so.frames > 0 && r.decoded < so.frames) {
      std::printf("fewer frames decoded (%llu) than asked for (%llu)\n",
                  static_cast<unsigned long long>(r.decoded),
                  static_cast<unsigned long long>(so.frames));
      rc = 1;
    }
  }
  quitting = true;
  (*c)->close(0, "user quit");
  return rc;
}

}  // namespace

// An option whose text a parser turns into the value (its error message is
// what the user sees).
template <class T, class Parse>
CLI::Option* add_parsed(CLI::App* app,
                        const char* name,
                        T& target,
                        Parse parse,
                        const char* help,
                        const char* shown_default) {
  return app
      ->add_option_function<std::string>(
          name,
          [&target, parse, name](const std::string& v) {
            auto r = parse(v);
            if (!r)
              throw CLI::ValidationError(name, r.error().message());
            target = *r;
          },
          help)
      ->default_str(shown_default);
}

int main(int argc, char** argv) {
  CLI::App app{"punktfunk-client: reference client for punktfunk/1"};
  app.set_version_flag("--version", std::string("punktfunk-client ") + PUNKTFUNK_VERSION);
  State state;
  state.dir = default_state_dir();
  std::string state_dir, log_level = "warn";
  app.add_option("--state-dir", state_dir,
                 "identity and paired hosts (default $XDG_STATE_HOME/punktfunk-client)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();
  std::string source;
  app.add_option("--source", source,
                 "send from this local IP address (a machine with several; default: any)");

  auto* info = app.add_subcommand("info", "print the core library's ABI version");
  auto* pair =
      app.add_subcommand("pair", "pair with a host (it shows the PIN: punktfunk-host pair)");
  std::string host, pin, name;
  pair->add_option("HOST", host, "host address, e.g. 192.168.1.20 or 192.168.1.20:9777")
      ->required();
  pair->add_option("--pin", pin, "the 6-digit PIN (asked for when omitted)");
  pair->add_option("--name", name, "this device's name on the host (default: the host name)");
  app.add_subcommand("list", "list paired hosts");
  auto* discover =
      app.add_subcommand("discover", "find punktfunk hosts on the local network (mDNS)");
  double discover_seconds = 2;
  discover->add_option("--seconds", discover_seconds, "how long to listen")->capture_default_str();
  auto* forget = app.add_subcommand("forget", "forget a paired host (id, name or address)");
  std::string who;
  forget->add_option("HOST", who)->required();
  auto* stream = app.add_subcommand("stream", "start a session with a paired host");
  StreamOptions so;
  stream->add_option("HOST", so.host, "paired host (name, id or address)")->required();
  stream->add_option("--mode", so.mode, "WxH@fps")->capture_default_str();
  add_parsed(stream, "--bitrate", so.bitrate_kbps, pf::client::parse_bitrate_kbps,
             "maximum video bitrate: kbit/s, or bit/s with k/M/G (200M)", "20M");
  add_parsed(stream, "--codec", so.codecs, pf::client::parse_codecs,
             "video codec: auto (the host picks), h264, hevc or av1", "auto");
  stream->add_option("--seconds", so.seconds, "end after this long (0 = until Ctrl+C)");
  stream->add_option("--type", so.type_text, "type this text (UTF-8) on the host");
  stream->add_option("--type-after", so.type_after, "seconds into the session before --type");
  stream->add_flag("--type-on-signal", so.type_on_signal,
                   "type --type when the client gets SIGUSR1 (a script that must be ready "
                   "first), not after --type-after");
  stream->add_flag("--headless", so.headless, "decode video and audio without a window");
  stream->add_flag("--fullscreen", so.fullscreen, "open the window full screen");
  stream->add_flag("--vsync", so.vsync,
                   "present in step with the display's refresh (no tearing; up to one refresh "
                   "more latency). Default: show each frame as soon as it is decoded");
  stream->add_option("--dump-hashes", so.dump_hashes,
                     "--headless: write 'N WxH hash Y,U,V' (the colour a quarter in) for every "
                     "decoded picture into this file");
  stream->add_flag("--gamepads", so.gamepads,
                   "--headless: send this machine's game controllers too (a window always does)");
  stream->add_flag("--capture-pointer", so.capture_pointer,
                   "a click in the window captures the pointer (relative motion, for games); "
                   "Ctrl+Alt+Shift+Z toggles the capture");
  stream->add_option("--audio-channels", so.audio_channels, "2 (stereo), 6 (5.1) or 8 (7.1)")
      ->check(CLI::IsMember({2, 6, 8}))
      ->capture_default_str();
  stream
      ->add_option("--bit-depth", so.bit_depth, "8, or 10: 10-bit HEVC/AV1 where the host makes it")
      ->check(CLI::IsMember({8, 10}))
      ->capture_default_str();
  stream
      ->add_option("--chroma", so.chroma,
                   "420, or 444: every pixel's own colour (sharp coloured text) where the host "
                   "makes it")
      ->check(CLI::IsMember({420, 444}))
      ->capture_default_str();
  stream->add_flag("--hdr", so.hdr,
                   "ask for HDR (10-bit BT.2020 PQ with its metadata) where the host's picture "
                   "is HDR; the window shows it without tone mapping (see README)");
  stream->add_flag("--cursor", so.cursor,
                   "draw the host's pointer here (cursor channel; the host leaves it out of the "
                   "picture where it can)");
  stream->add_flag("--stats", so.stats,
                   "print resolution, fps, bitrate, loss, FEC and latency every 2 s");
  stream->add_flag("--no-video", so.no_video, "control plane only: no video or audio");
  stream->add_option("--frames", so.frames, "--headless: stop after this many decoded frames");
  stream->add_flag("--check-barcode", so.check_barcode,
                   "--headless: check each frame's index barcode (host --native-source synthetic)");
  auto* mic_test_opt =
      stream->add_flag("--mic-test", so.mic_test,
                       "send a 440 Hz sine as the microphone (Opus, 10 ms) instead of a real one");
  stream
      ->add_flag("--mic", so.mic,
                 "send this machine's microphone (the default capture device, or --mic-device); "
                 "it becomes the host's punktfunk-mic")
      ->excludes(mic_test_opt);
  stream->add_option("--mic-device", so.mic_device, "--mic: an SDL capture device by name");
  add_parsed(stream, "--decoder", so.decoder, pf::client::parse_decoder_backend,
             "video decoding: auto (VA-API when it works, else software), software or vaapi",
             "auto");
  stream->add_flag("--check-tone", so.check_tone,
                   "--headless: the host's audio must be a 440 Hz tone (host --native-source "
                   "synthetic)");
  stream->add_option("--expect-tone", so.expect_tone_hz,
                     "--headless: the host's audio must be a tone of this many Hz, 30 dB above "
                     "any other sound (a test playing a distinct tone into each session)");
  stream->add_option("--csv", so.csv,
                     "write each frame's stage latencies (host clock, microseconds) to this file");
  stream->add_option("--video-via", so.video_via,
                     "send video probes to this address (an impairment relay) instead of the host");
  app.require_subcommand(0, 1);
  CLI11_PARSE(app, argc, argv);
  if (!state_dir.empty())
    state.dir = state_dir;
  if (!source.empty()) {
    auto a = pf::net::Address::parse(source, 0);
    if (!a || a->port() != 0)
      return fail(pf::Status(pf::StatusCode::kInvalidArgument,
                             "--source " + source + ": not an IP address (without a port)"));
    state.source = *a;
  }
  auto level = pf::parse_log_level(log_level);
  if (!level)
    return fail(level.error());
  pf::set_log_level(*level);

  if (pair->parsed())
    return cmd_pair(state, host, pin, name);
  if (app.got_subcommand("list"))
    return cmd_list(state);
  if (discover->parsed())
    return cmd_discover(state, discover_seconds);
  if (forget->parsed())
    return cmd_forget(state, who);
  if (stream->parsed())
    return cmd_stream(state, so);
  if (info->parsed() || app.get_subcommands().empty()) {
    std::printf("punktfunk-client %s, core ABI %u.%u\n", PUNKTFUNK_VERSION,
                punktfunk_abi_version() >> 16, punktfunk_abi_version() & 0xffffu);
    std::printf("commands: discover, pair, list, forget, stream (see --help)\n");
  }
  return 0;
}
