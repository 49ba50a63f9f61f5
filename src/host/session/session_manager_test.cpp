// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/session/session_manager.h"

#include <atomic>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "host/session/fake_display.h"

namespace pf::host {
namespace {

using testing::FakeDisplayWorld;

constexpr int64_t kSecond = 1'000'000'000;

struct Fixture {
  FakeDisplayWorld world;
  FakeClock clock{1000 * kSecond};
  std::atomic<uint32_t> next_id{0x100};
  std::mutex ends_mu;
  std::vector<std::pair<uint32_t, std::string>> ends;
  std::unique_ptr<SessionManager> m;

  explicit Fixture(size_t max = 4, int64_t linger = 120 * kSecond) {
    m = std::make_unique<SessionManager>(SessionLimits{max, linger},
                                         testing::fake_display_factory(world), nullptr, clock,
                                         [this] { return next_id++; });
    m->set_on_end([this](Session& s, const std::string& why) {
      std::lock_guard lock(ends_mu);
      ends.emplace_back(s.id(), why);
    });
  }
  static SessionRequest request(const std::string& key, int w = 640, int h = 480) {
    SessionRequest r;
    r.client_key = key;
    r.client_name = key;
    r.mode = {w, h, 30};
    return r;
  }
};

proto::native::InputDatagram key(uint32_t code) {
  proto::native::InputDatagram e{};
  e.kind = static_cast<uint8_t>(proto::native::InputKind::kKeyDown);
  e.code = code;
  return e;
}

TEST(SessionManagerTest, EachSessionGetsItsOwnDisplayAndInput) {
  Fixture f;
  auto a = f.m->open(Fixture::request("a", 640, 480));
  auto b = f.m->open(Fixture::request("b", 800, 600));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(f.world.alive_displays, 2);
  EXPECT_NE((*a)->display_address(), (*b)->display_address());
  EXPECT_EQ((*b)->mode().width, 800);
  (*a)->inject(key(30));
  (*b)->inject(key(48));
  ASSERT_EQ(f.world.injected.size(), 2u);
  EXPECT_EQ(f.world.injected[0], std::make_pair((*a)->display_address(), 30u));
  EXPECT_EQ(f.world.injected[1], std::make_pair((*b)->display_address(), 48u));
  // A resume at another mode changes only that session's display.
  ASSERT_TRUE((*a)->change_mode({1024, 768, 30}).is_ok());
  EXPECT_EQ((*a)->mode().width, 1024);
  EXPECT_EQ((*b)->mode().width, 800);
  EXPECT_EQ(f.world.resizes, 1);
  EXPECT_NE((*a)->audio_sink(), (*b)->audio_sink());
  EXPECT_EQ(f.m->find_client(Protocol::kPunktfunk, "b"), *b);
  EXPECT_EQ(f.m->find_client(Protocol::kGameStream, "b"), nullptr);
}

TEST(SessionManagerTest, OneMoreThanTheLimitIsToldTheHostIsBusy) {
  Fixture f(2);
  auto a = f.m->open(Fixture::request("a"));
  auto b = f.m->open(Fixture::request("b"));
  auto c = f.m->open(Fixture::request("c"));
  ASSERT_TRUE(a && b);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(c.error().message().find("host busy"), std::string::npos);
  EXPECT_EQ(f.world.alive_displays, 2) << "no display made for the refused one";
  ASSERT_TRUE(f.m->end((*a)->id(), "done"));
  EXPECT_TRUE(f.m->open(Fixture::request("c")));
}

TEST(SessionManagerTest, EndingReleasesTheDisplayWithTheLastReference) {
  Fixture f;
  auto a = f.m->open(Fixture::request("a"));
  ASSERT_TRUE(a);
  CaptureOpener cap = (*a)->capture();
  const uint32_t id = (*a)->id();
  a->reset();
  EXPECT_TRUE(f.m->end(id, "the administrator ended it"));
  EXPECT_FALSE(f.m->end(id, "again"));
  ASSERT_EQ(f.ends.size(), 1u);
  EXPECT_EQ(f.ends[0].second, "the administrator ended it");
  EXPECT_EQ(f.world.alive_displays, 1) << "a stream's capture opener still holds it";
  cap = nullptr;
  EXPECT_EQ(f.world.alive_displays, 0);
  EXPECT_EQ(f.m->size(), 0u);
}

TEST(SessionManagerTest, ADetachedSessionLingersThenIsReaped) {
  Fixture f(4, 120 * kSecond);
  auto a = f.m->open(Fixture::request("a"));
  auto b = f.m->open(Fixture::request("b"));
  ASSERT_TRUE(a && b);
  f.m->set_streaming((*a)->id(), true);
  f.m->set_streaming((*b)->id(), true);
  f.clock.advance_ns(10 * kSecond);
  f.m->set_streaming((*a)->id(), false);  // a's client vanished
  f.clock.advance_ns(119 * kSecond);
  EXPECT_EQ(f.m->reap(), 0u);
  f.clock.advance_ns(2 * kSecond);
  EXPECT_EQ(f.m->reap(), 1u);
  ASSERT_EQ(f.ends.size(), 1u);
  EXPECT_EQ(f.ends[0].first, (*a)->id());
  EXPECT_NE(f.ends[0].second.find("did not come back within 120 s"), std::string::npos);
  EXPECT_EQ(f.m->find((*b)->id()), *b) << "the streaming one stays";
  // A session never attached lingers from its start.
  f.clock.advance_ns(200 * kSecond);
  auto c = f.m->open(Fixture::request("c"));
  f.clock.advance_ns(121 * kSecond);
  EXPECT_EQ(f.m->reap(), 1u);
  EXPECT_EQ(f.m->find((*c)->id()), nullptr);
}

// Each session holds a sink of its own from its start to its end, lingering
// included (its app keeps playing into it, not into someone else's).
TEST(SessionManagerTest, ASessionsSinkLivesAsLongAsTheSession) {
  std::mutex mu;                // before the fixture: its sessions' sinks outlive the test body
  std::set<std::string> sinks;  // alive
  Fixture f(4, 10 * kSecond);
  struct Sink : SessionSink {
    std::mutex& mu;
    std::set<std::string>& alive;
    std::string name;
    Sink(std::mutex& m, std::set<std::string>& a, std::string n) : mu(m), alive(a), name(n) {
      std::lock_guard lock(mu);
      alive.insert(name);
    }
    ~Sink() override {
      std::lock_guard lock(mu);
      alive.erase(name);
    }
  };
  std::vector<int> channels;
  f.m->set_sink_factory([&](const std::string& name, int ch) {
    channels.push_back(ch);
    return std::make_unique<Sink>(mu, sinks, name);
  });
  auto r = Fixture::request("a");
  r.audio_channels = 6;
  auto a = f.m->open(r);
  auto b = f.m->open(Fixture::request("b"));
  ASSERT_TRUE(a && b);
  EXPECT_TRUE((*a)->owns_sink());
  EXPECT_EQ(sinks, (std::set<std::string>{(*a)->audio_sink(), (*b)->audio_sink()}));
  EXPECT_EQ(channels, (std::vector<int>{6, 2}));
  f.m->set_streaming((*a)->id(), true);
  f.m->set_streaming((*a)->id(), false);  // lingering: the sink stays
  f.clock.advance_ns(5 * kSecond);
  f.m->reap();
  EXPECT_EQ(sinks.count((*a)->audio_sink()), 1u);
  const std::string sink_a = (*a)->audio_sink();
  f.clock.advance_ns(6 * kSecond);
  a->reset();  // the last reference
  f.m->set_streaming((*b)->id(), true);
  EXPECT_EQ(f.m->reap(), 1u);
  EXPECT_EQ(sinks, std::set<std::string>{(*b)->audio_sink()}) << sink_a << " is gone";
  // Without a sink factory (no PipeWire), sessions hold none.
  f.m->set_sink_factory(nullptr);
  auto c = f.m->open(Fixture::request("c"));
  ASSERT_TRUE(c);
  EXPECT_FALSE((*c)->owns_sink());
}

// With no linger at all, a session being set up is not "left": its client
// gets the setup grace to start streaming; once it streamed and left, it ends
// at once.
TEST(SessionManagerTest, ASessionBeingSetUpIsNotReapedEvenWithoutLinger) {
  Fixture f(4, 0);
  auto a = f.m->open(Fixture::request("a"));
  ASSERT_TRUE(a);
  EXPECT_EQ(f.m->reap(), 0u);
  f.clock.advance_ns(SessionManager::kSetupGraceNs - kSecond);
  EXPECT_EQ(f.m->reap(), 0u) << "ended before its client could start streaming";
  f.m->set_streaming((*a)->id(), true);
  f.clock.advance_ns(60 * kSecond);
  EXPECT_EQ(f.m->reap(), 0u);
  f.m->set_streaming((*a)->id(), false);
  EXPECT_EQ(f.m->reap(), 1u);
  // One that never starts is ended after the grace.
  auto b = f.m->open(Fixture::request("b"));
  ASSERT_TRUE(b);
  f.clock.advance_ns(SessionManager::kSetupGraceNs + kSecond);
  EXPECT_EQ(f.m->reap(), 1u);
}

TEST(SessionManagerTest, AResumeWithinTheLingerKeepsTheSession) {
  Fixture f;
  auto a = f.m->open(Fixture::request("a"));
  f.m->set_streaming((*a)->id(), true);
  f.m->set_streaming((*a)->id(), false);
  f.clock.advance_ns(100 * kSecond);
  f.m->set_streaming((*a)->id(), true);  // resumed
  f.clock.advance_ns(100 * kSecond);
  EXPECT_EQ(f.m->reap(), 0u);
}

TEST(SessionManagerTest, ADeadDisplayEndsOnlyItsSession) {
  Fixture f;
  auto a = f.m->open(Fixture::request("a"));
  auto b = f.m->open(Fixture::request("b"));
  ASSERT_TRUE(a && b);
  f.m->set_streaming((*a)->id(), true);
  f.m->set_streaming((*b)->id(), true);
  f.world.kill((*a)->display_address());
  EXPECT_EQ(f.m->reap(), 1u);
  ASSERT_EQ(f.ends.size(), 1u);
  EXPECT_EQ(f.ends[0].first, (*a)->id());
  EXPECT_EQ(f.ends[0].second, "its display server is gone");
  EXPECT_EQ(f.m->find((*b)->id()), *b);
}

TEST(SessionManagerTest, AFailedDisplayFreesThePlace) {
  Fixture f(1);
  f.world.fail_create = true;
  auto a = f.m->open(Fixture::request("a"));
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().message(), "no display today");
  f.world.fail_create = false;
  EXPECT_TRUE(f.m->open(Fixture::request("a")));
}

// Many threads opening, injecting, resizing, ending and reaping at once (run
// under the tsan preset): the limit holds at every moment, nothing leaks.
TEST(SessionManagerTest, ConcurrentOpenAndEndKeepTheLimit) {
  Fixture f(3, 1);
  std::atomic<int> over{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      for (int i = 0; i < 200; ++i) {
        auto s = f.m->open(Fixture::request("c" + std::to_string(t)));
        if (f.m->size() > 3)
          ++over;
        if (!s)
          continue;
        (*s)->inject(key(static_cast<uint32_t>(i)));
        if (rng() % 3 == 0)
          (void)(*s)->change_mode({320 + static_cast<int>(rng() % 4) * 16, 240, 30});
        if (rng() % 2)
          f.m->end((*s)->id(), "done");
        else
          f.m->reap();
      }
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(over, 0);
  f.m->end_all("test over");
  EXPECT_EQ(f.m->size(), 0u);
  EXPECT_EQ(f.world.alive_displays, 0);
}

}  // namespace
}  // namespace pf::host
