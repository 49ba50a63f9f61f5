// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/uinput_injector.h"

#include <linux/input-event-codes.h>

#include <algorithm>

#include "base/log.h"

namespace pf::host {

using proto::native::InputKind;

namespace {

constexpr uint16_t kMouseButtons[] = {BTN_LEFT, BTN_RIGHT, BTN_MIDDLE, BTN_SIDE, BTN_EXTRA};
constexpr uint16_t kMaxKey = 248;  // KEY_MICMUTE: the keyboard keys
constexpr int32_t kMaxContacts = 10;

void ids(VirtualDeviceSpec& s, const char* name, uint16_t product) {
  s.name = name;
  s.bustype = 0x06;   // BUS_VIRTUAL
  s.vendor = 0x1209;  // pid.codes, for open projects
  s.product = product;
  s.version = 1;
}

}  // namespace

VirtualDeviceSpec UinputInjector::keyboard_spec() {
  VirtualDeviceSpec s;
  ids(s, "punktfunk keyboard", 0x5001);
  for (uint16_t k = 1; k <= kMaxKey; ++k)
    s.keys.push_back(k);
  return s;
}

VirtualDeviceSpec UinputInjector::mouse_spec() {
  VirtualDeviceSpec s;
  ids(s, "punktfunk mouse", 0x5002);
  s.keys.assign(std::begin(kMouseButtons), std::end(kMouseButtons));
  s.rel = {REL_X, REL_Y, REL_WHEEL, REL_HWHEEL, REL_WHEEL_HI_RES, REL_HWHEEL_HI_RES};
  return s;
}

VirtualDeviceSpec UinputInjector::pointer_spec() {
  VirtualDeviceSpec s;
  ids(s, "punktfunk absolute pointer", 0x5003);
  s.keys.assign(std::begin(kMouseButtons), std::end(kMouseButtons));
  s.abs = {{ABS_X, 0, 65535, 0, 0}, {ABS_Y, 0, 65535, 0, 0}};
  return s;
}

VirtualDeviceSpec UinputInjector::touchscreen_spec() {
  VirtualDeviceSpec s;
  ids(s, "punktfunk touchscreen", 0x5004);
  s.keys = {BTN_TOUCH};
  s.abs = {{ABS_X, 0, 65535, 0, 0},
           {ABS_Y, 0, 65535, 0, 0},
           {ABS_MT_SLOT, 0, kMaxContacts - 1, 0, 0},
           {ABS_MT_TRACKING_ID, 0, 65535, 0, 0},
           {ABS_MT_POSITION_X, 0, 65535, 0, 0},
           {ABS_MT_POSITION_Y, 0, 65535, 0, 0}};
  s.props = {INPUT_PROP_DIRECT};
  return s;
}

VirtualDeviceSpec UinputInjector::pen_spec() {
  VirtualDeviceSpec s;
  ids(s, "punktfunk pen", 0x5005);
  s.keys = {BTN_TOOL_PEN, BTN_TOOL_RUBBER, BTN_TOUCH, BTN_STYLUS, BTN_STYLUS2, BTN_STYLUS3};
  s.abs = {{ABS_X, 0, 65535, 0, 0},
           {ABS_Y, 0, 65535, 0, 0},
           {ABS_PRESSURE, 0, 65535, 0, 0},
           {ABS_TILT_X, -90, 90, 0, 0},
           {ABS_TILT_Y, -90, 90, 0, 0}};
  s.props = {INPUT_PROP_DIRECT};
  return s;
}

void UinputInjector::pen(const proto::native::InputDatagram& e, bool& sent) {
  using proto::native::PenEvent;
  const PenEvent ev = proto::native::pen_event(e);
  const uint16_t tool = (e.code & 0xFF) == 2 ? BTN_TOOL_RUBBER : BTN_TOOL_PEN;
  const auto buttons = static_cast<uint8_t>((e.code >> 8) & 7);
  const int32_t tilt =
      ((e.code >> 16) & 0xFF) <= 90 ? static_cast<int32_t>((e.code >> 16) & 0xFF) : 0;
  const auto pressure = static_cast<int32_t>(e.flags >> 16);
  if (ev == PenEvent::kLeave || ev == PenEvent::kCancel) {  // out of proximity
    if (!pen_tool_) {
      sent = true;
      return;
    }
    const uint16_t was = pen_tool_;
    pen_tool_ = 0;
    pen_touching_ = false;
    sent = send(kPen, {{EV_KEY, BTN_TOUCH, 0},
                       {EV_ABS, ABS_PRESSURE, 0},
                       {EV_KEY, BTN_STYLUS, 0},
                       {EV_KEY, BTN_STYLUS2, 0},
                       {EV_KEY, BTN_STYLUS3, 0},
                       {EV_KEY, was, 0}});
    return;
  }
  if (pen_tool_ && pen_tool_ != tool)  // pen turned to eraser: leave, come back
    send(kPen, {{EV_KEY, BTN_TOUCH, 0}, {EV_KEY, pen_tool_, 0}});
  pen_tool_ = tool;
  const bool touching = ev == PenEvent::kDown || (ev == PenEvent::kMove && pen_touching_);
  pen_touching_ = touching;
  sent = send(kPen, {{EV_ABS, ABS_X, std::clamp(e.x, 0, 65535)},
                     {EV_ABS, ABS_Y, std::clamp(e.y, 0, 65535)},
                     {EV_ABS, ABS_PRESSURE, touching ? pressure : 0},
                     {EV_ABS, ABS_TILT_X, tilt},
                     {EV_KEY, tool, 1},
                     {EV_KEY, BTN_TOUCH, touching ? 1 : 0},
                     {EV_KEY, BTN_STYLUS, (buttons & 1) ? 1 : 0},
                     {EV_KEY, BTN_STYLUS2, (buttons & 2) ? 1 : 0},
                     {EV_KEY, BTN_STYLUS3, (buttons & 4) ? 1 : 0}});
}

UinputInjector::UinputInjector(std::unique_ptr<VirtualDeviceBackend> backend)
    : backend_(std::move(backend)) {}

UinputInjector::~UinputInjector() = default;

bool UinputInjector::send(Which which, std::initializer_list<Ev> events) {
  std::unique_ptr<VirtualDevice>& dev = devices_[which];
  if (!dev) {
    static VirtualDeviceSpec (*const kSpecs[kCount])() = {
        &keyboard_spec, &mouse_spec, &pointer_spec, &touchscreen_spec, &pen_spec};
    auto made = backend_ ? backend_->create(kSpecs[which]())
                         : Result<std::unique_ptr<VirtualDevice>>(
                               make_error(StatusCode::kUnavailable, "no virtual device backend"));
    if (!made) {
      if (!warned_)
        log_warn("input: {}; keyboard, mouse and touch input is dropped", made.error().message());
      warned_ = true;
      return false;
    }
    dev = std::move(*made);
  }
  for (const Ev& e : events)
    if (!dev->emit(e.type, e.code, e.value).is_ok()) {
      dev.reset();  // vanished: made again with the next event
      return false;
    }
  if (!dev->sync().is_ok()) {
    dev.reset();
    return false;
  }
  return true;
}

void UinputInjector::inject(const proto::native::InputDatagram& e) {
  bool sent = false;
  switch (static_cast<InputKind>(e.kind)) {
    case InputKind::kKeyDown:
    case InputKind::kKeyUp:
      if (e.code == 0 || e.code > kMaxKey) {
        ++stats_.unmapped;
        return;
      }
      sent = send(kKeyboard, {{EV_KEY, static_cast<uint16_t>(e.code),
                               e.kind == static_cast<uint8_t>(InputKind::kKeyDown) ? 1 : 0}});
      break;
    case InputKind::kText: {
      const auto k = text_keysym(e.code) ? layout_.find_char(e.code) : std::nullopt;
      if (!k || k->code == 0 || k->code > kMaxKey) {
        ++stats_.unmapped;
        return;
      }
      const auto code = static_cast<uint16_t>(k->code);
      sent = k->shift ? send(kKeyboard, {{EV_KEY, KEY_LEFTSHIFT, 1},
                                         {EV_KEY, code, 1},
                                         {EV_KEY, code, 0},
                                         {EV_KEY, KEY_LEFTSHIFT, 0}})
                      : send(kKeyboard, {{EV_KEY, code, 1}, {EV_KEY, code, 0}});
      break;
    }
    case InputKind::kMouseRelative:
      sent = send(kMouse, {{EV_REL, REL_X, e.x}, {EV_REL, REL_Y, e.y}});
      break;
    case InputKind::kMouseAbsolute:
      sent = send(kPointer, {{EV_ABS, ABS_X, std::clamp(e.x, 0, 65535)},
                             {EV_ABS, ABS_Y, std::clamp(e.y, 0, 65535)}});
      break;
    case InputKind::kButtonDown:
    case InputKind::kButtonUp:
      if (std::find(std::begin(kMouseButtons), std::end(kMouseButtons), e.code) ==
          std::end(kMouseButtons)) {
        ++stats_.unmapped;
        return;
      }
      sent = send(kMouse, {{EV_KEY, static_cast<uint16_t>(e.code),
                            e.kind == static_cast<uint8_t>(InputKind::kButtonDown) ? 1 : 0}});
      break;
    case InputKind::kScroll:
    case InputKind::kHScroll: {
      // 1/120 notches, up and right positive: as the kernel's wheels count.
      const bool vertical = e.kind == static_cast<uint8_t>(InputKind::kScroll);
      const int32_t amount = std::clamp(vertical ? e.y : e.x, -120 * 100, 120 * 100);
      const int notches = take_notches(vertical ? wheel_ : hwheel_, amount);
      const uint16_t hi = vertical ? REL_WHEEL_HI_RES : REL_HWHEEL_HI_RES;
      const uint16_t lo = vertical ? REL_WHEEL : REL_HWHEEL;
      sent = notches ? send(kMouse, {{EV_REL, hi, amount}, {EV_REL, lo, notches}})
                     : send(kMouse, {{EV_REL, hi, amount}});
      break;
    }
    case InputKind::kTouch: {
      // flags: 0 down, 1 move, 2 up; code = contact id.
      if (e.code >= static_cast<uint32_t>(kMaxContacts) || e.flags > 2) {
        ++stats_.unmapped;
        return;
      }
      const auto slot = static_cast<int32_t>(e.code);
      const uint16_t bit = static_cast<uint16_t>(1u << e.code);
      const int32_t x = std::clamp(e.x, 0, 65535), y = std::clamp(e.y, 0, 65535);
      if (e.flags == 2) {
        if (!(contacts_ & bit))
          return;
        contacts_ = static_cast<uint16_t>(contacts_ & ~bit);
        sent = send(kTouch, {{EV_ABS, ABS_MT_SLOT, slot},
                             {EV_ABS, ABS_MT_TRACKING_ID, -1},
                             {EV_KEY, BTN_TOUCH, contacts_ ? 1 : 0}});
      } else if (e.flags == 0 && !(contacts_ & bit)) {
        contacts_ = static_cast<uint16_t>(contacts_ | bit);
        next_tracking_id_ = (next_tracking_id_ + 1) & 0xFFFF;
        sent = send(kTouch, {{EV_ABS, ABS_MT_SLOT, slot},
                             {EV_ABS, ABS_MT_TRACKING_ID, next_tracking_id_},
                             {EV_ABS, ABS_MT_POSITION_X, x},
                             {EV_ABS, ABS_MT_POSITION_Y, y},
                             {EV_KEY, BTN_TOUCH, 1},
                             {EV_ABS, ABS_X, x},
                             {EV_ABS, ABS_Y, y}});
      } else if (contacts_ & bit) {
        sent = send(kTouch, {{EV_ABS, ABS_MT_SLOT, slot},
                             {EV_ABS, ABS_MT_POSITION_X, x},
                             {EV_ABS, ABS_MT_POSITION_Y, y},
                             {EV_ABS, ABS_X, x},
                             {EV_ABS, ABS_Y, y}});
      } else {
        return;  // a move of a contact that is not down
      }
      break;
    }
    case InputKind::kPen:
      pen(e, sent);
      break;
    default:
      ++stats_.unsupported;
      return;
  }
  if (sent)
    ++stats_.injected;
  else
    ++stats_.unsupported;
}

}  // namespace pf::host
