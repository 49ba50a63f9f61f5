// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/display_factory.h"

#include "host/vdisplay/kwin_display.h"
#include "host/vdisplay/mutter_display.h"
#include "host/vdisplay/sway_display.h"
#include "host/vdisplay/x11_desktop_display.h"
#include "host/vdisplay/xvfb_display.h"

namespace pf::host {

std::optional<DisplayBackend> parse_display_backend(const std::string& name) {
  if (name == "xvfb")
    return DisplayBackend::kXvfb;
  if (name == "mutter")
    return DisplayBackend::kMutter;
  if (name == "mutter-headless")
    return DisplayBackend::kMutterHeadless;
  if (name == "x11")
    return DisplayBackend::kX11;
  if (name == "kwin")
    return DisplayBackend::kKwin;
  if (name == "sway")
    return DisplayBackend::kSway;
  if (name == "auto")
    return DisplayBackend::kAuto;
  return std::nullopt;
}

DisplayBackend resolve_display_backend(DisplayBackend wanted) {
  if (wanted != DisplayBackend::kAuto)
    return wanted;
  if (MutterDisplay::probe().available)
    return DisplayBackend::kMutter;
  if (KwinDisplay::probe().available)
    return DisplayBackend::kKwin;
  return SwayDisplay::probe().available ? DisplayBackend::kSway : DisplayBackend::kXvfb;
}

bool display_backend_separates_cursor(DisplayBackend b) {
  return b == DisplayBackend::kXvfb || b == DisplayBackend::kX11;
}

const char* display_backend_name(DisplayBackend b) {
  switch (b) {
    case DisplayBackend::kXvfb:
      return "xvfb";
    case DisplayBackend::kMutter:
      return "mutter";
    case DisplayBackend::kMutterHeadless:
      return "mutter-headless";
    case DisplayBackend::kX11:
      return "x11";
    case DisplayBackend::kKwin:
      return "kwin";
    case DisplayBackend::kSway:
      return "sway";
    case DisplayBackend::kAuto:
      return "auto";
  }
  return "?";
}

namespace {

// Any backend's display as the interface.
template <class T>
Result<std::unique_ptr<VirtualDisplay>> as_display(Result<std::unique_ptr<T>> d) {
  if (!d)
    return tl::unexpected(d.error());
  return std::unique_ptr<VirtualDisplay>(std::move(*d));
}

}  // namespace

Result<std::unique_ptr<VirtualDisplay>> create_virtual_display(DisplayBackend backend,
                                                               const DisplayMode& mode) {
  switch (resolve_display_backend(backend)) {
    case DisplayBackend::kMutter:
      return as_display(MutterDisplay::create(mode));
    case DisplayBackend::kMutterHeadless:
      return as_display(MutterDisplay::create_headless(mode));
    case DisplayBackend::kX11:
      return as_display(X11DesktopDisplay::open(mode));
    case DisplayBackend::kKwin:
      return as_display(KwinDisplay::create(mode));
    case DisplayBackend::kSway:
      return as_display(SwayDisplay::create(mode));
    default:
      return as_display(XvfbDisplay::create(mode));
  }
}

}  // namespace pf::host
