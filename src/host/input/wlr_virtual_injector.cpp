// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/wlr_virtual_injector.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <wayland-client.h>
#include <xkbcommon/xkbcommon.h>

#include "base/clock.h"
#include "host/input/text_keymap.h"
#include "host/wayland/wl_connection.h"
#include "wlr-virtual-input-wire-client-protocol.h"

namespace pf::host {

using proto::native::InputKind;

namespace {

constexpr uint32_t kKeymapFormatXkbV1 = 1;  // wl_keyboard.keymap_format
constexpr uint32_t kAxisVertical = 0, kAxisHorizontal = 1, kAxisSourceWheel = 0;

// The keymap text in a sealed memfd the compositor maps.
Status upload_keymap(zwp_virtual_keyboard_v1* kb, const std::string& text) {
  const int fd = ::memfd_create("pf-keymap", MFD_CLOEXEC);
  if (fd < 0)
    return Status(StatusCode::kResourceExhausted, std::string("keymap: ") + std::strerror(errno));
  const size_t size = text.size() + 1;  // with the terminating NUL, as compositors expect
  const bool ok = ::write(fd, text.c_str(), size) == static_cast<ssize_t>(size);
  if (ok)
    zwp_virtual_keyboard_v1_keymap(kb, kKeymapFormatXkbV1, fd, static_cast<uint32_t>(size));
  ::close(fd);  // libwayland sent a duplicate
  return ok ? Status::ok() : Status(StatusCode::kInternal, "keymap: short write");
}

// The keyboard's keymap (the user's: XKB_DEFAULT_* or the system's default)
// and the state the modifiers are read from: wlroots does not derive them
// from a virtual keyboard's keys, its client sends them.
struct KeyState {
  xkb_context* ctx = nullptr;
  xkb_keymap* map = nullptr;
  xkb_state* state = nullptr;
  uint32_t depressed = 0, latched = 0, locked = 0, group = 0;
  ~KeyState() {
    if (state)
      xkb_state_unref(state);
    if (map)
      xkb_keymap_unref(map);
    if (ctx)
      xkb_context_unref(ctx);
  }
  Result<std::string> load() {
    ctx = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
    map = ctx ? xkb_keymap_new_from_names(ctx, nullptr, XKB_KEYMAP_COMPILE_NO_FLAGS) : nullptr;
    state = map ? xkb_state_new(map) : nullptr;
    char* s = state ? xkb_keymap_get_as_string(map, XKB_KEYMAP_FORMAT_TEXT_V1) : nullptr;
    std::string text = s ? s : "";
    std::free(s);
    if (text.empty())
      return make_error(StatusCode::kUnavailable,
                        "xkbcommon could not compile the default keymap (is xkb-data installed?)");
    return text;
  }
  // Whether the modifiers changed with this key.
  bool update(uint32_t evdev_code, bool down) {
    xkb_state_update_key(state, evdev_code + 8, down ? XKB_KEY_DOWN : XKB_KEY_UP);
    const uint32_t d = xkb_state_serialize_mods(state, XKB_STATE_MODS_DEPRESSED);
    const uint32_t la = xkb_state_serialize_mods(state, XKB_STATE_MODS_LATCHED);
    const uint32_t lo = xkb_state_serialize_mods(state, XKB_STATE_MODS_LOCKED);
    const uint32_t g = xkb_state_serialize_layout(state, XKB_STATE_LAYOUT_EFFECTIVE);
    if (d == depressed && la == latched && lo == locked && g == group)
      return false;
    depressed = d;
    latched = la;
    locked = lo;
    group = g;
    return true;
  }
};

}  // namespace

struct WlrVirtualInjector::Impl {
  std::unique_ptr<wayland::Connection> conn;
  wl_seat* seat = nullptr;
  zwp_virtual_keyboard_manager_v1* kb_manager = nullptr;
  zwlr_virtual_pointer_manager_v1* ptr_manager = nullptr;
  zwp_virtual_keyboard_v1* keys = nullptr;
  zwp_virtual_keyboard_v1* text = nullptr;
  zwlr_virtual_pointer_v1* pointer = nullptr;
  KeyState key_state;
  TextKeymap text_keymap;
  KeyboardFocus focus;
  int scroll_v = 0, scroll_h = 0;  // sub-notch remainders (1/120)
  bool broken = false;

  ~Impl() {
    if (pointer)
      zwlr_virtual_pointer_v1_destroy(pointer);
    if (keys)
      zwp_virtual_keyboard_v1_destroy(keys);
    if (text)
      zwp_virtual_keyboard_v1_destroy(text);
    if (ptr_manager)
      zwlr_virtual_pointer_manager_v1_destroy(ptr_manager);
    if (kb_manager)
      wl_proxy_destroy(reinterpret_cast<wl_proxy*>(kb_manager));  // no destructor request
    if (seat)
      wl_seat_destroy(seat);
    if (conn)
      (void)conn->flush();
  }

  static uint32_t now_ms() {
    return static_cast<uint32_t>(SteadyClock::instance().now_ns() / 1'000'000);
  }

  bool type_text(uint32_t cp) {
    const uint32_t sym = xkb_utf32_to_keysym(cp);
    if (sym == XKB_KEY_NoSymbol || text_keysym(cp) == 0)
      return false;
    const auto slot = text_keymap.slot(sym);
    if (slot.keymap_changed && !upload_keymap(text, text_keymap.keymap_text()).is_ok())
      return false;
    const uint32_t t = now_ms();
    zwp_virtual_keyboard_v1_key(text, t, slot.evdev_code, 1);
    zwp_virtual_keyboard_v1_key(text, t, slot.evdev_code, 0);
    return true;
  }

  bool scroll(bool vertical, int32_t amount) {
    const int notches = take_notches(vertical ? scroll_v : scroll_h, amount);
    if (notches == 0)
      return true;
    // The input model counts up and right as positive; Wayland axes count
    // down and right. 15 units per notch, as libinput reports wheels.
    const int steps = vertical ? -notches : notches;
    const uint32_t t = now_ms();
    zwlr_virtual_pointer_v1_axis_source(pointer, kAxisSourceWheel);
    zwlr_virtual_pointer_v1_axis_discrete(pointer, t, vertical ? kAxisVertical : kAxisHorizontal,
                                          wl_fixed_from_int(15 * steps), steps);
    zwlr_virtual_pointer_v1_frame(pointer);
    return true;
  }
};

Result<std::unique_ptr<WlrVirtualInjector>> WlrVirtualInjector::open(
    const std::string& socket,
    const std::string& output,
    std::chrono::milliseconds timeout,
    KeyboardFocus focus) {
  auto conn = wayland::Connection::connect(socket, timeout);
  if (!conn)
    return tl::unexpected(conn.error());
  auto impl = std::make_unique<Impl>();
  impl->conn = std::move(*conn);
  impl->focus = std::move(focus);
  wl_output* out = impl->conn->output(output);
  if (!out)
    return make_error(StatusCode::kNotFound,
                      fmt::format("the compositor has no output '{}' for input", output));
  impl->seat = static_cast<wl_seat*>(impl->conn->bind(&wl_seat_interface, 1));
  impl->kb_manager = static_cast<zwp_virtual_keyboard_manager_v1*>(
      impl->conn->bind(&zwp_virtual_keyboard_manager_v1_interface, 1));
  impl->ptr_manager = static_cast<zwlr_virtual_pointer_manager_v1*>(
      impl->conn->bind(&zwlr_virtual_pointer_manager_v1_interface, 2));
  if (!impl->seat || !impl->kb_manager || !impl->ptr_manager)
    return make_error(StatusCode::kUnimplemented,
                      "the compositor offers no virtual keyboard and pointer (sway and other "
                      "wlroots compositors do)");
  if (wl_proxy_get_version(reinterpret_cast<wl_proxy*>(impl->ptr_manager)) < 2)
    return make_error(StatusCode::kUnimplemented,
                      "the compositor's virtual pointer cannot be bound to an output (version 1)");
  auto keymap = impl->key_state.load();
  if (!keymap)
    return tl::unexpected(keymap.error());
  impl->keys =
      zwp_virtual_keyboard_manager_v1_create_virtual_keyboard(impl->kb_manager, impl->seat);
  impl->text =
      zwp_virtual_keyboard_manager_v1_create_virtual_keyboard(impl->kb_manager, impl->seat);
  if (auto st = upload_keymap(impl->keys, *keymap); !st.is_ok())
    return tl::unexpected(st);
  if (auto st = upload_keymap(impl->text, impl->text_keymap.keymap_text()); !st.is_ok())
    return tl::unexpected(st);
  impl->pointer = zwlr_virtual_pointer_manager_v1_create_virtual_pointer_with_output(
      impl->ptr_manager, impl->seat, out);
  // A round trip: the compositor has taken the devices (or said why not).
  if (auto st = impl->conn->roundtrip(timeout); !st.is_ok())
    return tl::unexpected(st);
  return std::unique_ptr<WlrVirtualInjector>(new WlrVirtualInjector(std::move(impl)));
}

WlrVirtualInjector::WlrVirtualInjector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WlrVirtualInjector::~WlrVirtualInjector() = default;

void WlrVirtualInjector::inject(const proto::native::InputDatagram& e) {
  Impl& d = *impl_;
  if (d.broken) {
    ++stats_.unsupported;
    return;
  }
  bool sent = true;
  const auto kind = static_cast<InputKind>(e.kind);
  std::unique_lock<std::mutex> focus_held;  // until the key is flushed
  if (d.focus &&
      (kind == InputKind::kKeyDown || kind == InputKind::kKeyUp || kind == InputKind::kText))
    focus_held = d.focus();
  const uint32_t t = Impl::now_ms();
  switch (kind) {
    case InputKind::kKeyDown:
    case InputKind::kKeyUp: {
      const bool down = e.kind == static_cast<uint8_t>(InputKind::kKeyDown);
      zwp_virtual_keyboard_v1_key(d.keys, t, e.code, down ? 1 : 0);
      if (d.key_state.update(e.code, down))
        zwp_virtual_keyboard_v1_modifiers(d.keys, d.key_state.depressed, d.key_state.latched,
                                          d.key_state.locked, d.key_state.group);
      break;
    }
    case InputKind::kText:
      if (!d.type_text(e.code)) {
        ++stats_.unmapped;
        return;
      }
      break;
    case InputKind::kMouseRelative:
      zwlr_virtual_pointer_v1_motion(d.pointer, t, wl_fixed_from_int(e.x), wl_fixed_from_int(e.y));
      zwlr_virtual_pointer_v1_frame(d.pointer);
      break;
    case InputKind::kMouseAbsolute:
      zwlr_virtual_pointer_v1_motion_absolute(
          d.pointer, t, static_cast<uint32_t>(std::clamp<int32_t>(e.x, 0, 65535)),
          static_cast<uint32_t>(std::clamp<int32_t>(e.y, 0, 65535)), 65535, 65535);
      zwlr_virtual_pointer_v1_frame(d.pointer);
      break;
    case InputKind::kButtonDown:
    case InputKind::kButtonUp:
      zwlr_virtual_pointer_v1_button(
          d.pointer, t, e.code, e.kind == static_cast<uint8_t>(InputKind::kButtonDown) ? 1 : 0);
      zwlr_virtual_pointer_v1_frame(d.pointer);
      break;
    case InputKind::kScroll:
    case InputKind::kHScroll: {
      const bool vertical = e.kind == static_cast<uint8_t>(InputKind::kScroll);
      sent = d.scroll(vertical, vertical ? e.y : e.x);
      break;
    }
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
    sent = false;
  }
  if (sent)
    ++stats_.injected;
  else
    ++stats_.unsupported;
}

}  // namespace pf::host
