// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "base/status.h"
#include "host/input/input_injector.h"

namespace pf::host {

// Injects the host's input model into a KWin output through KWin's
// fake-input protocol (org_kde_kwin_fake_input, version 4; KWin grants it to
// programs a desktop file names, like its screencast): keys as evdev codes,
// text as the keys that type it in the default XKB layout (Shift added for
// the second level; characters the layout has no key for are counted as
// unmapped), absolute positions 0..65535 onto the output's place in KWin's
// layout, relative motion, buttons, scroll (15 units a notch, 1/120
// remainders kept) and touch contacts (down/move/up, each followed by a frame).
// Thread model: one thread at a time.
class KwinInjector : public InputInjector {
 public:
  // `socket` empty = $WAYLAND_DISPLAY; `output`: the output's name as KWin
  // lists it (KwinDisplay::output_name()).
  static Result<std::unique_ptr<KwinInjector>> open(
      const std::string& socket,
      const std::string& output,
      std::chrono::milliseconds timeout = std::chrono::seconds(2));
  ~KwinInjector() override;

  void inject(const proto::native::InputDatagram& event) override;
  const InjectorStats& stats() const override { return stats_; }

 private:
  struct Impl;
  explicit KwinInjector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  InjectorStats stats_;
};

}  // namespace pf::host
