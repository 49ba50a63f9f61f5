// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/thread_priority.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <thread>

namespace pf {
namespace {

TEST(ThreadPriorityTest, RaisesOnlyTheCallingThreadWhereAllowed) {
  const int before = thread_nice();
  rlimit rl{};
  ::getrlimit(RLIMIT_NICE, &rl);
  // Allowed to go to -10: root (CAP_SYS_NICE) or RLIMIT_NICE >= 30.
  const bool allowed = ::geteuid() == 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 30;
  int inside = 0;
  bool ok = false;
  std::thread t([&] {
    ok = raise_thread_priority(-10);
    inside = thread_nice();
  });
  t.join();
  EXPECT_EQ(ok, allowed);
  EXPECT_EQ(inside, ok ? -10 : before);
  EXPECT_EQ(thread_nice(), before);  // the other threads keep theirs
}

}  // namespace
}  // namespace pf
