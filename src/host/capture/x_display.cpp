// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/capture/x_display.h"

#include <unistd.h>

#include <mutex>
#include <set>

#include "base/log.h"

// Last: Xlib's macros (Status, None, Bool) clash with the headers above.
#include <X11/Xlib.h>

namespace pf::host {

namespace {

std::mutex g_mu;
std::set<Display*> g_lost;  // connections whose server went away

int on_io_error(Display* dpy) {
  log_warn("X: the connection to display {} is lost (server gone)", DisplayString(dpy));
  return 0;
}

// Called after on_io_error; returning (instead of exit()) leaves the
// connection unusable but the process running.
void on_io_error_exit(Display* dpy, void*) {
  std::lock_guard lock(g_mu);
  g_lost.insert(dpy);
}

void forget_lost(Display* dpy) {
  std::lock_guard lock(g_mu);
  g_lost.erase(dpy);
}

int on_protocol_error(Display* dpy, XErrorEvent* e) {
  char text[128] = {};
  XGetErrorText(dpy, e->error_code, text, sizeof text);
  log_debug("X: display {}: {} (request {}.{})", DisplayString(dpy), text, e->request_code,
            e->minor_code);
  return 0;
}

}  // namespace

Display* open_x_display(const std::string& name) {
  static std::once_flag once;
  std::call_once(once, [] {
    XSetIOErrorHandler(on_io_error);
    XSetErrorHandler(on_protocol_error);
  });
  Display* dpy = XOpenDisplay(name.c_str());
  if (dpy) {
    forget_lost(dpy);  // a new connection, whatever was at this address before
    XSetIOErrorExitHandler(dpy, on_io_error_exit, nullptr);
  }
  return dpy;
}

void close_x_display(Display* dpy) {
  if (!dpy)
    return;
  {
    std::lock_guard lock(g_mu);
    if (g_lost.erase(dpy) > 0) {
      // After an I/O error Xlib's locking is left inconsistent: any call into
      // it, XCloseDisplay included, can block forever (seen here in
      // XShmDetach). Close the socket and leave the Display's memory, a few
      // kilobytes per lost server, to the process.
      ::close(ConnectionNumber(dpy));
      return;
    }
  }
  XCloseDisplay(dpy);
  // A server that died unnoticed makes XCloseDisplay itself meet the I/O
  // error: the handler marks the connection lost just before its memory is
  // freed — and the next XOpenDisplay may get the same address (a new
  // session's capture then failed at once with "the X server is gone";
  // integration.faults, the display servers killed).
  forget_lost(dpy);
}

bool x_display_lost(Display* dpy) {
  std::lock_guard lock(g_mu);
  return g_lost.count(dpy) > 0;
}

}  // namespace pf::host
