// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string>

typedef struct _XDisplay Display;

// X connections that survive their server. Xlib's default handlers end the
// process when a connection breaks (an Xvfb that exits, is killed or is
// restarted at a new size) or when a request draws a protocol error; for a
// host serving several sessions, that would end every session. Connections
// opened here log instead: a lost one only fails its own calls (capture
// reports it, the session using it ends), and x_display_lost() says so.
// Once lost, a Display must not be passed to Xlib again (its locking is left
// inconsistent and calls can block forever): check x_display_lost() before
// using one that may have broken, and close it with close_x_display().
// Thread-safe; each Display itself is used by one thread at a time.
namespace pf::host {

// XOpenDisplay with the handlers installed; nullptr when it cannot connect.
Display* open_x_display(const std::string& name);
// XCloseDisplay; on a lost connection only its socket is closed (see
// above); nullptr is ignored.
void close_x_display(Display* dpy);
// True once the connection's server went away.
bool x_display_lost(Display* dpy);

}  // namespace pf::host
