// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/input_log.h"

#include "base/log.h"

namespace pf::host {

const char* InputLog::kind_name(uint8_t kind) {
  static constexpr const char* kNames[] = {
      "unknown",      "key down",  "key up", "mouse motion",      "pointer position",
      "button down",  "button up", "scroll", "horizontal scroll", "pad button",
      "pad axis",     "text",      "touch",  "pad arrival",       "pad motion",
      "pad touchpad", "pen"};
  return kind < std::size(kNames) ? kNames[kind] : "unknown";
}

void InputLog::note(const proto::native::InputDatagram& e, uint32_t session, int64_t now_ns) {
  if (!detail::log_enabled(LogLevel::kDebug))
    return;
  const size_t k = e.kind < kinds_.size() ? e.kind : 0;
  uint64_t count;
  {
    std::lock_guard lock(mu_);
    if (session != session_) {
      session_ = session;
      kinds_ = {};
    }
    Kind& kind = kinds_[k];
    ++kind.since;
    if (kind.last_ns != 0 && now_ns - kind.last_ns < 1'000'000'000)
      return;
    kind.last_ns = now_ns;
    count = kind.since;
    kind.since = 0;
  }
  log_debug(
      "input: {} (code {}, x {}, y {}) from session {:08x}; {} of this kind since the last "
      "line",
      kind_name(e.kind), e.code, e.x, e.y, session, count);
}

}  // namespace pf::host
