// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/libei_api.h"

#include <dlfcn.h>

#include <fmt/format.h>

namespace pf::host {

Result<EiApi> EiApi::load() {
  // Kept loaded for the process: the pointers outlive any one injector.
  static void* const lib = ::dlopen("libei.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return make_error(StatusCode::kUnavailable,
                      "libei.so.1 is not installed (libei 1.x: Debian 13, Fedora 39 and later "
                      "ship it; Debian 12 does not)");
  EiApi api;
  std::string missing;
  auto sym = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(lib, name));
    if (!fn)
      missing += (missing.empty() ? "" : ", ") + std::string(name);
  };
  sym(api.new_sender, "ei_new_sender");
  sym(api.unref, "ei_unref");
  sym(api.configure_name, "ei_configure_name");
  sym(api.setup_backend_socket, "ei_setup_backend_socket");
  sym(api.setup_backend_fd, "ei_setup_backend_fd");
  sym(api.get_fd, "ei_get_fd");
  sym(api.dispatch, "ei_dispatch");
  sym(api.get_event, "ei_get_event");
  sym(api.now, "ei_now");
  sym(api.event_unref, "ei_event_unref");
  sym(api.event_get_type, "ei_event_get_type");
  sym(api.event_get_seat, "ei_event_get_seat");
  sym(api.event_get_device, "ei_event_get_device");
  sym(api.seat_bind_capabilities, "ei_seat_bind_capabilities");
  sym(api.device_ref, "ei_device_ref");
  sym(api.device_unref, "ei_device_unref");
  sym(api.device_has_capability, "ei_device_has_capability");
  sym(api.device_get_region, "ei_device_get_region");
  sym(api.region_get_x, "ei_region_get_x");
  sym(api.region_get_y, "ei_region_get_y");
  sym(api.region_get_width, "ei_region_get_width");
  sym(api.region_get_height, "ei_region_get_height");
  sym(api.device_start_emulating, "ei_device_start_emulating");
  sym(api.device_frame, "ei_device_frame");
  sym(api.device_pointer_motion, "ei_device_pointer_motion");
  sym(api.device_pointer_motion_absolute, "ei_device_pointer_motion_absolute");
  sym(api.device_button_button, "ei_device_button_button");
  sym(api.device_scroll_discrete, "ei_device_scroll_discrete");
  sym(api.device_keyboard_key, "ei_device_keyboard_key");
  sym(api.device_touch_new, "ei_device_touch_new");
  sym(api.touch_down, "ei_touch_down");
  sym(api.touch_motion, "ei_touch_motion");
  sym(api.touch_up, "ei_touch_up");
  sym(api.touch_unref, "ei_touch_unref");
  if (!missing.empty())
    return make_error(
        StatusCode::kUnavailable,
        fmt::format("libei.so.1 lacks {} (too old: libei 1.0 or later needed)", missing));
  return api;
}

}  // namespace pf::host
