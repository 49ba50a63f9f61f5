// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/status.h"

// libei's C types, opaque here: the library is loaded at run time (Debian 12
// ships none), so no header of it is needed to build.
struct ei;
struct ei_event;
struct ei_seat;
struct ei_device;
struct ei_region;
struct ei_touch;

namespace pf::host {

// The part of libei's client API (libei 1.x, `libei.so.1`) the host uses, as
// function pointers: loaded with dlopen where the library exists, or filled
// by tests with a fake. The enum values are libei's.
struct EiApi {
  enum EventType : int {
    kConnect = 1,
    kDisconnect = 2,
    kSeatAdded = 3,
    kSeatRemoved = 4,
    kDeviceAdded = 5,
    kDeviceRemoved = 6,
    kDevicePaused = 7,
    kDeviceResumed = 8,
  };
  enum Capability : int {
    kPointer = 1 << 0,
    kPointerAbsolute = 1 << 1,
    kKeyboard = 1 << 2,
    kTouch = 1 << 3,
    kScroll = 1 << 4,
    kButton = 1 << 5,
  };

  ::ei* (*new_sender)(void* user_data) = nullptr;
  ::ei* (*unref)(::ei*) = nullptr;
  void (*configure_name)(::ei*, const char* name) = nullptr;
  int (*setup_backend_socket)(::ei*, const char* path) = nullptr;
  int (*setup_backend_fd)(::ei*, int fd) = nullptr;
  int (*get_fd)(::ei*) = nullptr;
  void (*dispatch)(::ei*) = nullptr;
  ::ei_event* (*get_event)(::ei*) = nullptr;
  uint64_t (*now)(::ei*) = nullptr;
  ::ei_event* (*event_unref)(::ei_event*) = nullptr;
  int (*event_get_type)(::ei_event*) = nullptr;
  ::ei_seat* (*event_get_seat)(::ei_event*) = nullptr;
  ::ei_device* (*event_get_device)(::ei_event*) = nullptr;
  void (*seat_bind_capabilities)(::ei_seat*, ...) = nullptr;  // NULL-terminated
  ::ei_device* (*device_ref)(::ei_device*) = nullptr;
  ::ei_device* (*device_unref)(::ei_device*) = nullptr;
  bool (*device_has_capability)(::ei_device*, int cap) = nullptr;
  ::ei_region* (*device_get_region)(::ei_device*, size_t index) = nullptr;
  uint32_t (*region_get_x)(::ei_region*) = nullptr;
  uint32_t (*region_get_y)(::ei_region*) = nullptr;
  uint32_t (*region_get_width)(::ei_region*) = nullptr;
  uint32_t (*region_get_height)(::ei_region*) = nullptr;
  void (*device_start_emulating)(::ei_device*, uint32_t sequence) = nullptr;
  void (*device_frame)(::ei_device*, uint64_t time_us) = nullptr;
  void (*device_pointer_motion)(::ei_device*, double dx, double dy) = nullptr;
  void (*device_pointer_motion_absolute)(::ei_device*, double x, double y) = nullptr;
  void (*device_button_button)(::ei_device*, uint32_t button, bool press) = nullptr;
  void (*device_scroll_discrete)(::ei_device*, int32_t x, int32_t y) = nullptr;
  void (*device_keyboard_key)(::ei_device*, uint32_t key, bool press) = nullptr;
  ::ei_touch* (*device_touch_new)(::ei_device*) = nullptr;
  void (*touch_down)(::ei_touch*, double x, double y) = nullptr;
  void (*touch_motion)(::ei_touch*, double x, double y) = nullptr;
  void (*touch_up)(::ei_touch*) = nullptr;
  ::ei_touch* (*touch_unref)(::ei_touch*) = nullptr;

  // libei.so.1 from the system, every function resolved; kUnavailable with
  // the reason when it is missing or too old.
  static Result<EiApi> load();
};

}  // namespace pf::host
