// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <array>
#include <cstdint>

// HDR pictures (BT.2020, PQ) shown on an SDR display: a luma tone map. The
// decoder brings HDR pictures to 8-bit 4:2:0 like any other (their samples
// still PQ-coded) and then maps each luma sample through a table: PQ's EOTF to
// cd/m2, relative to SDR white (203 cd/m2, ITU-R BT.2408), an extended
// Reinhard curve that leaves the dark and mid tones nearly as they are and
// brings the mastering display's peak to 1.0, then the BT.709 transfer (a
// 2.4 power) back to limited-range 8-bit luma. Chroma is left as it is and there is no gamut
// mapping: BT.2020 colours show somewhat less saturated than on an HDR display. Cheap (one lookup
// per sample), for a reference client's window, not a grading tool. Thread model: free functions.
namespace pf::client {

// The table for pictures mastered to `peak_nits` (0: 1000 cd/m2).
std::array<uint8_t, 256> pq_to_sdr_luma_table(int peak_nits);

// Maps a limited-range 8-bit PQ luma plane in place.
void tone_map_luma(const std::array<uint8_t, 256>& table,
                   uint8_t* luma,
                   int stride,
                   int width,
                   int height);

// PQ's EOTF: a limited-range 8-bit code to cd/m2 (ST 2084).
double pq_code_to_nits(int code8);

}  // namespace pf::client
