// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/sway_focus.h"

#include <algorithm>

#include "base/log.h"

namespace pf::host {

namespace {

std::mutex g_keyboard_mu;  // one seat: one session's key at a time

}  // namespace

std::unique_lock<std::mutex> SwayFocus::take() {
  std::unique_lock lock(g_keyboard_mu);
  if (auto st = ensure_focus(); !st.is_ok()) {
    ipc_.reset();  // reconnect next time
    if (failures_++ % 1000 == 0)
      log_warn("sway: could not give output {} the keyboard focus ({} times): {}", output_,
               failures_, st.message());
  }
  return lock;
}

Status SwayFocus::ensure_focus() {
  if (!ipc_) {
    auto ipc = SwayIpc::connect({}, timeout_);
    if (!ipc)
      return ipc.error();
    ipc_ = std::move(*ipc);
  }
  auto outs = ipc_->outputs();
  if (!outs)
    return outs.error();
  const auto it = std::find_if(outs->begin(), outs->end(),
                               [&](const proto::sway::Output& o) { return o.name == output_; });
  if (it == outs->end())
    return Status(StatusCode::kNotFound, "sway no longer lists it");
  if (it->focused)
    return Status::ok();
  auto cmd = proto::sway::output_command(output_, "");
  if (!cmd)
    return cmd.error();
  if (auto st = ipc_->command("focus " + *cmd); !st.is_ok())
    return st;
  ++switches_;
  return Status::ok();
}

}  // namespace pf::host
