// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

// A private PipeWire for one test: its own XDG_RUNTIME_DIR, session D-Bus,
// pipewire and wireplumber, started in SetUp and stopped in TearDown.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/goertzel.h"

extern char** environ;

namespace pf::host::testing {

inline pid_t spawn_quiet(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

class PipeWireEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pf-pw-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    ::setenv("XDG_RUNTIME_DIR", dir_.c_str(), 1);
    // WirePlumber keeps state (default nodes) there: keep it inside the test.
    ::setenv("XDG_STATE_HOME", (dir_ / "state").c_str(), 1);
    // With exact_quantum_, the quantum a consumer asks for
    // (PIPEWIRE_QUANTUM=480/48000) is the graph's real one: Debian's defaults
    // round it to a power of two and cap it at 2048.
    const auto conf = dir_ / "config" / "pipewire" / "pipewire.conf.d";
    std::filesystem::create_directories(conf);
    if (exact_quantum_) {
      FILE* f = std::fopen((conf / "10-punktfunk-test.conf").c_str(), "w");
      ASSERT_NE(f, nullptr);
      std::fputs(
          "context.properties = {\n"
          "  clock.power-of-two-quantum = false\n"
          "  default.clock.min-quantum = 16\n"
          "  default.clock.max-quantum = 8192\n"
          "}\n",
          f);
      std::fclose(f);
    }
    ::setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);
    FILE* p = popen("dbus-daemon --session --fork --print-address=1 --print-pid=1", "r");
    ASSERT_NE(p, nullptr);
    char addr[512] = {}, pid[64] = {};
    ASSERT_TRUE(fgets(addr, sizeof addr, p));
    ASSERT_TRUE(fgets(pid, sizeof pid, p));
    pclose(p);
    addr[strcspn(addr, "\n")] = 0;
    dbus_pid_ = std::atoi(pid);
    ::setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1);
    pipewire_ = spawn_quiet({"pipewire"});
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    wireplumber_ = spawn_quiet({"wireplumber"});
    for (int i = 0; i < 50; ++i) {
      if (std::system("pw-cli info 0 >/dev/null 2>&1") == 0)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "pipewire did not come up";
  }
  // Kills pipewire and wireplumber and starts them again (the test's
  // "PipeWire restarted under us").
  void restart_pipewire() {
    for (pid_t* p : {&wireplumber_, &pipewire_})
      if (*p > 0) {
        ::kill(*p, SIGKILL);
        ::waitpid(*p, nullptr, 0);
        *p = -1;
      }
    pipewire_ = spawn_quiet({"pipewire"});
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    wireplumber_ = spawn_quiet({"wireplumber"});
    for (int i = 0; i < 50; ++i) {
      if (std::system("pw-cli info 0 >/dev/null 2>&1") == 0)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "pipewire did not come back";
  }

  void TearDown() override {
    for (pid_t p : {wireplumber_, pipewire_})
      if (p > 0) {
        ::kill(p, SIGTERM);
        ::waitpid(p, nullptr, 0);
      }
    if (dbus_pid_ > 0)
      ::kill(dbus_pid_, SIGTERM);
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  pid_t pipewire_ = -1, wireplumber_ = -1, dbus_pid_ = -1;
  bool exact_quantum_ = false;  // set before SetUp: quanta as asked, up to 8192
};

// What a recording of a 440 Hz sine looks like.
struct ToneAnalysis {
  size_t samples = 0, windows = 0, silent_windows = 0;  // 10 ms windows, all zero
  double rms = 0;
  double worst_ratio = 0;  // power at 440 Hz over the strongest of 1, 2 and 5 kHz
  // Steps between neighbouring samples that a 0.25 sine at 440 Hz cannot
  // make (its steepest is 0.0144; Opus adds a little): gaps, cuts, clicks.
  size_t discontinuities = 0;
  double silent_ms = 0, longest_silence_ms = 0;  // runs of zeros of 1 ms or more
  std::vector<size_t> glitch_at;  // where: each discontinuity, each silent run's start
};

// Glitch events of `a` with none of `ref`'s glitches within `window_ms`: when
// both are channels of one recording (record_pair), the events of a's own
// source — the recorder's and the graph's show on both channels. Glitches
// within `window_ms` of an event's first are that event (a missed cycle is a
// jump into silence, the silent run and a jump out of it).
inline size_t own_glitches(const ToneAnalysis& a, const ToneAnalysis& ref, double window_ms = 20) {
  const auto window = static_cast<size_t>(window_ms * 48);
  std::vector<size_t> at = a.glitch_at;
  std::sort(at.begin(), at.end());
  const auto near_ref = [&](size_t p) {
    return std::any_of(ref.glitch_at.begin(), ref.glitch_at.end(),
                       [&](size_t r) { return (p > r ? p - r : r - p) <= window; });
  };
  size_t own = 0;
  for (size_t i = 0; i < at.size();) {
    const size_t first = at[i];
    bool shared = false;
    for (; i < at.size() && at[i] <= first + window; ++i)
      shared = shared || near_ref(at[i]);
    own += !shared;
  }
  return own;
}

// Discontinuities and silent runs of a recording of the 0.25 sine.
inline void find_glitches(const std::vector<float>& pcm, ToneAnalysis& a) {
  constexpr float kStep = 0.05f;
  constexpr size_t kMinRun = 48;  // 1 ms
  size_t run = 0, i = 0;
  auto end_run = [&] {
    if (run >= kMinRun) {
      a.glitch_at.push_back(i - run);
      a.silent_ms += run / 48.0;
      a.longest_silence_ms = std::max(a.longest_silence_ms, run / 48.0);
    }
    run = 0;
  };
  for (; i < pcm.size(); ++i) {
    if (i > 0 && std::fabs(pcm[i] - pcm[i - 1]) > kStep) {
      ++a.discontinuities;
      a.glitch_at.push_back(i);
      if (std::getenv("PF_TEST_SHOW_GLITCHES"))
        std::printf("discontinuity at %.4f s: %.4f -> %.4f\n", i / 48000.0, pcm[i - 1], pcm[i]);
    }
    if (pcm[i] == 0.0f)
      ++run;
    else
      end_run();
  }
  end_run();
}

// The samples of a float WAV file (interleaved), converted through `raw`;
// empty when it cannot be read.
inline std::vector<float> read_wav_samples(const std::filesystem::path& wav,
                                           const std::filesystem::path& raw) {
  std::vector<float> pcm;
  if (std::system(("sox " + wav.string() + " -t f32 " + raw.string() + " 2>/dev/null").c_str()) !=
      0)
    return pcm;
  FILE* f = std::fopen(raw.c_str(), "rbe");
  if (!f)
    return pcm;
  float buf[4096];
  size_t n;
  while ((n = std::fread(buf, sizeof(float), 4096, f)) > 0)
    pcm.insert(pcm.end(), buf, buf + n);
  std::fclose(f);
  return pcm;
}

// Records `seconds` (fractions allowed) of the source `node` with pw-record
// at a consumer quantum (frames at 48 kHz) into `dir`; the mono samples.
inline std::vector<float> record_source(const std::filesystem::path& dir,
                                        const std::string& node,
                                        int quantum,
                                        double seconds,
                                        const std::string& name = "rec") {
  const auto wav = dir / (name + ".wav"), raw = dir / (name + ".raw");
  const std::string record =
      "PIPEWIRE_CONFIG_NAME=client-rt.conf PIPEWIRE_QUANTUM=" + std::to_string(quantum) +
      "/48000 timeout -s INT " + std::to_string(seconds) + " pw-record --target " + node +
      " --rate 48000 --channels 1 --format f32 " + wav.string() + " >/dev/null 2>&1";
  (void)std::system(record.c_str());
  return read_wav_samples(wav, raw);
}

// Records `seconds` of two source nodes at once with one pw-record at a
// consumer quantum, `left` on the left channel and `right` on the right (the
// recorder does not connect itself; pw-link links each node's first output
// port). A glitch of the recorder or of the graph shows on both channels
// alike, one of a source on its own channel only. Leading frames before both
// links carry sound are dropped. The two channels' samples.
inline std::pair<std::vector<float>, std::vector<float>> record_pair(
    const std::filesystem::path& dir,
    const std::string& left,
    const std::string& right,
    int quantum,
    double seconds,
    const std::string& name = "pair") {
  const std::string rec_node = "pf-test-" + name;
  const auto wav = dir / (name + ".wav"), raw = dir / (name + ".raw");
  const std::string record =
      "PIPEWIRE_CONFIG_NAME=client-rt.conf PIPEWIRE_QUANTUM=" + std::to_string(quantum) +
      "/48000 timeout -s INT " + std::to_string(seconds) +
      " pw-record -P '{ node.name = " + rec_node +
      " node.autoconnect = false }' --rate 48000 --channels 2 --format f32 " + wav.string() +
      " >/dev/null 2>&1";
  std::thread linker([&] {
    const std::string has_inputs = "pw-link -i 2>/dev/null | grep -q '^" + rec_node + ":input_FR$'";
    for (int i = 0; i < 300 && std::system(has_inputs.c_str()) != 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (const auto& [node, port] : {std::pair{left, "input_FL"}, std::pair{right, "input_FR"}}) {
      const std::string link = "pw-link \"$(pw-link -o | grep -m1 '^" + node + ":')\" '" +
                               rec_node + ":" + port + "' >/dev/null 2>&1";
      (void)std::system(link.c_str());
    }
  });
  (void)std::system(record.c_str());
  linker.join();
  const std::vector<float> pcm = read_wav_samples(wav, raw);
  std::pair<std::vector<float>, std::vector<float>> out;
  bool started = false;
  for (size_t i = 0; i + 1 < pcm.size(); i += 2) {
    started = started || (pcm[i] != 0.0f && pcm[i + 1] != 0.0f);
    if (!started)
      continue;
    out.first.push_back(pcm[i]);
    out.second.push_back(pcm[i + 1]);
  }
  return out;
}

// A recording of the 0.25 sine at 440 Hz, analysed after skipping `skip_ms`.
inline ToneAnalysis analyse_tone(const std::vector<float>& pcm, int skip_ms = 300) {
  ToneAnalysis a;
  const size_t skip = static_cast<size_t>(skip_ms) * 48;
  if (pcm.size() <= skip + 480)
    return a;
  std::vector<float> body(pcm.begin() + static_cast<long>(skip), pcm.end());
  a.samples = body.size();
  double other = 0;
  for (double hz : {1000.0, 2000.0, 5000.0})
    other = std::max(other, goertzel_power(body, hz));
  a.worst_ratio = goertzel_power(body, 440) / std::max(other, 1e-30);
  double sum = 0;
  for (size_t w = 0; w + 480 <= body.size(); w += 480, ++a.windows) {
    bool zero = true;
    for (size_t i = w; i < w + 480; ++i) {
      zero = zero && body[i] == 0.0f;
      sum += double{body[i]} * body[i];
    }
    a.silent_windows += zero;
  }
  a.rms = std::sqrt(sum / static_cast<double>(a.windows * 480));
  find_glitches(body, a);
  return a;
}

// Records `seconds` of the source `node` with pw-record at a consumer quantum
// (frames at 48 kHz) into `dir`, and analyses it after skipping `skip_ms`.
inline ToneAnalysis record_and_analyse(const std::filesystem::path& dir,
                                       const std::string& node,
                                       int quantum,
                                       int seconds,
                                       int skip_ms = 300) {
  return analyse_tone(record_source(dir, node, quantum, seconds), skip_ms);
}

}  // namespace pf::host::testing
