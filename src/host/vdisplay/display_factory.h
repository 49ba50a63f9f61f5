// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "host/vdisplay/virtual_display.h"

namespace pf::host {

// Which kind of virtual display sessions get.
//   xvfb:   a headless X server per host, owned by it (the built-in default).
//   mutter: a virtual monitor of the GNOME Mutter on the session bus.
//   mutter-headless: a `mutter --headless` per session, on a bus of its own
//           (its own seat: keyboard focus is the session's alone).
//   x11:    the user's running X desktop at $DISPLAY, as it is (scaled).
//   kwin:   a virtual output of the KWin on $WAYLAND_DISPLAY.
//   sway:   a headless output of the sway on $SWAYSOCK.
//   auto:   the first of mutter, kwin, sway that answers, else xvfb (never
//           x11: sharing the whole desktop is chosen, not guessed).
enum class DisplayBackend { kXvfb, kX11, kMutter, kMutterHeadless, kKwin, kSway, kAuto };

std::optional<DisplayBackend> parse_display_backend(const std::string& name);
// kAuto resolved against what this machine offers right now.
DisplayBackend resolve_display_backend(DisplayBackend wanted);
const char* display_backend_name(DisplayBackend b);
// Whether this backend's captures can leave the pointer out of the picture and
// report it apart (VideoSource::separate_cursor): X servers can (XFIXES); the
// compositors' PipeWire streams cannot yet.
bool display_backend_separates_cursor(DisplayBackend b);

Result<std::unique_ptr<VirtualDisplay>> create_virtual_display(DisplayBackend backend,
                                                               const DisplayMode& mode);

}  // namespace pf::host
