// SPDX-License-Identifier: MIT OR Apache-2.0
// Desktop audio to a punktfunk/1 client, with a real PipeWire the test
// starts: the session's NativeAudioStreamer creates the "punktfunk-speakers"
// sink and captures its monitor, pw-play plays a 440 Hz tone into it, and
// the client's Opus decode (HeadlessAudio) must hear the tone.
#include <signal.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "client/app/headless_audio.h"
#include "host/audio/pw_test_env.h"
#include "host/native/audio_streamer.h"
#include "host/native/native_test_support.h"

namespace pf::host::native {
namespace {

using namespace std::chrono_literals;

class NativeDesktopAudioTest : public host::testing::PipeWireEnv,
                               public ::testing::WithParamInterface<int> {};

TEST_P(NativeDesktopAudioTest, ATonePlayedIntoTheSinkReachesTheClient) {
  const int channels = GetParam();  // stereo, and 5.1 (multistream)
  testing::Host h;
  h.svc.reset();
  std::mutex mu;
  std::unique_ptr<NativeAudioStreamer> streamer;
  NativeServiceOptions o;
  o.bind = net::Address::loopback_v4(0);
  o.state_dir = h.dir;
  o.caps.codec_preference = {pn::kCodecH264};
  SessionHooks hooks;
  hooks.on_session_start = [&](const SessionStart& st) -> Result<uint16_t> {
    auto s = NativeAudioStreamer::start(st.session_id, st.hello.audio_channels, /*desktop=*/true,
                                        st.send_datagram);
    if (!s)
      return tl::unexpected(s.error());
    std::lock_guard l(mu);
    streamer = std::move(*s);
    return uint16_t{0};
  };
  auto svc = NativeService::start(o, hooks);
  ASSERT_TRUE(svc);
  h.svc = std::move(*svc);

  auto audio = client::HeadlessAudio::create(channels);
  ASSERT_TRUE(audio);
  testing::Client c;
  ASSERT_NO_FATAL_FAILURE(c.pair(h));
  client::NativeClientEvents ev;
  ev.on_audio = [a = audio->get()](const pn::AudioDatagram& d) { a->on_audio(d); };
  auto conn = c.connect(h, h.svc->fingerprint(), ev);
  ASSERT_TRUE(conn);
  auto hello = testing::hello();
  hello.audio_channels = static_cast<uint8_t>(channels);
  ASSERT_TRUE((*conn)->start_session(hello));
  ASSERT_TRUE(testing::eventually([] {
    return std::system("pw-cli ls Node 2>/dev/null | grep -q 'punktfunk-speakers'") == 0;
  }));
  const auto wav = dir_ / "tone.wav";
  ASSERT_EQ(std::system(("sox -n -r 48000 -c 2 -b 16 " + wav.string() +
                         " synth 4 sine 440 vol 0.5 >/dev/null 2>&1")
                            .c_str()),
            0);
  const pid_t play =
      host::testing::spawn_quiet({"pw-play", "--target", "punktfunk-speakers", wav.string()});
  std::this_thread::sleep_for(3500ms);
  ::kill(play, SIGTERM);
  ::waitpid(play, nullptr, 0);
  const auto r = (*audio)->report();
  std::printf(
      "client (%d channels): %lu packets, RMS %.3f, 440 Hz %.0fx the strongest of "
      "1/2/5 kHz\n",
      channels, static_cast<unsigned long>(r.packets), r.rms, r.tone_ratio);
  {
    std::lock_guard l(mu);
    ASSERT_TRUE(streamer);
    EXPECT_TRUE(streamer->stats().desktop);
  }
  EXPECT_GT(r.packets, 400u);  // 5 ms packets for more than 2 s
  EXPECT_GT(r.tone_ratio, 1000);
  EXPECT_GT(r.rms, 0.05);
  conn->reset();
  std::lock_guard l(mu);
  streamer.reset();
}

INSTANTIATE_TEST_SUITE_P(Layouts, NativeDesktopAudioTest, ::testing::Values(2, 6));

}  // namespace
}  // namespace pf::host::native
