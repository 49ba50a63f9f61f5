// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

// The power of one frequency in a block of samples (the Goertzel algorithm):
// how tests and the headless client tell that a 440 Hz tone came through
// intact (compare with the power at other frequencies). `channels` > 1 reads
// one channel of interleaved audio.
namespace pf {

inline double goertzel_power(std::span<const float> samples,
                             double hz,
                             double sample_rate = 48000,
                             size_t channels = 1,
                             size_t channel = 0) {
  double s1 = 0, s2 = 0;
  const double k = 2 * std::cos(2 * M_PI * hz / sample_rate);
  for (size_t i = channel; i < samples.size(); i += channels) {
    const double s0 = samples[i] + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

}  // namespace pf
