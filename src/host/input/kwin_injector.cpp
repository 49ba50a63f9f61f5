// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/kwin_injector.h"

#include <linux/input-event-codes.h>

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <wayland-client.h>
#include <xkbcommon/xkbcommon.h>

#include "fake-input-client-protocol.h"
#include "host/input/layout_lookup.h"
#include "host/wayland/wl_connection.h"

namespace pf::host {

using proto::native::InputKind;

namespace {

constexpr uint32_t kAxisVertical = 0, kAxisHorizontal = 1;  // wl_pointer.axis

}  // namespace

struct KwinInjector::Impl {
  std::unique_ptr<wayland::Connection> conn;
  org_kde_kwin_fake_input* input = nullptr;
  wayland::Connection::Geometry where;
  LayoutLookup layout;
  int scroll_v = 0, scroll_h = 0;  // sub-notch remainders (1/120)
  bool broken = false;

  ~Impl() {
    if (input)
      org_kde_kwin_fake_input_destroy(input);
    if (conn)
      (void)conn->flush();
  }

  wl_fixed_t x_of(int32_t v) const {
    const int64_t c = std::clamp<int64_t>(v, 0, 65535);
    return wl_fixed_from_double(where.x + static_cast<double>(c * (where.width - 1)) / 65535.0);
  }
  wl_fixed_t y_of(int32_t v) const {
    const int64_t c = std::clamp<int64_t>(v, 0, 65535);
    return wl_fixed_from_double(where.y + static_cast<double>(c * (where.height - 1)) / 65535.0);
  }

  void key(uint32_t code, bool down) {
    org_kde_kwin_fake_input_keyboard_key(
        input, code, down ? WL_KEYBOARD_KEY_STATE_PRESSED : WL_KEYBOARD_KEY_STATE_RELEASED);
  }

  bool type(uint32_t cp) {
    if (text_keysym(cp) == 0 || !layout.ok())
      return false;
    const auto k = layout.find_char(cp);
    if (!k)
      return false;
    if (k->shift)
      key(KEY_LEFTSHIFT, true);
    key(k->code, true);
    key(k->code, false);
    if (k->shift)
      key(KEY_LEFTSHIFT, false);
    return true;
  }

  void scroll(bool vertical, int32_t amount) {
    const int notches = take_notches(vertical ? scroll_v : scroll_h, amount);
    // The input model counts up and right as positive; Wayland axes count
    // down and right.
    if (notches != 0)
      org_kde_kwin_fake_input_axis(input, vertical ? kAxisVertical : kAxisHorizontal,
                                   wl_fixed_from_int(15 * (vertical ? -notches : notches)));
  }
};

Result<std::unique_ptr<KwinInjector>> KwinInjector::open(const std::string& socket,
                                                         const std::string& output,
                                                         std::chrono::milliseconds timeout) {
  auto conn = wayland::Connection::connect(socket, timeout);
  if (!conn)
    return tl::unexpected(conn.error());
  auto impl = std::make_unique<Impl>();
  impl->conn = std::move(*conn);
  const auto where = impl->conn->output_geometry(output);
  if (!where || where->width <= 0 || where->height <= 0)
    return make_error(StatusCode::kNotFound,
                      fmt::format("KWin has no output '{}' for input", output));
  impl->where = *where;
  if (impl->conn->global_version(org_kde_kwin_fake_input_interface.name) < 4)
    return make_error(StatusCode::kUnavailable,
                      "KWin's fake input (version 4) is not offered to this program (see "
                      "`punktfunk-host doctor`)");
  impl->input = static_cast<org_kde_kwin_fake_input*>(
      impl->conn->bind(&org_kde_kwin_fake_input_interface, 4));
  org_kde_kwin_fake_input_authenticate(impl->input, "punktfunk-host",
                                       "input from the client streaming this desktop");
  if (auto st = impl->conn->roundtrip(timeout); !st.is_ok())
    return tl::unexpected(st);
  return std::unique_ptr<KwinInjector>(new KwinInjector(std::move(impl)));
}

KwinInjector::KwinInjector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KwinInjector::~KwinInjector() = default;

void KwinInjector::inject(const proto::native::InputDatagram& e) {
  Impl& d = *impl_;
  if (d.broken) {
    ++stats_.unsupported;
    return;
  }
  switch (static_cast<InputKind>(e.kind)) {
    case InputKind::kKeyDown:
    case InputKind::kKeyUp:
      d.key(e.code, e.kind == static_cast<uint8_t>(InputKind::kKeyDown));
      break;
    case InputKind::kText:
      if (!d.type(e.code)) {
        ++stats_.unmapped;
        return;
      }
      break;
    case InputKind::kMouseRelative:
      org_kde_kwin_fake_input_pointer_motion(d.input, wl_fixed_from_int(e.x),
                                             wl_fixed_from_int(e.y));
      break;
    case InputKind::kMouseAbsolute:
      org_kde_kwin_fake_input_pointer_motion_absolute(d.input, d.x_of(e.x), d.y_of(e.y));
      break;
    case InputKind::kButtonDown:
    case InputKind::kButtonUp:
      org_kde_kwin_fake_input_button(d.input, e.code,
                                     e.kind == static_cast<uint8_t>(InputKind::kButtonDown)
                                         ? WL_POINTER_BUTTON_STATE_PRESSED
                                         : WL_POINTER_BUTTON_STATE_RELEASED);
      break;
    case InputKind::kScroll:
    case InputKind::kHScroll: {
      const bool vertical = e.kind == static_cast<uint8_t>(InputKind::kScroll);
      d.scroll(vertical, vertical ? e.y : e.x);
      break;
    }
    case InputKind::kTouch:
      // flags: 0 down, 1 move, 2 up (protocol section 5); code = contact id.
      switch (e.flags) {
        case 0:
          org_kde_kwin_fake_input_touch_down(d.input, e.code, d.x_of(e.x), d.y_of(e.y));
          break;
        case 1:
          org_kde_kwin_fake_input_touch_motion(d.input, e.code, d.x_of(e.x), d.y_of(e.y));
          break;
        case 2:
          org_kde_kwin_fake_input_touch_up(d.input, e.code);
          break;
        default:
          ++stats_.unmapped;
          return;
      }
      org_kde_kwin_fake_input_touch_frame(d.input);
      break;
    case InputKind::kPen:  // no pens here: the pointer, pressed while the pen touches
      for (const auto& pe : pen_as_pointer(e))
        inject(pe);
      return;
    default:
      ++stats_.unsupported;
      return;
  }
  if (!d.conn->flush().is_ok() || !d.conn->poll_events().is_ok()) {
    d.broken = true;
    ++stats_.unsupported;
    return;
  }
  ++stats_.injected;
}

}  // namespace pf::host
