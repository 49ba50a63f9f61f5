// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "host/vdisplay/display_factory.h"

namespace pf::host {

// Everything `punktfunk-host run` is told (docs/configuration.md): the CLI
// fills it from options, host.toml and --set.
struct HostOptions {
  std::string name;  // "" = the machine's host name
  std::string bind = "0.0.0.0";
  uint16_t port = 47989;
  uint16_t native_port = 9777;          // punktfunk/1 (QUIC); 0 = off
  bool gamestream_synthetic = false;    // GameStream video from the synthetic source (tests)
  bool native_synthetic = false;        // punktfunk/1 video from the synthetic source (tests)
  uint16_t native_video_port = 0;       // punktfunk/1 video port (0 = a free port per session)
  uint16_t mgmt_port = 47990;           // management API (HTTPS, loopback); 0 = off
  std::filesystem::path config_file;    // host.toml (the management API edits it)
  std::string mgmt_bind = "127.0.0.1";  // only this machine unless configured
  bool audio_default_monitor = false;   // capture the default sink's monitor
  bool audio_make_default = false;      // the session's sink is the default while streaming
  bool mdns = true;
  // Offer HEVC (x265) and AV1 (libaom) encoded in software (they hold 1080p60 only on a fast CPU).
  bool software_codecs = false;
  DisplayBackend display_backend = DisplayBackend::kXvfb;
  std::string input = "auto";      // auto (the display's own way in), uinput or libei
  size_t max_sessions = 4;         // clients streaming at once, both protocols together
  int64_t session_linger_s = 120;  // a session whose client left without quitting is kept this long
};

}  // namespace pf::host
