// SPDX-License-Identifier: MIT OR Apache-2.0
// Test helper: `pf-xtest-pointer DISPLAY X Y [RRGGBB|-] [FONT_CURSOR]` paints
// the root window of an X display one colour (unless "-"), gives it a cursor
// of the X cursor font when named (e.g. 60 = XC_hand2), moves the pointer to
// (X, Y) with XTEST as a user's mouse would, and prints the pointer's image
// as the display shows it then (XFIXES):
//   cursor WxH hot X,Y sum N
// (N: the sum of its ARGB pixels, to tell two images apart). Exit status 1
// if the display is unknown.
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/Xfixes.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: pf-xtest-pointer DISPLAY X Y [RRGGBB|-] [FONT_CURSOR]\n");
    return 2;
  }
  Display* d = XOpenDisplay(argv[1]);
  if (!d) {
    std::fprintf(stderr, "pf-xtest-pointer: cannot open display %s\n", argv[1]);
    return 1;
  }
  const Window root = DefaultRootWindow(d);
  if (argc > 4 && std::strcmp(argv[4], "-") != 0) {
    // A 24-bit TrueColor visual: the pixel value is the RGB colour itself.
    XSetWindowBackground(d, root, std::strtoul(argv[4], nullptr, 16));
    XClearWindow(d, root);
  }
  if (argc > 5)
    XDefineCursor(d, root, XCreateFontCursor(d, static_cast<unsigned>(std::atoi(argv[5]))));
  XTestFakeMotionEvent(d, -1, std::atoi(argv[2]), std::atoi(argv[3]), CurrentTime);
  XSync(d, False);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // a client may set its cursor
  if (XFixesCursorImage* c = XFixesGetCursorImage(d)) {
    unsigned long long sum = 0;
    for (int i = 0; i < c->width * c->height; ++i)
      sum += c->pixels[i] & 0xFFFFFFFFu;
    std::printf("cursor %dx%d hot %d,%d sum %llu\n", c->width, c->height, c->xhot, c->yhot, sum);
    XFree(c);
  }
  XCloseDisplay(d);
  return 0;
}
