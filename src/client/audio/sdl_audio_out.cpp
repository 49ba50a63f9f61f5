// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/audio/sdl_audio_out.h"

#include <SDL2/SDL.h>

#include <string>

#include "base/clock.h"

namespace pf::client {

namespace {
constexpr int kRate = 48000;
}  // namespace

Result<std::unique_ptr<SdlAudioOut>> SdlAudioOut::open(int channels) {
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
    return make_error(StatusCode::kUnavailable, std::string("SDL audio: ") + SDL_GetError());
  SDL_AudioSpec want{}, have{};
  want.freq = kRate;
  want.format = AUDIO_F32SYS;
  want.channels = static_cast<Uint8>(channels);
  want.samples = 240;  // 5 ms, the host's packet size
  std::unique_ptr<SdlAudioOut> a(new SdlAudioOut());
  a->channels_ = channels;
  a->device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
  if (a->device_ == 0) {
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    return make_error(StatusCode::kUnavailable, std::string("no sound output: ") + SDL_GetError());
  }
  // Paused until the jitter buffer has its target queued.
  return a;
}

SdlAudioOut::~SdlAudioOut() {
  if (device_) {
    SDL_CloseAudioDevice(device_);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
  }
}

void SdlAudioOut::play(const float* pcm, size_t frames) {
  const uint32_t bytes_per_frame = static_cast<uint32_t>(channels_) * sizeof(float);
  const size_t waiting = SDL_GetQueuedAudioSize(device_) / bytes_per_frame;
  const Playout::Decision d = playout_.on_packet(SteadyClock::instance().now_ns(), frames, waiting);
  target_ms_ = playout_.target_ms();
  underruns_ = playout_.underruns();
  if (d.pause)
    SDL_PauseAudioDevice(device_, 1);
  if (!d.queue) {
    dropped_ += frames;
    return;
  }
  if (SDL_QueueAudio(device_, pcm, static_cast<Uint32>(frames * bytes_per_frame)) == 0)
    queued_ += frames;
  if (d.start)
    SDL_PauseAudioDevice(device_, 0);
}

}  // namespace pf::client
