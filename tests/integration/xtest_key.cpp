// SPDX-License-Identifier: MIT OR Apache-2.0
// Test helper: `pf-xtest-key DISPLAY KEYSYM...` presses and releases each key
// on an X display with XTEST (what a user's keyboard would do to the client's
// window). Exit status 1 if the display or a keysym is unknown.
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>

#include <cstdio>
#include <thread>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: pf-xtest-key DISPLAY KEYSYM...\n");
    return 2;
  }
  Display* d = XOpenDisplay(argv[1]);
  if (!d) {
    std::fprintf(stderr, "pf-xtest-key: cannot open display %s\n", argv[1]);
    return 1;
  }
  for (int i = 2; i < argc; ++i) {
    const KeySym sym = XStringToKeysym(argv[i]);
    const KeyCode code = sym == NoSymbol ? 0 : XKeysymToKeycode(d, sym);
    if (!code) {
      std::fprintf(stderr, "pf-xtest-key: no key for %s\n", argv[i]);
      return 1;
    }
    XTestFakeKeyEvent(d, code, True, CurrentTime);
    XTestFakeKeyEvent(d, code, False, CurrentTime);
    XFlush(d);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  XCloseDisplay(d);
  return 0;
}
