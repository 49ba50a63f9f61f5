// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as a client's Hello body (control message 0x01), negotiated by the
// host (proto/native/negotiation) against its default capabilities, a wide
// host (every codec, 10-bit, 4:4:4 and HDR for some) and a narrow host (H.264
// only, GF(2^8) only, AES only, 1080p60): a refusal is an error with a
// sentence, and every Welcome holds only what both sides support (capabilities
// included), the Hello's own mode within the host's limits and a bitrate within
// both ceilings, and round-trips through the control encoding.
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "base/check.h"
#include "proto/native/control.h"
#include "proto/native/negotiation.h"

namespace {

using namespace pf::proto::native;

void check(const Hello& hello, const HostCapabilities& caps) {
  auto w = negotiate(hello, caps, 0x1234abcd, 47999);
  if (!w) {
    PF_CHECK(!w.error().message().empty());
    return;
  }
  PF_CHECK(hello.version == 1);
  PF_CHECK(w->session_id == 0x1234abcd && w->host_video_port == 47999);
  PF_CHECK((hello.codecs & w->codec) != 0);
  bool offered = false;
  for (uint8_t c : caps.codec_preference)
    offered = offered || c == w->codec;
  PF_CHECK(offered);
  PF_CHECK((w->fec_field == kFecGf8 || w->fec_field == kFecGf16) &&
           (hello.fec_fields & caps.fec_fields & w->fec_field));
  PF_CHECK((w->cipher == kCipherAes128Gcm || w->cipher == kCipherChaCha20) &&
           (hello.ciphers & caps.ciphers & w->cipher));
  PF_CHECK(w->width == hello.width && w->height == hello.height && w->fps_x100 == hello.fps_x100);
  PF_CHECK(w->width > 0 && w->height > 0 && w->fps_x100 > 0 && w->width % 2 == 0 &&
           w->height % 2 == 0);
  PF_CHECK(w->width <= caps.max_width && w->height <= caps.max_height &&
           w->fps_x100 <= caps.max_fps_x100);
  PF_CHECK(w->initial_bitrate_kbps <= caps.max_bitrate_kbps &&
           w->initial_bitrate_kbps <= caps.default_bitrate_kbps);
  PF_CHECK(hello.max_bitrate_kbps == 0 || w->initial_bitrate_kbps <= hello.max_bitrate_kbps);
  // Capabilities: only what was asked; the picture's format only for a codec that makes it,
  // HDR only with its 10 bits, never 4:4:4 with 10 bits.
  const uint32_t granted = w->capabilities;
  PF_CHECK((granted & ~hello.capabilities) == 0);
  PF_CHECK(!(granted & kCapCursorChannel) || (caps.capabilities & kCapCursorChannel));
  PF_CHECK(!(granted & kCap444) || (caps.chroma_444_codecs & w->codec));
  PF_CHECK(!(granted & kCap10Bit) || (caps.ten_bit_codecs & w->codec & ~kCodecH264));
  PF_CHECK(!(granted & kCapHdr) || ((granted & kCap10Bit) && (caps.hdr_codecs & w->codec)));
  PF_CHECK(!((granted & kCap444) && (granted & kCap10Bit)));
  const auto frame = encode_control(ControlMessage(*w));
  ControlFramer f;
  PF_CHECK(f.feed(frame).is_ok());
  auto back = f.next();
  PF_CHECK(back && *back && std::holds_alternative<Welcome>(**back) &&
           std::get<Welcome>(**back) == *w);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = decode_control(0x01, std::span<const uint8_t>(data, size));
  if (!m || !std::holds_alternative<Hello>(*m))
    return 0;
  const Hello& hello = std::get<Hello>(*m);
  check(hello, HostCapabilities{});
  HostCapabilities wide;  // every capability for every codec it may pick
  wide.codec_preference = {kCodecHevc, kCodecAv1, kCodecH264};
  wide.capabilities = kCapCursorChannel;
  wide.ten_bit_codecs = kCodecHevc | kCodecAv1 | kCodecH264;
  wide.chroma_444_codecs = kCodecHevc | kCodecH264;
  wide.hdr_codecs = kCodecHevc;
  check(hello, wide);
  HostCapabilities narrow;
  narrow.codec_preference = {kCodecH264};
  narrow.max_width = 1920;
  narrow.max_height = 1080;
  narrow.max_fps_x100 = 6000;
  narrow.max_bitrate_kbps = 50'000;
  narrow.fec_fields = kFecGf8;
  narrow.ciphers = kCipherAes128Gcm;
  check(hello, narrow);
  return 0;
}
