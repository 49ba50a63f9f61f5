// SPDX-License-Identifier: MIT OR Apache-2.0
// The libei injector against a fake libei (this machine has no libei): the
// call sequence a compositor's EIS server would see, and what it does with
// the compositor's devices.
#include "host/input/libei_injector.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <linux/input-event-codes.h>

#include <cstdarg>
#include <deque>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace pf::host {
namespace {

using proto::native::InputDatagram;
using proto::native::InputKind;

struct FakeDevice {
  int caps;
  uint32_t rx, ry, rw, rh;  // its region
  int refs = 0;
};
struct FakeEvent {
  int type;
  FakeDevice* device = nullptr;
};
struct FakeLib {
  std::vector<std::string> calls;
  std::deque<FakeEvent*> queue;
  int fd = -1;
  int socket_result = 0;
  int touches = 0;
};
FakeLib* g = nullptr;

template <class T, class U>
T* as(U* p) {
  return reinterpret_cast<T*>(p);
}

// The capabilities come as ints, ended by a null pointer (read as 0).
void fake_bind(::ei_seat*, ...) {
  va_list ap;
  va_start(ap, static_cast<::ei_seat*>(nullptr));
  std::string caps;
  for (int c = va_arg(ap, int); c != 0; c = va_arg(ap, int))
    caps += (caps.empty() ? "" : ",") + std::to_string(c);
  va_end(ap);
  g->calls.push_back("bind " + caps);
}

EiApi fake_api() {
  EiApi a;
  a.new_sender = [](void*) { return as<::ei>(g); };
  a.unref = [](::ei*) -> ::ei* {
    g->calls.push_back("unref");
    return nullptr;
  };
  a.configure_name = [](::ei*, const char* n) { g->calls.push_back(std::string("name ") + n); };
  a.setup_backend_socket = [](::ei*, const char* p) {
    g->calls.push_back(std::string("socket ") + p);
    return g->socket_result;
  };
  a.setup_backend_fd = [](::ei*, int) { return -1; };
  a.get_fd = [](::ei*) { return g->fd; };
  a.dispatch = [](::ei*) {};
  a.get_event = [](::ei*) -> ::ei_event* {
    if (g->queue.empty())
      return nullptr;
    FakeEvent* e = g->queue.front();
    g->queue.pop_front();
    return as<::ei_event>(e);
  };
  a.now = [](::ei*) -> uint64_t { return 1234; };
  a.event_unref = [](::ei_event* e) -> ::ei_event* {
    delete as<FakeEvent>(e);
    return nullptr;
  };
  a.event_get_type = [](::ei_event* e) { return as<FakeEvent>(e)->type; };
  a.event_get_seat = [](::ei_event*) { return as<::ei_seat>(g); };
  a.event_get_device = [](::ei_event* e) { return as<::ei_device>(as<FakeEvent>(e)->device); };
  a.seat_bind_capabilities = &fake_bind;
  a.device_ref = [](::ei_device* d) {
    ++as<FakeDevice>(d)->refs;
    return d;
  };
  a.device_unref = [](::ei_device* d) -> ::ei_device* {
    --as<FakeDevice>(d)->refs;
    return nullptr;
  };
  a.device_has_capability = [](::ei_device* d, int cap) {
    return (as<FakeDevice>(d)->caps & cap) != 0;
  };
  a.device_get_region = [](::ei_device* d, size_t i) -> ::ei_region* {
    return i == 0 ? as<::ei_region>(d) : nullptr;
  };
  a.region_get_x = [](::ei_region* r) { return as<FakeDevice>(r)->rx; };
  a.region_get_y = [](::ei_region* r) { return as<FakeDevice>(r)->ry; };
  a.region_get_width = [](::ei_region* r) { return as<FakeDevice>(r)->rw; };
  a.region_get_height = [](::ei_region* r) { return as<FakeDevice>(r)->rh; };
  a.device_start_emulating = [](::ei_device*, uint32_t seq) {
    g->calls.push_back(fmt::format("start {}", seq));
  };
  a.device_frame = [](::ei_device*, uint64_t t) { g->calls.push_back(fmt::format("frame {}", t)); };
  a.device_pointer_motion = [](::ei_device*, double x, double y) {
    g->calls.push_back(fmt::format("rel {} {}", x, y));
  };
  a.device_pointer_motion_absolute = [](::ei_device*, double x, double y) {
    g->calls.push_back(fmt::format("abs {} {}", x, y));
  };
  a.device_button_button = [](::ei_device*, uint32_t b, bool p) {
    g->calls.push_back(fmt::format("button {} {}", b, p));
  };
  a.device_scroll_discrete = [](::ei_device*, int32_t x, int32_t y) {
    g->calls.push_back(fmt::format("scroll {} {}", x, y));
  };
  a.device_keyboard_key = [](::ei_device*, uint32_t k, bool p) {
    g->calls.push_back(fmt::format("key {} {}", k, p));
  };
  a.device_touch_new = [](::ei_device*) -> ::ei_touch* {
    ++g->touches;
    return as<::ei_touch>(new int(0));
  };
  a.touch_down = [](::ei_touch*, double x, double y) {
    g->calls.push_back(fmt::format("touch down {} {}", x, y));
  };
  a.touch_motion = [](::ei_touch*, double x, double y) {
    g->calls.push_back(fmt::format("touch move {} {}", x, y));
  };
  a.touch_up = [](::ei_touch*) { g->calls.push_back("touch up"); };
  a.touch_unref = [](::ei_touch* t) -> ::ei_touch* {
    --g->touches;
    delete as<int>(t);
    return nullptr;
  };
  return a;
}

class LibeiInjectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g = &lib_;
    lib_.fd = ::eventfd(1, EFD_CLOEXEC);  // always readable
  }
  void TearDown() override {
    ::close(lib_.fd);
    for (FakeEvent* e : lib_.queue)
      delete e;
    g = nullptr;
  }
  void push(int type, FakeDevice* d = nullptr) { lib_.queue.push_back(new FakeEvent{type, d}); }
  std::vector<std::string> take() { return std::exchange(lib_.calls, {}); }
  FakeLib lib_;
};

InputDatagram ev(InputKind k, uint32_t code = 0, int32_t x = 0, int32_t y = 0, uint32_t flags = 0) {
  return {static_cast<uint8_t>(k), code, x, y, flags};
}

TEST_F(LibeiInjectorTest, ConnectsBindsTheSeatAndSendsThroughResumedDevices) {
  push(EiApi::kConnect);
  auto in = LibeiInjector::open(fake_api(), "/run/user/1000/eis-0");
  ASSERT_TRUE(in) << in.error().to_string();
  EXPECT_EQ(take(),
            (std::vector<std::string>{"name punktfunk-host", "socket /run/user/1000/eis-0"}));

  // The compositor's seat and devices: a keyboard + pointer device and an
  // absolute one on a 1920x1080 region at (1920, 0).
  FakeDevice kbd{EiApi::kKeyboard | EiApi::kPointer | EiApi::kButton | EiApi::kScroll, 0, 0, 0, 0};
  FakeDevice abs{EiApi::kPointerAbsolute | EiApi::kTouch, 1920, 0, 1920, 1080};
  push(EiApi::kSeatAdded);
  push(EiApi::kDeviceAdded, &kbd);
  push(EiApi::kDeviceAdded, &abs);
  push(EiApi::kDeviceResumed, &kbd);
  (*in)->poll();
  EXPECT_EQ(take(), (std::vector<std::string>{"bind 1,2,32,16,4,8", "start 1"}));
  EXPECT_EQ((*in)->active_devices(), 1u);
  EXPECT_EQ(kbd.refs, 1);

  (*in)->inject(ev(InputKind::kKeyDown, KEY_A));
  (*in)->inject(ev(InputKind::kText, '?'));  // Shift + slash on the US layout
  (*in)->inject(ev(InputKind::kMouseRelative, 0, 3, -2));
  (*in)->inject(ev(InputKind::kButtonDown, BTN_LEFT));
  (*in)->inject(ev(InputKind::kScroll, 0, 0, 120));  // one notch up
  EXPECT_EQ(take(), (std::vector<std::string>{
                        "key 30 true", "frame 1234", "key 42 true", "key 53 true", "key 53 false",
                        "key 42 false", "frame 1234", "rel 3 -2", "frame 1234", "button 272 true",
                        "frame 1234", "scroll 0 -120", "frame 1234"}));
  // The absolute device is paused until the compositor resumes it.
  (*in)->inject(ev(InputKind::kMouseAbsolute, 0, 65535, 0));
  EXPECT_TRUE(take().empty());
  EXPECT_EQ((*in)->stats().unsupported, 1u);
  push(EiApi::kDeviceResumed, &abs);
  (*in)->inject(ev(InputKind::kMouseAbsolute, 0, 65535, 65535));
  (*in)->inject(ev(InputKind::kTouch, 4, 0, 0, 0));
  (*in)->inject(ev(InputKind::kTouch, 4, 0, 0, 1));
  (*in)->inject(ev(InputKind::kTouch, 4, 0, 0, 2));
  (*in)->inject(ev(InputKind::kTouch, 9, 0, 0, 1));  // never down
  EXPECT_EQ(take(), (std::vector<std::string>{
                        "start 2", "abs 3839 1079", "frame 1234", "touch down 1920 0", "frame 1234",
                        "touch move 1920 0", "frame 1234", "touch up", "frame 1234"}));
  EXPECT_EQ(lib_.touches, 0);
  EXPECT_EQ((*in)->stats().unmapped, 1u);

  // Paused: nothing goes out; removed: released; disconnected: all dropped.
  push(EiApi::kDevicePaused, &kbd);
  (*in)->inject(ev(InputKind::kKeyUp, KEY_A));
  EXPECT_TRUE(take().empty());
  push(EiApi::kDeviceRemoved, &kbd);
  push(EiApi::kDisconnect);
  (*in)->inject(ev(InputKind::kKeyUp, KEY_A));
  EXPECT_EQ(kbd.refs, 0);
  EXPECT_EQ((*in)->stats().unsupported, 3u);
  in->reset();
  EXPECT_EQ(abs.refs, 0);
  EXPECT_EQ(take(), (std::vector<std::string>{"unref"}));
}

TEST_F(LibeiInjectorTest, NoSocketARefusalOrSilenceAreClearErrors) {
  ::unsetenv("LIBEI_SOCKET");
  auto none = LibeiInjector::open(fake_api(), "");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("LIBEI_SOCKET"), std::string::npos);
  lib_.socket_result = -111;  // ECONNREFUSED
  auto refused = LibeiInjector::open(fake_api(), "/nonexistent/eis");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("/nonexistent/eis"), std::string::npos);
  lib_.socket_result = 0;
  push(EiApi::kDisconnect);
  auto denied = LibeiInjector::open(fake_api(), "/run/eis");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code(), StatusCode::kPermissionDenied);
  auto silent = LibeiInjector::open(fake_api(), "/run/eis", std::chrono::milliseconds(50));
  ASSERT_FALSE(silent);
  EXPECT_EQ(silent.error().code(), StatusCode::kTimeout);
}

TEST(EiApiTest, LoadingSaysWhyWhenLibeiIsMissing) {
  auto api = EiApi::load();
  if (api)  // a machine with libei 1.x: every function resolved
    EXPECT_NE(api->new_sender, nullptr);
  else
    EXPECT_NE(api.error().message().find("libei.so.1"), std::string::npos);
}

}  // namespace
}  // namespace pf::host
