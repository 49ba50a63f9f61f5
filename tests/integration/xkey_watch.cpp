// SPDX-License-Identifier: MIT OR Apache-2.0
// Test helper: `pf-xkey-watch DISPLAY [RRGGBB]` opens a window covering the
// screen (filled with the colour when given: a picture unique to the display) and
// prints "keysym 0x... NAME" for every key press it receives, the way an
// application reads typed keys. Unlike xev it loads the keymap and subscribes
// to keymap changes before it prints "ready", as toolkits do at start-up; a
// client that loads its keymap lazily can miss a change made in between.
#include <X11/XKBlib.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: pf-xkey-watch DISPLAY [RRGGBB]\n");
    return 2;
  }
  Display* d = XOpenDisplay(argv[1]);
  if (!d) {
    std::fprintf(stderr, "pf-xkey-watch: cannot open display %s\n", argv[1]);
    return 1;
  }
  const unsigned mask = XkbMapNotifyMask | XkbNewKeyboardNotifyMask;
  XkbSelectEvents(d, XkbUseCoreKbd, mask, mask);
  XkbKeycodeToKeysym(d, 38, 0, 0);  // loads Xlib's keymap now, not at the first key
  const int screen = DefaultScreen(d);
  // A 24-bit TrueColor visual (Xvfb's): the pixel value is 0xRRGGBB.
  const unsigned long fill = argc == 3 ? std::strtoul(argv[2], nullptr, 16) : 0;
  Window w = XCreateSimpleWindow(d, RootWindow(d, screen), 0, 0, DisplayWidth(d, screen),
                                 DisplayHeight(d, screen), 0, 0, fill);
  XSelectInput(d, w, KeyPressMask | StructureNotifyMask);
  XMapWindow(d, w);
  for (;;) {
    XEvent e;
    XNextEvent(d, &e);
    if (e.type == MapNotify) {
      XSetInputFocus(d, w, RevertToPointerRoot, CurrentTime);
      XSync(d, False);
      std::printf("ready\n");
    } else if (e.type == MappingNotify) {
      XRefreshKeyboardMapping(&e.xmapping);
    } else if (e.type == KeyPress) {
      char text[32];
      KeySym sym = NoSymbol;
      XLookupString(&e.xkey, text, sizeof text, &sym, nullptr);
      const char* name = XKeysymToString(sym);
      std::printf("keysym 0x%lx %s\n", sym, name ? name : "NoSymbol");
    }
    std::fflush(stdout);
  }
}
