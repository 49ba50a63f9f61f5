// SPDX-License-Identifier: MIT OR Apache-2.0
// gs-probe: checks a GameStream host the way Moonlight uses it. `pair` runs
// PIN pairing (the host user enters the PIN); `stream` launches the first
// app, does the encrypted RTSP handshake, connects the control stream,
// receives video and audio (optionally dropping datagrams to exercise FEC),
// presses a key, quits, and reports what arrived.
#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "host/config/paths.h"
#include "host/gamestream/moonlight_client.h"
#include "media_check.h"

namespace fs = std::filesystem;
using namespace pf::host;

static pf::Result<pf::crypto::PemIdentity> identity(const fs::path& dir) {
  const fs::path cert = dir / "client-cert.pem", key = dir / "client-key.pem";
  auto c = read_file(cert);
  auto k = read_file(key);
  if (c && k)
    return pf::crypto::PemIdentity{*c, *k};
  std::error_code ec;
  fs::create_directories(dir, ec);
  // What every Moonlight client has: RSA-2048, serial 0, this subject.
  auto id = pf::crypto::make_self_signed_rsa("NVIDIA GameStream Client", 20, 2048, true);
  if (!id)
    return id;
  if (auto st = write_file_atomic(key, id->key_pem, 0600); !st.is_ok())
    return tl::unexpected(st);
  if (auto st = write_file_atomic(cert, id->cert_pem, 0644); !st.is_ok())
    return tl::unexpected(st);
  return id;
}

namespace {
volatile std::sig_atomic_t g_type_now = 0;  // --type-on-signal: SIGUSR1 came
volatile std::sig_atomic_t g_stop = 0;      // SIGINT/SIGTERM: end the stream now
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gs-probe: a Moonlight-style GameStream client for checking a host"};
  std::string host = "127.0.0.1", dir;
  uint16_t port = 47989;
  app.add_option("--host", host, "host IPv4 address")->capture_default_str();
  app.add_option("--port", port, "host HTTP port")->capture_default_str();
  app.add_option("--identity", dir, "where the client certificate lives (default: XDG state dir)");
  auto* pair = app.add_subcommand("pair", "pair with the host (enter the PIN on the host)");
  std::string pin;
  pair->add_option("--pin", pin, "the 4-digit PIN to use")->required();
  auto* stream = app.add_subcommand("stream", "launch, stream, quit, report");
  gamestream::ClientStreamOptions so;
  std::string mode = "1280x720@60", out;
  stream->add_option("--mode", mode, "WxH@fps")->capture_default_str();
  stream->add_option("--bitrate", so.bitrate_kbps, "kbit/s")->capture_default_str();
  stream->add_flag("--hevc", so.hevc,
                   "decode HEVC: ask for it when the host offers it (else H.264, as Moonlight)");
  stream->add_flag("--av1", so.av1,
                   "decode AV1: ask for it when the host offers it (before HEVC, as Moonlight)");
  stream->add_flag("--hdr", so.hdr,
                   "show HDR: ask for it (with --hevc) when serverinfo has HEVC Main10 and the "
                   "app says IsHdrSupported (as Moonlight's HDR setting)");
  stream->add_flag("--yuv444", so.yuv444,
                   "decode 4:4:4: ask for it when serverinfo offers it for the codec (as "
                   "Moonlight's YUV 4:4:4 setting)");
  stream
      ->add_option("--seconds", so.seconds,
                   "how long to receive (Ctrl+C or SIGTERM ends it sooner)")
      ->capture_default_str();
  stream->add_option("--drop", so.drop_every, "drop every n-th video datagram (0 = none)")
      ->capture_default_str();
  stream
      ->add_option("--lose-frames", so.lose_frame_every,
                   "drop every datagram of every n-th frame, a loss FEC cannot heal (0 = none)")
      ->capture_default_str();
  stream->add_flag("--resume", so.resume, "/resume the running app instead of /launch");
  bool keep = false;
  stream->add_flag("--keep", keep,
                   "leave the app running at the end (disconnect like Moonlight's stop streaming, "
                   "no /cancel)");
  stream->add_option("--out", out, "write the received H.264 or HEVC (Annex-B) here");
  std::string dump_hashes;
  int expect_tone = 0;
  stream->add_option("--dump-hashes", dump_hashes,
                     "decode the video and write 'N WxH hash Y,U,V' (the colour a quarter in) "
                     "for every picture into this file");
  stream->add_option("--type", so.type_text,
                     "type this (letters, digits, spaces) instead of pressing A once streaming");
  stream->add_option("--frames", so.max_frames, "stop after this many frames (0 = no limit)");
  stream->add_option("--type-after", so.type_after, "seconds after the first frame before --type");
  bool type_on_signal = false;
  stream->add_flag("--type-on-signal", type_on_signal,
                   "type (or press A) when gs-probe gets SIGUSR1 (a script that must be ready "
                   "first), not after --type-after");
  stream->add_option("--expect-tone", expect_tone,
                     "decode the audio: it must be a tone of this many Hz, 30 dB above any other "
                     "sound (exit status 4 otherwise)");
  bool check_barcode = false;
  stream->add_flag("--check-barcode", check_barcode,
                   "decode the video and check every picture's frame-index barcode (a host "
                   "streaming its synthetic source); exit status 5 on a wrong or unreadable one");
  stream->add_option("--video-via", so.video_via,
                     "send video pings to this IP:PORT (an impairment relay) instead of the host");
  auto* cancel = app.add_subcommand("cancel", "quit the running app (/cancel)");
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  // Ctrl+C or SIGTERM ends a stream as --seconds does: reported, then /cancel
  // (or left running with --keep).
  if (stream->parsed()) {
    so.stop = &g_stop;
    std::signal(SIGINT, [](int) { g_stop = 1; });
    std::signal(SIGTERM, [](int) { g_stop = 1; });
  }
  if (type_on_signal) {
    so.type_now = &g_type_now;
    std::signal(SIGUSR1, [](int) { g_type_now = 1; });
  }

  if (dir.empty())
    dir = (Paths::from_environment().state.parent_path() / "punktfunk-gs-probe").string();
  auto id = identity(dir);
  if (!id) {
    fmt::print(stderr, "gs-probe: {}\n", id.error().to_string());
    return 1;
  }
  gamestream::MoonlightClient client(host, port, *id);
  if (pair->parsed()) {
    fmt::print("pairing with {}:{}; enter PIN {} on the host (punktfunk-host pin {})\n", host, port,
               pin, pin);
    std::fflush(stdout);
    auto st = client.pair(pin);
    if (!st.is_ok()) {
      fmt::print(stderr, "gs-probe: pairing failed: {}\n", st.to_string());
      return 1;
    }
    fmt::print("paired\n");
    return 0;
  }
  if (cancel->parsed()) {
    auto st = client.cancel();
    fmt::print("{}\n", st.is_ok() ? "cancelled" : st.to_string());
    return st.is_ok() ? 0 : 1;
  }
  so.quit = !keep;
  if (std::sscanf(mode.c_str(), "%dx%d@%d", &so.width, &so.height, &so.fps) != 3) {
    fmt::print(stderr, "gs-probe: --mode '{}' is not WxH@fps\n", mode);
    return 2;
  }
  std::ofstream file;
  if (!out.empty()) {
    file.open(out, std::ios::binary);
    so.on_access_unit = [&](const std::vector<uint8_t>& au, uint32_t) {
      file.write(reinterpret_cast<const char*>(au.data()), static_cast<std::streamsize>(au.size()));
    };
  }
  MediaCheck check;
  if (check_barcode)
    check.check_barcodes();
  if (!dump_hashes.empty() || expect_tone > 0 || check_barcode) {
    if (auto st = dump_hashes.empty() ? pf::Status::ok() : check.dump_hashes(dump_hashes);
        !st.is_ok()) {
      fmt::print(stderr, "gs-probe: --dump-hashes: {}\n", st.to_string());
      return 1;
    }
    if (auto st = check.decode_audio(); !st.is_ok()) {
      fmt::print(stderr, "gs-probe: audio decoder: {}\n", st.to_string());
      return 1;
    }
    auto write = std::move(so.on_access_unit);
    so.on_access_unit = [&check, write](const std::vector<uint8_t>& au, uint32_t index) {
      if (write)
        write(au, index);
      check.on_access_unit(au, index);
    };
    so.on_audio_packet = [&check](const std::vector<uint8_t>& opus) {
      check.on_audio_packet(opus);
    };
  }
  auto r = client.stream(so);
  if (!r) {
    fmt::print(stderr, "gs-probe: {}\n", r.error().to_string());
    return 1;
  }
  // The size: from an H.264 stream's SPS, else from the decoded pictures (when decoding).
  if (r->width == 0 && check.width() > 0) {
    r->width = check.width();
    r->height = check.height();
  }
  fmt::print(
      "video: {} frames ({} IDR) at {}x{}, {} datagrams, {} dropped on purpose, {} shards rebuilt "
      "by FEC\n"
      "loss: {} frames lost, RFI {}, {} RFI sent, {} IDR requests sent, {} frames after an RFI, "
      "{} skipped until a recovery frame\n"
      "audio: {} Opus packets\n"
      "gaps: the longest between two frames {:.0f} ms\n",
      r->frames, r->idr_frames, r->width, r->height, r->datagrams, r->dropped, r->recovered_shards,
      r->frames_lost, r->rfi_offered ? "offered" : "not offered", r->rfi_sent, r->idr_requests_sent,
      r->frames_after_rfi, r->skipped_until_recovery, r->audio_packets, r->longest_gap_ms);
  fmt::print("codec: {}\n", r->codec == pf::proto::gamestream::StreamCodec::kAv1    ? "AV1"
                            : r->codec == pf::proto::gamestream::StreamCodec::kHevc ? "HEVC"
                                                                                    : "H.264");
  fmt::print("chroma: {} asked for\n", r->yuv444 ? "4:4:4" : "4:2:0");
  fmt::print("dynamic range: {} asked for\n", r->hdr ? "HDR" : "SDR");
  if (r->hdr_messages > 0) {
    // In punktfunk/1's order, to print as the other client does.
    const auto& m = r->last_hdr_mode.metadata;
    pf::proto::native::HdrMetadata same;
    same.values = {m.primaries[0][0], m.primaries[0][1], m.primaries[1][0], m.primaries[1][1],
                   m.primaries[2][0], m.primaries[2][1], m.white_point[0],  m.white_point[1],
                   m.max_luminance,   m.min_luminance,   m.max_cll,         m.max_fall};
    fmt::print("hdr: {} HDR mode messages (0x010e), the last {}: {}\n", r->hdr_messages,
               r->last_hdr_mode.enabled ? "on" : "off", pf::proto::native::to_string(same));
  }
  if (check.pictures_hdr() > 0)
    fmt::print("video: {} HDR pictures (BT.2020, PQ); the stream's metadata: {}\n",
               check.pictures_hdr(),
               check.stream_hdr() ? pf::proto::native::to_string(*check.stream_hdr()) : "none");
  if (!dump_hashes.empty() || check_barcode)
    fmt::print("decoded: {} pictures ({}), {} decode errors\n", check.pictures(), check.codec(),
               check.decode_errors());
  const auto& bars = check.barcodes();
  if (check_barcode)
    fmt::print("barcode: {} match, {} wrong, {} unreadable; {} captures skipped by the host\n",
               bars.ok, bars.wrong, bars.unreadable, bars.host_skipped);
  if (check_barcode && check.checker().full + check.checker().lost > 0)
    fmt::print(
        "chroma checker: {} pictures kept every pixel's colour, {} lost it (contrast "
        "{:.0f}..{:.0f}; 4:4:4 draws ~280, 4:2:0 erases it); {} pictures 4:4:4\n",
        check.checker().full, check.checker().lost, std::max(0.0, check.checker().min_contrast),
        check.checker().max_contrast, check.pictures_444());
  if (r->first_frame_ms >= 0)
    fmt::print("first frame: {:.0f} ms after {}{}\n", r->first_frame_ms,
               so.resume ? "/resume" : "/launch", dump_hashes.empty() ? "" : " (decoded)");
  if (r->termination_reason)
    fmt::print("host ended the stream: {:#010x}{}\n", *r->termination_reason,
               r->early_termination ? " (early termination: before the first frame)" : "");
  if (so.quit)
    fmt::print("quit: {}\n",
               r->terminated ? "host sent the termination message" : "NO termination message");
  else
    fmt::print("left: disconnected, the app keeps running\n");
  // What was heard is told even when the stream did not end well (a test
  // that ends a stream on purpose still checks its sound).
  bool tone_ok = true;
  if (expect_tone > 0 && r->audio_packets > 0) {
    const auto t = check.tone();
    fmt::print("audio: dominant tone {:.0f} Hz, {:.1f} dB above any other\n", t.hz,
               10 * std::log10(std::max(t.purity, 1e-30)));
    tone_ok = std::abs(t.hz - expect_tone) <= 10 && t.purity >= 1000;
  }
  const bool ended_ok = so.quit ? r->terminated : !r->termination_reason;
  if (!(r->frames > 0 && ended_ok))
    return 3;
  if (check_barcode && (bars.wrong > 0 || bars.unreadable > 0 || bars.ok == 0))
    return 5;
  return tone_ok && (expect_tone <= 0 || r->audio_packets > 0) ? 0 : 4;
}
