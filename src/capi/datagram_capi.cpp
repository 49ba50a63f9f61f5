// SPDX-License-Identifier: MIT OR Apache-2.0
// C ABI glue for punktfunk/1 datagrams: the flat PunktfunkDatagram <-> the
// core's Datagram variant.
#include <optional>
#include <span>
#include <type_traits>
#include <variant>

#include "capi/capi_internal.h"
#include "proto/native/datagrams.h"

namespace {

using namespace pf::capi;
namespace native = pf::proto::native;

constexpr uint32_t kDatagramV1Size = sizeof(PunktfunkDatagram);

std::optional<native::Datagram> to_core(const PunktfunkDatagram& d) {
  const std::span<const uint8_t> payload(d.payload, d.payload ? d.payload_size : 0);
  switch (d.tag) {
    case PUNKTFUNK_DATAGRAM_INPUT:
      return native::InputDatagram{d.input_kind, d.code, d.x, d.y, d.flags};
    case PUNKTFUNK_DATAGRAM_AUDIO: {
      native::AudioDatagram a;
      a.seq = d.seq;
      a.pts_ns = d.pts_ns;
      a.opus = payload;
      return a;
    }
    case PUNKTFUNK_DATAGRAM_MIC: {
      native::MicDatagram m;
      m.seq = d.seq;
      m.pts_ns = d.pts_ns;
      m.opus = payload;
      return m;
    }
    case PUNKTFUNK_DATAGRAM_RUMBLE:
      return native::RumbleDatagram{d.pad, d.low_motor, d.high_motor, d.duration_ms};
    case PUNKTFUNK_DATAGRAM_CLOCK_PROBE:
      return native::ClockProbeDatagram{d.seq, d.client_send_ns};
    case PUNKTFUNK_DATAGRAM_CLOCK_REPLY:
      return native::ClockReplyDatagram{d.seq, d.client_send_ns, d.host_receive_ns, d.host_send_ns};
    case PUNKTFUNK_DATAGRAM_HOST_TIMING:
      return native::HostTimingDatagram{d.frame_index, d.capture_to_encoded_us,
                                        d.encoded_to_sent_us};
    case PUNKTFUNK_DATAGRAM_CURSOR:
      return native::CursorDatagram{d.frame_index, d.code, static_cast<int16_t>(d.x),
                                    static_cast<int16_t>(d.y), static_cast<uint8_t>(d.flags)};
    default:
      return std::nullopt;
  }
}

void from_core(const native::Datagram& in, PunktfunkDatagram* d) {
  d->tag = static_cast<uint8_t>(native::tag_of(in));
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, native::InputDatagram>) {
          d->input_kind = v.kind;
          d->code = v.code;
          d->x = v.x;
          d->y = v.y;
          d->flags = v.flags;
        } else if constexpr (std::is_base_of_v<native::OpusDatagram, T>) {
          d->seq = v.seq;
          d->pts_ns = v.pts_ns;
          d->payload = v.opus.data();
          d->payload_size = v.opus.size();
        } else if constexpr (std::is_same_v<T, native::RumbleDatagram>) {
          d->pad = v.pad;
          d->low_motor = v.low_motor;
          d->high_motor = v.high_motor;
          d->duration_ms = v.duration_ms;
        } else if constexpr (std::is_same_v<T, native::ClockProbeDatagram>) {
          d->seq = v.seq;
          d->client_send_ns = v.client_send_ns;
        } else if constexpr (std::is_same_v<T, native::ClockReplyDatagram>) {
          d->seq = v.seq;
          d->client_send_ns = v.client_send_ns;
          d->host_receive_ns = v.host_receive_ns;
          d->host_send_ns = v.host_send_ns;
        } else if constexpr (std::is_same_v<T, native::CursorDatagram>) {
          d->frame_index = v.frame_index;
          d->code = v.serial;
          d->x = v.x;
          d->y = v.y;
          d->flags = v.flags;
        } else {
          static_assert(std::is_same_v<T, native::HostTimingDatagram>);
          d->frame_index = v.frame_index;
          d->capture_to_encoded_us = v.capture_to_encoded_us;
          d->encoded_to_sent_us = v.encoded_to_sent_us;
        }
      },
      in);
}

}  // namespace

extern "C" {

PunktfunkStatus punktfunk_datagram_encode(const PunktfunkDatagram* datagram,
                                          uint8_t* out,
                                          size_t capacity,
                                          size_t* written) {
  if (datagram == nullptr || datagram->struct_size < kDatagramV1Size || written == nullptr ||
      (out == nullptr && capacity != 0) ||
      (datagram->payload == nullptr && datagram->payload_size != 0))
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  return guarded([&] {
    auto d = to_core(*datagram);
    if (!d)
      return PUNKTFUNK_STATUS_NOT_FOUND;
    auto n = native::encode_datagram(*d, std::span<uint8_t>(out, capacity));
    if (!n)
      return to_c(n.error());
    *written = *n;
    return PUNKTFUNK_STATUS_OK;
  });
}

PunktfunkStatus punktfunk_datagram_decode(const uint8_t* data,
                                          size_t size,
                                          PunktfunkDatagram* out) {
  if (out == nullptr || out->struct_size < kDatagramV1Size || (data == nullptr && size != 0))
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  return guarded([&] {
    auto d = native::decode_datagram(std::span<const uint8_t>(data, size));
    if (!d)
      return to_c(d.error());
    const uint32_t struct_size = out->struct_size;
    std::memset(out, 0, sizeof(*out));
    out->struct_size = struct_size;
    from_core(*d, out);
    return PUNKTFUNK_STATUS_OK;
  });
}

}  // extern "C"
