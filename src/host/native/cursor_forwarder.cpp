// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/native/cursor_forwarder.h"

#include <algorithm>
#include <array>

#include "proto/native/control.h"
#include "proto/native/datagrams.h"

namespace pf::host::native {

namespace pn = pf::proto::native;

void CursorForwarder::on_frame(uint32_t frame_index, const FrameCursor& cursor) {
  if (!cursor.present || !cursor.image)
    return;
  const CursorImage& img = *cursor.image;
  if (held_ != cursor.image) {
    held_ = cursor.image;
    pn::CursorShape shape;
    shape.serial = img.serial;
    shape.width = static_cast<uint16_t>(std::clamp(img.width, 1, int{pn::kMaxCursorSide}));
    shape.height = static_cast<uint16_t>(std::clamp(img.height, 1, int{pn::kMaxCursorSide}));
    shape.hotspot_x = static_cast<uint16_t>(std::clamp(img.hotspot_x, 0, shape.width - 1));
    shape.hotspot_y = static_cast<uint16_t>(std::clamp(img.hotspot_y, 0, shape.height - 1));
    shape.rgba = img.rgba;
    shape.rgba.resize(size_t{shape.width} * shape.height * 4);  // a malformed image stays whole
    control_(pn::encode_control(shape));
    ++shapes_;
  }
  pn::CursorDatagram d;
  d.frame_index = frame_index;
  d.serial = img.serial;
  d.x = static_cast<int16_t>(std::clamp(cursor.x, -32768, 32767));
  d.y = static_cast<int16_t>(std::clamp(cursor.y, -32768, 32767));
  d.flags = cursor.visible ? pn::kCursorVisible : 0;
  std::array<uint8_t, 16> buf{};
  if (auto n = pn::encode_datagram(d, buf)) {
    datagram_(std::span<const uint8_t>(buf).first(*n));
    ++positions_;
  }
}

}  // namespace pf::host::native
