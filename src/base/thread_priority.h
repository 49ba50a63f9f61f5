// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

namespace pf {

// Gives the calling thread the nice level `nice` (Linux keeps one per thread;
// lower runs sooner, -20..19), for threads whose work is late when a busy
// machine makes them wait: the QUIC thread that carries input and the
// microphone. Allowed as root, with CAP_SYS_NICE or with RLIMIT_NICE; false
// (and the thread unchanged) otherwise.
bool raise_thread_priority(int nice);

// The calling thread's nice level.
int thread_nice();

}  // namespace pf
