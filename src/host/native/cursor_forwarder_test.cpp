// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/native/cursor_forwarder.h"

#include <gtest/gtest.h>

#include "proto/native/control.h"
#include "proto/native/datagrams.h"

namespace pf::host::native {
namespace {

namespace pn = pf::proto::native;

struct Sent {
  std::vector<pn::ControlMessage> control;
  std::vector<pn::CursorDatagram> positions;
};

CursorForwarder forwarder(Sent& s) {
  return CursorForwarder(
      [&s](std::span<const uint8_t> b) {
        pn::ControlFramer f;
        ASSERT_TRUE(f.feed(b).is_ok());
        auto m = f.next();
        ASSERT_TRUE(m && *m);
        s.control.push_back(**m);
      },
      [&s](std::span<const uint8_t> b) {
        auto d = pn::decode_datagram(b);
        ASSERT_TRUE(d);
        s.positions.push_back(std::get<pn::CursorDatagram>(*d));
      });
}

std::shared_ptr<const CursorImage> image(uint32_t serial, int w, int h) {
  auto i = std::make_shared<CursorImage>();
  i->serial = serial;
  i->width = w;
  i->height = h;
  i->hotspot_x = w / 2;
  i->hotspot_y = h / 2;
  i->rgba.assign(static_cast<size_t>(w) * h * 4, static_cast<uint8_t>(serial));
  return i;
}

TEST(CursorForwarderTest, AShapeOnceThenAPositionPerFrame) {
  Sent s;
  auto f = forwarder(s);
  FrameCursor c{true, true, 100, -5, image(7, 16, 24)};
  f.on_frame(1, c);
  c.x = 101;
  f.on_frame(2, c);
  c.visible = false;
  f.on_frame(3, c);
  ASSERT_EQ(s.control.size(), 1u);  // the image did not change
  const auto& shape = std::get<pn::CursorShape>(s.control[0]);
  EXPECT_EQ(shape.serial, 7u);
  EXPECT_EQ(shape.width, 16);
  EXPECT_EQ(shape.height, 24);
  EXPECT_EQ(shape.hotspot_x, 8);
  EXPECT_EQ(shape.rgba.size(), 16u * 24 * 4);
  ASSERT_EQ(s.positions.size(), 3u);
  EXPECT_EQ(s.positions[0], (pn::CursorDatagram{1, 7, 100, -5, pn::kCursorVisible}));
  EXPECT_EQ(s.positions[1].x, 101);
  EXPECT_EQ(s.positions[2].flags, 0);  // hidden
  EXPECT_EQ(f.shapes_sent(), 1u);
  EXPECT_EQ(f.positions_sent(), 3u);
}

TEST(CursorForwarderTest, ANewImageIsSentBeforeItsPosition) {
  Sent s;
  auto f = forwarder(s);
  f.on_frame(1, FrameCursor{true, true, 0, 0, image(1, 8, 8)});
  f.on_frame(2, FrameCursor{true, true, 0, 0, image(2, 32, 32)});
  ASSERT_EQ(s.control.size(), 2u);
  EXPECT_EQ(std::get<pn::CursorShape>(s.control[1]).serial, 2u);
  EXPECT_EQ(s.positions[1].serial, 2u);
}

TEST(CursorForwarderTest, NothingForAFrameWithoutThePointer) {
  Sent s;
  auto f = forwarder(s);
  f.on_frame(1, FrameCursor{});
  f.on_frame(2, FrameCursor{true, true, 1, 1, nullptr});
  EXPECT_TRUE(s.control.empty());
  EXPECT_TRUE(s.positions.empty());
}

TEST(CursorForwarderTest, PositionsFarOffThePictureAreClamped) {
  Sent s;
  auto f = forwarder(s);
  f.on_frame(1, FrameCursor{true, true, 100000, -100000, image(1, 4, 4)});
  EXPECT_EQ(s.positions[0].x, 32767);
  EXPECT_EQ(s.positions[0].y, -32768);
}

}  // namespace
}  // namespace pf::host::native
