// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

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

// The strongest tone between lo_hz and hi_hz (in step_hz steps) and how
// clean it is: its power over the strongest bin more than `guard_hz` away
// (another tone mixed in, or noise). For tests that play a distinct tone
// into each session and check that each client hears only its own.
struct DominantTone {
  double hz = 0;
  double power = 0;
  double purity = 0;  // power ratio; 1000 = 30 dB
};

inline DominantTone dominant_tone(std::span<const float> mono,
                                  double sample_rate = 48000,
                                  double lo_hz = 100,
                                  double hi_hz = 2000,
                                  double step_hz = 10,
                                  double guard_hz = 50) {
  DominantTone best;
  std::vector<std::pair<double, double>> bins;
  for (double hz = lo_hz; hz <= hi_hz + 1e-9; hz += step_hz) {
    bins.emplace_back(hz, goertzel_power(mono, hz, sample_rate));
    if (bins.back().second > best.power)
      best = {hz, bins.back().second, 0};
  }
  double other = 0;
  for (const auto& [hz, p] : bins)
    if (std::abs(hz - best.hz) > guard_hz)
      other = std::max(other, p);
  best.purity = best.power / std::max(other, 1e-30);
  return best;
}

}  // namespace pf
