// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/doctor.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace pf::host {
namespace {

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path)
    return false;
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':'))
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0)
      return true;
  return false;
}

ProbeResult probe_libav(const char* encoder,
                        const char* backend,
                        const char* device,
                        const char* device_hint) {
  ProbeResult r{"encode", backend, false, ""};
  if (avcodec_find_encoder_by_name(encoder) == nullptr) {
    r.reason = std::string("libavcodec was built without ") + encoder;
    return r;
  }
  if (device && !std::filesystem::exists(device)) {
    r.reason = std::string(encoder) + " is compiled in, but " + device + " is missing (" +
               device_hint + ")";
    return r;
  }
  r.available = true;
  r.reason = device ? std::string(encoder) + " compiled in and " + device +
                          " present (not opened by this probe)"
                    : std::string(encoder) + " compiled in";
  return r;
}

}  // namespace

std::vector<ProbeResult> run_probes() {
  std::vector<ProbeResult> out;
  out.push_back(probe_libav("h264_nvenc", "nvenc", "/dev/nvidia0", "no NVIDIA GPU/driver"));
  out.push_back(probe_libav("h264_vaapi", "vaapi", "/dev/dri/renderD128", "no VA-API render node"));
  out.push_back(probe_libav("libx264", "x264", nullptr, nullptr));
  bool xvfb = on_path("Xvfb");
  out.push_back({"vdisplay", "xvfb", xvfb,
                 xvfb ? "Xvfb found on PATH" : "Xvfb not found: apt-get install xvfb"});
  bool uinput = access("/dev/uinput", W_OK) == 0;
  out.push_back({"input", "uinput", uinput,
                 uinput ? "/dev/uinput is writable"
                        : "/dev/uinput missing or not writable (modprobe uinput; add the user to "
                          "the input group)"});
  return out;
}

}  // namespace pf::host
