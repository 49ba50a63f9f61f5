// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/audio/pw_common.h"

#include <unistd.h>

#include <pipewire/pipewire.h>
#include <spa/param/audio/format-utils.h>

#include <mutex>

namespace pf::host {

Result<std::unique_ptr<PwConnection>> PwConnection::connect(const char* thread_name,
                                                            const std::string& what,
                                                            int remote_fd) {
  static std::once_flag once;
  std::call_once(once, [] { pw_init(nullptr, nullptr); });
  std::unique_ptr<PwConnection> c(new PwConnection());
  c->loop_ = pw_thread_loop_new(thread_name, nullptr);
  // client-rt.conf loads module-rt: the data thread that runs the streams'
  // real-time callbacks gets SCHED_FIFO where RTKit or RLIMIT_RTPRIO allow it
  // (PipeWire's own threads run so; a SCHED_OTHER callback misses cycles under
  // load). Elsewhere it stays as it was, and says so (rt_scheduling()).
  c->context_ =
      c->loop_ ? pw_context_new(pw_thread_loop_get_loop(c->loop_),
                                pw_properties_new(PW_KEY_CONFIG_NAME, "client-rt.conf", nullptr), 0)
               : nullptr;
  if (!c->context_) {
    if (remote_fd >= 0)
      ::close(remote_fd);
    return make_error(StatusCode::kInternal, "PipeWire: cannot create a loop");
  }
  c->core_ = remote_fd >= 0 ? pw_context_connect_fd(c->context_, remote_fd, nullptr, 0)
                            : pw_context_connect(c->context_, nullptr, 0);
  if (!c->core_ && remote_fd >= 0)
    return make_error(StatusCode::kUnavailable,
                      "PipeWire: the portal's connection does not answer (" + what + ")");
  if (!c->core_)
    return make_error(StatusCode::kUnavailable,
                      "PipeWire is not running for this user (" + what + ")");
  return c;
}

Status PwConnection::start() {
  if (pw_thread_loop_start(loop_) < 0)
    return Status(StatusCode::kInternal, "PipeWire: cannot start the loop");
  running_ = true;
  return Status::ok();
}

void PwConnection::stop() {
  if (running_)
    pw_thread_loop_stop(loop_);
  running_ = false;
}

PwConnection::~PwConnection() {
  stop();
  if (core_)
    pw_core_disconnect(core_);
  if (context_)
    pw_context_destroy(context_);
  if (loop_)
    pw_thread_loop_destroy(loop_);
}

const spa_pod* build_f32_format(spa_pod_builder* b, int channels) {
  spa_audio_info_raw info{};
  info.format = SPA_AUDIO_FORMAT_F32;
  info.rate = 48000;
  info.channels = static_cast<uint32_t>(channels);
  static const uint32_t surround[8] = {
      SPA_AUDIO_CHANNEL_FL, SPA_AUDIO_CHANNEL_FR, SPA_AUDIO_CHANNEL_FC, SPA_AUDIO_CHANNEL_LFE,
      SPA_AUDIO_CHANNEL_RL, SPA_AUDIO_CHANNEL_RR, SPA_AUDIO_CHANNEL_SL, SPA_AUDIO_CHANNEL_SR};
  if (channels == 1)
    info.position[0] = SPA_AUDIO_CHANNEL_MONO;
  else
    for (int i = 0; i < channels && i < 8; ++i)
      info.position[i] = surround[i];
  return spa_format_audio_raw_build(b, SPA_PARAM_EnumFormat, &info);
}

}  // namespace pf::host
