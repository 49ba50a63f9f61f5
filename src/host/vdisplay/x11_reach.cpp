// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/vdisplay/x11_reach.h"

#include "host/capture/scaling_source.h"
#include "host/capture/x11_capture.h"
#include "host/input/xtest_injector.h"

namespace pf::host {

Result<std::unique_ptr<VideoSource>> open_x11_capture(const std::string& address,
                                                      int width,
                                                      int height) {
  auto cap = X11Capture::open(address);
  if (!cap)
    return tl::unexpected(cap.error());
  return fit_to_session(std::move(*cap), width, height);
}

Result<std::unique_ptr<InputInjector>> open_x11_input(const std::string& address) {
  auto in = XTestInjector::open(address);
  if (!in)
    return tl::unexpected(in.error());
  return std::unique_ptr<InputInjector>(std::move(*in));
}

}  // namespace pf::host
