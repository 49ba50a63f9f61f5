// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/audio/sdl_audio_out.h"

#include <SDL2/SDL.h>

#include <string>

namespace pf::client {

namespace {
constexpr int kRate = 48000;
constexpr uint32_t kMaxBacklogMs = 60;
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
  SDL_PauseAudioDevice(a->device_, 0);
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
  if (SDL_GetQueuedAudioSize(device_) > kRate / 1000 * kMaxBacklogMs * bytes_per_frame) {
    dropped_ += frames;
    return;
  }
  if (SDL_QueueAudio(device_, pcm, static_cast<Uint32>(frames * bytes_per_frame)) == 0)
    queued_ += frames;
}

}  // namespace pf::client
