// SPDX-License-Identifier: MIT OR Apache-2.0
// Real Mutter: the test starts a private D-Bus and PipeWire (PipeWireEnv);
// every display then starts a `mutter --headless` and a bus of its own.
#include "host/vdisplay/mutter_headless.h"

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "host/audio/pw_test_env.h"
#include "host/vdisplay/display_factory.h"
#include "host/vdisplay/mutter_display.h"

namespace pf::host {
namespace {

using std::chrono::milliseconds;

class MutterHeadlessTest : public testing::PipeWireEnv {};

bool process_gone(pid_t pid) {
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

std::filesystem::path socket_of(const MutterHeadless& m) {
  return std::filesystem::path(std::getenv("XDG_RUNTIME_DIR")) / m.wayland_display();
}

std::string value_in(const std::vector<std::string>& env, const std::string& name) {
  for (const auto& e : env)
    if (e.rfind(name + "=", 0) == 0)
      return e.substr(name.size() + 1);
  return "<unset>";
}

// One frame of the display's own size, captured the way sessions do.
void expect_a_picture(VirtualDisplay& d, int w, int h) {
  auto cap = d.open_capture(w, h, 30);
  ASSERT_TRUE(cap) << cap.error().to_string();
  YuvFrame f;
  ASSERT_TRUE((*cap)->capture(1, 0, f).is_ok());
  EXPECT_EQ(f.width, w);
  EXPECT_EQ(f.height, h);
}

TEST_F(MutterHeadlessTest, EveryDisplayHasAMutterOfItsOwnAndTakesItAlong) {
  ASSERT_TRUE(MutterHeadless::probe().available) << MutterHeadless::probe().reason;
  auto a = create_virtual_display(DisplayBackend::kMutterHeadless, {640, 480, 30});
  ASSERT_TRUE(a) << a.error().to_string();
  auto b = MutterDisplay::create_headless({800, 600, 30});
  ASSERT_TRUE(b) << b.error().to_string();
  EXPECT_EQ((*a)->backend(), "mutter-headless");
  EXPECT_NE((*a)->address(), (*b)->address());
  ASSERT_EQ((*b)->address().rfind("wayland:punktfunk-mutter-", 0), 0u) << (*b)->address();

  // Apps on it go to its own Wayland socket and bus, and to no X server.
  const auto env = (*b)->app_environment();
  const std::string socket = value_in(env, "WAYLAND_DISPLAY");
  EXPECT_EQ("wayland:" + socket, (*b)->address());
  EXPECT_TRUE(
      std::filesystem::exists(std::filesystem::path(std::getenv("XDG_RUNTIME_DIR")) / socket));
  EXPECT_EQ(value_in(env, "DISPLAY"), "");
  const std::string bus = value_in(env, "DBUS_SESSION_BUS_ADDRESS");
  EXPECT_NE(bus, std::getenv("DBUS_SESSION_BUS_ADDRESS"));
  EXPECT_TRUE(MutterDisplay::probe(bus).available);
  // The host's own bus has no Mutter: each is on its bus only.
  EXPECT_FALSE(MutterDisplay::probe().available);

  expect_a_picture(**a, 640, 480);
  expect_a_picture(**b, 800, 600);
  EXPECT_TRUE((*a)->alive());

  // Going, a display stops its Mutter and bus and leaves no socket; the other
  // one streams on.
  const std::filesystem::path b_socket =
      std::filesystem::path(std::getenv("XDG_RUNTIME_DIR")) / socket;
  b->reset();
  EXPECT_FALSE(std::filesystem::exists(b_socket));
  EXPECT_FALSE(MutterDisplay::probe(bus).available);
  EXPECT_TRUE((*a)->alive());
  expect_a_picture(**a, 640, 480);
}

TEST_F(MutterHeadlessTest, AStartedMutterIsStoppedWithItsBus) {
  auto m = MutterHeadless::start();
  ASSERT_TRUE(m) << m.error().to_string();
  const pid_t mutter = (*m)->mutter_pid();
  ASSERT_GT(mutter, 0);
  EXPECT_TRUE(std::filesystem::exists(socket_of(**m)));
  EXPECT_TRUE(MutterDisplay::probe((*m)->bus_address()).available);
  const std::string bus = (*m)->bus_address();
  m->reset();
  EXPECT_TRUE(process_gone(mutter));
  EXPECT_FALSE(MutterDisplay::probe(bus).available);
}

TEST_F(MutterHeadlessTest, ResizingKeepsItsMutterAndKillingItEndsTheDisplay) {
  auto d = MutterDisplay::create_headless({640, 480, 30});
  ASSERT_TRUE(d) << d.error().to_string();
  const std::string where = (*d)->address();
  const uint32_t node = (*d)->node_id();
  ASSERT_TRUE((*d)->resize({1024, 768, 30}).is_ok());
  EXPECT_EQ((*d)->address(), where) << "a resize must not replace the desktop";
  EXPECT_NE((*d)->node_id(), node);
  EXPECT_EQ((*d)->mode().width, 1024);
  expect_a_picture(**d, 1024, 768);

  // Its Mutter dies (crash, OOM killer): the display says so, and the
  // session on it would end.
  const std::string bus = value_in((*d)->app_environment(), "DBUS_SESSION_BUS_ADDRESS");
  ASSERT_TRUE(MutterDisplay::probe(bus).available);
  const pid_t mutter = (*d)->mutter_pid();
  ASSERT_GT(mutter, 0);
  ::kill(mutter, SIGKILL);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = !(*d)->alive();
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(gone);
  d->reset();  // after its Mutter: no hang, no crash
}

}  // namespace
}  // namespace pf::host
