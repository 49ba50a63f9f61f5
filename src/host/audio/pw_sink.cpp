// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/audio/pw_sink.h"

#include <pipewire/pipewire.h>

#include <fmt/format.h>

#include "base/log.h"

namespace pf::host {

pw_properties* null_sink_properties(const std::string& name, int channels) {
  const char* position = channels == 6   ? "FL,FR,FC,LFE,RL,RR"
                         : channels == 8 ? "FL,FR,FC,LFE,RL,RR,SL,SR"
                                         : "FL,FR";
  return pw_properties_new("factory.name", "support.null-audio-sink", PW_KEY_NODE_NAME,
                           name.c_str(), PW_KEY_NODE_DESCRIPTION,
                           "punktfunk (streamed to the client)", PW_KEY_MEDIA_CLASS, "Audio/Sink",
                           "audio.position", position, "monitor.channel-volumes", "true", nullptr);
}

Result<std::unique_ptr<PwSink>> PwSink::create(const std::string& name, int channels) {
  std::unique_ptr<PwSink> s(new PwSink());
  s->name_ = name;
  auto pw = PwConnection::connect("punktfunk-sink", "no sink of its own for the session");
  if (!pw)
    return tl::unexpected(pw.error());
  s->pw_ = std::move(*pw);
  pw_properties* props = null_sink_properties(name, channels);
  pw_thread_loop_lock(s->pw_->loop());
  s->node_ = static_cast<pw_proxy*>(pw_core_create_object(
      s->pw_->core(), "adapter", PW_TYPE_INTERFACE_Node, PW_VERSION_NODE, &props->dict, 0));
  pw_thread_loop_unlock(s->pw_->loop());
  pw_properties_free(props);
  if (!s->node_)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("PipeWire: cannot create the sink '{}'", name));
  if (auto st = s->pw_->start(); !st.is_ok())
    return tl::unexpected(st);
  return s;
}

PwSink::~PwSink() {
  if (pw_)
    pw_->stop();
  if (node_)
    pw_proxy_destroy(node_);
}

}  // namespace pf::host
