// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/audio/sdl_mic.h"

#include <SDL2/SDL.h>

#include <fmt/format.h>

#include "base/clock.h"

namespace pf::client {

Result<std::unique_ptr<SdlMic>> SdlMic::open(const std::string& device, MicEncoder::Send send) {
  if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
    return make_error(StatusCode::kUnavailable, fmt::format("SDL audio: {}", SDL_GetError()));
  std::unique_ptr<SdlMic> m(new SdlMic());
  auto enc = MicEncoder::create(std::move(send));
  if (!enc)
    return tl::unexpected(enc.error());
  m->enc_ = std::move(*enc);
  m->pending_.reserve(MicEncoder::kFrame);
  SDL_AudioSpec want{}, have{};
  want.freq = 48000;
  want.format = AUDIO_F32SYS;
  want.channels = 1;
  want.samples = MicEncoder::kFrame;  // 10 ms per callback
  want.callback = &SdlMic::callback;
  want.userdata = m.get();
  // SDL converts whatever the device does to exactly this format.
  m->dev_ = SDL_OpenAudioDevice(device.empty() ? nullptr : device.c_str(), /*iscapture=*/1, &want,
                                &have, 0);
  if (m->dev_ == 0)
    return make_error(StatusCode::kUnavailable,
                      fmt::format("no microphone{}: {}",
                                  device.empty() ? "" : " named '" + device + "'", SDL_GetError()));
  m->name_ = device.empty() ? std::string("the default capture device") : device;
  SDL_PauseAudioDevice(m->dev_, 0);
  return m;
}

SdlMic::~SdlMic() {
  if (dev_)
    SDL_CloseAudioDevice(dev_);  // waits for the callback to return
}

void SdlMic::callback(void* self, uint8_t* stream, int len) {
  static_cast<SdlMic*>(self)->on_audio(reinterpret_cast<const float*>(stream),
                                       static_cast<size_t>(len) / sizeof(float));
}

void SdlMic::on_audio(const float* samples, size_t n) {
  // The last sample of this buffer was captured about now.
  const int64_t now = SteadyClock::instance().now_ns();
  for (size_t i = 0; i < n;) {
    const size_t take = std::min(n - i, MicEncoder::kFrame - pending_.size());
    pending_.insert(pending_.end(), samples + i, samples + i + take);
    i += take;
    if (pending_.size() < MicEncoder::kFrame)
      break;
    // Samples after this frame's first one, still to come in this buffer.
    const size_t after_first = MicEncoder::kFrame - 1 + (n - i);
    const int64_t first_ns = now - static_cast<int64_t>(after_first) * 1'000'000'000 / 48000;
    if (enc_->encode(
            std::span<const float, MicEncoder::kFrame>(pending_.data(), MicEncoder::kFrame),
            first_ns))
      ++packets_;
    pending_.clear();
  }
}

}  // namespace pf::client
