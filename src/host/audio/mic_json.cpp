// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/audio/mic_json.h"

#include <fmt/format.h>

namespace pf::host {

namespace {

nlohmann::json source_json(const MicStats& m) {
  return {{"quantum_frames", m.quantum_frames},
          {"target_ms", m.target_ms},
          {"latency_ms_p50", m.latency_ms_p50},
          {"latency_ms_p99", m.latency_ms_p99},
          {"latency_samples", m.latency_samples},
          {"depth_ms_p50", m.depth_ms_p50},
          {"underruns", m.underruns},
          {"concealed", m.concealed},
          {"recovered_fec", m.recovered_fec},
          {"trims", m.trims},
          {"trimmed_ms", static_cast<double>(m.trimmed_frames) / 48.0},
          {"stalls", m.stalls},
          {"longest_stall_ms", m.longest_stall_ms},
          {"realtime", m.realtime()},
          {"priority", m.sched_priority}};
}

}  // namespace

nlohmann::json mic_json(const MicServiceStats& s) {
  nlohmann::json j = {
      {"open", s.open},          {"speaker", s.speaker ? fmt::format("{:08x}", s.speaker) : ""},
      {"packets", s.packets},    {"dropped_no_source", s.dropped_no_source},
      {"late", s.late},          {"not_speaker", s.not_speaker},
      {"handovers", s.handovers}};
  j["source"] = s.open ? source_json(s.source) : nlohmann::json();
  return j;
}

}  // namespace pf::host
