// SPDX-License-Identifier: MIT OR Apache-2.0
// Test helper: `pf-xtest-pointer DISPLAY X Y [RRGGBB]` paints the root window
// of an X display one colour (when given) and moves the pointer to (X, Y) with
// XTEST, as a user's mouse would. Exit status 1 if the display is unknown.
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: pf-xtest-pointer DISPLAY X Y [RRGGBB]\n");
    return 2;
  }
  Display* d = XOpenDisplay(argv[1]);
  if (!d) {
    std::fprintf(stderr, "pf-xtest-pointer: cannot open display %s\n", argv[1]);
    return 1;
  }
  const Window root = DefaultRootWindow(d);
  if (argc > 4) {
    // A 24-bit TrueColor visual: the pixel value is the RGB colour itself.
    XSetWindowBackground(d, root, std::strtoul(argv[4], nullptr, 16));
    XClearWindow(d, root);
  }
  XTestFakeMotionEvent(d, -1, std::atoi(argv[2]), std::atoi(argv[3]), CurrentTime);
  XSync(d, False);
  XCloseDisplay(d);
  return 0;
}
