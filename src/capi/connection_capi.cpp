// SPDX-License-Identifier: MIT OR Apache-2.0
// C ABI glue for the punktfunk/1 control-plane connection (client side):
// PunktfunkConnection wraps pf::client::NativeClient.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "capi/capi_internal.h"
#include "client/core/native_client.h"
#include "net/quic/quic_identity.h"
#include "proto/native/negotiation.h"

struct PunktfunkConnection {
  std::unique_ptr<pf::client::NativeClient> client;
  PunktfunkConnectionCallbacks callbacks{};
};

namespace {

using namespace pf::capi;
namespace pn = pf::proto::native;

thread_local std::string t_last_error;

PunktfunkStatus fail(const pf::Status& st) {
  t_last_error = st.message();
  return to_c(st);
}
PunktfunkStatus fail(PunktfunkStatus code, const char* text) {
  t_last_error = text;
  return code;
}

char* dup_string(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p)
    std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

void to_c_keys(const pn::DirectionKeys& k, uint8_t cipher, PunktfunkVideoKeys* out) {
  std::memset(out, 0, sizeof(*out));
  out->struct_size = sizeof(*out);
  out->cipher = cipher;
  out->key_epoch = 0;
  std::memcpy(out->key, k.key.data(), sizeof(out->key));
  std::memcpy(out->iv_base, k.iv_base.data(), sizeof(out->iv_base));
}

void datagram_to_c(const pn::Datagram& in, PunktfunkDatagram* d) {
  std::memset(d, 0, sizeof(*d));
  d->struct_size = sizeof(*d);
  d->tag = static_cast<uint8_t>(pn::tag_of(in));
  if (const auto* a = std::get_if<pn::AudioDatagram>(&in)) {
    d->seq = a->seq;
    d->pts_ns = a->pts_ns;
    d->payload = a->opus.data();
    d->payload_size = a->opus.size();
  } else if (const auto* r = std::get_if<pn::RumbleDatagram>(&in)) {
    d->pad = r->pad;
    d->low_motor = r->low_motor;
    d->high_motor = r->high_motor;
    d->duration_ms = r->duration_ms;
  } else if (const auto* t = std::get_if<pn::HostTimingDatagram>(&in)) {
    d->frame_index = t->frame_index;
    d->capture_to_encoded_us = t->capture_to_encoded_us;
    d->encoded_to_sent_us = t->encoded_to_sent_us;
  }
}

}  // namespace

extern "C" {

const char* punktfunk_last_error_message(void) {
  return t_last_error.c_str();
}

PunktfunkStatus punktfunk_identity_load_or_create(const char* dir,
                                                  const char* common_name,
                                                  PunktfunkIdentity* out) {
  if (!dir || !out || out->struct_size < sizeof(PunktfunkIdentity))
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "dir and out are required");
  return guarded([&] {
    auto id = pf::net::load_or_create_identity(dir, common_name ? common_name : "punktfunk client");
    if (!id)
      return fail(id.error());
    out->cert_pem = dup_string(id->cert_pem);
    out->key_pem = dup_string(id->key_pem);
    if (!out->cert_pem || !out->key_pem) {
      punktfunk_identity_free(out);
      return fail(PUNKTFUNK_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    }
    return PUNKTFUNK_STATUS_OK;
  });
}

void punktfunk_identity_free(PunktfunkIdentity* identity) {
  if (!identity)
    return;
  std::free(identity->cert_pem);
  std::free(identity->key_pem);
  identity->cert_pem = nullptr;
  identity->key_pem = nullptr;
}

PunktfunkStatus punktfunk_connection_create(const PunktfunkConnectOptions* options,
                                            const PunktfunkConnectionCallbacks* callbacks,
                                            PunktfunkConnection** out) {
  if (out)
    *out = nullptr;
  if (!options || !out || options->struct_size < sizeof(PunktfunkConnectOptions) ||
      !options->host || !options->cert_pem || !options->key_pem ||
      (callbacks && callbacks->struct_size < sizeof(PunktfunkConnectionCallbacks)))
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT,
                "options, host, cert_pem and key_pem are required");
  return guarded([&] {
    auto addr = pf::net::Address::parse(options->host, 9777);
    if (!addr)
      return fail(addr.error());
    auto conn = std::make_unique<PunktfunkConnection>();
    if (callbacks)
      conn->callbacks = *callbacks;
    pf::client::NativeClientOptions o;
    o.host = *addr;
    o.identity = pf::net::QuicIdentity{options->cert_pem, options->key_pem};
    if (options->expected_host_fingerprint) {
      pn::Fingerprint fp;
      std::memcpy(fp.data(), options->expected_host_fingerprint, fp.size());
      o.expected_host = fp;
    }
    if (options->timeout_ms)
      o.connect_timeout_ms = options->timeout_ms;
    pf::client::NativeClientEvents ev;
    const PunktfunkConnectionCallbacks cb = conn->callbacks;
    if (cb.on_datagram) {
      auto deliver = [cb](const pn::Datagram& d) {
        PunktfunkDatagram c;
        datagram_to_c(d, &c);
        cb.on_datagram(cb.user_data, &c);
      };
      ev.on_audio = [deliver](const pn::AudioDatagram& a) { deliver(a); };
      ev.on_rumble = [deliver](const pn::RumbleDatagram& r) { deliver(r); };
      ev.on_host_timing = [deliver](const pn::HostTimingDatagram& t) { deliver(t); };
    }
    if (cb.on_notice)
      ev.on_control = [cb](const pn::ControlMessage& m) {
        if (const auto* b = std::get_if<pn::SetBitrate>(&m))
          cb.on_notice(cb.user_data, 0x06, b->kbps);
        else if (const auto* f = std::get_if<pn::SetFec>(&m))
          cb.on_notice(cb.user_data, 0x07, f->percent);
      };
    if (cb.on_closed)
      ev.on_closed = [cb](uint32_t reason, const std::string& text) {
        cb.on_closed(cb.user_data, reason, text.c_str());
      };
    auto client = pf::client::NativeClient::connect(o, std::move(ev));
    if (!client)
      return fail(client.error());
    conn->client = std::move(*client);
    *out = conn.release();
    return PUNKTFUNK_STATUS_OK;
  });
}

void punktfunk_connection_destroy(PunktfunkConnection* connection) {
  delete connection;
}

PunktfunkStatus punktfunk_connection_host_fingerprint(const PunktfunkConnection* connection,
                                                      uint8_t out[32]) {
  if (!connection || !out)
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "connection and out are required");
  const auto& fp = connection->client->host_fingerprint();
  std::memcpy(out, fp.data(), fp.size());
  return PUNKTFUNK_STATUS_OK;
}

PunktfunkStatus punktfunk_connection_pair(PunktfunkConnection* connection,
                                          const char* pin,
                                          const char* client_name,
                                          char* host_name,
                                          size_t host_name_capacity) {
  if (!connection || !pin || !client_name || (!host_name && host_name_capacity))
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "connection, pin and client_name are required");
  return guarded([&] {
    auto r = connection->client->pair(pin, client_name);
    if (!r)
      return fail(r.error());
    if (host_name && host_name_capacity) {
      const size_t n = std::min(host_name_capacity - 1, r->host_name.size());
      std::memcpy(host_name, r->host_name.data(), n);
      host_name[n] = '\0';
    }
    return PUNKTFUNK_STATUS_OK;
  });
}

PunktfunkStatus punktfunk_connection_start_session(PunktfunkConnection* connection,
                                                   const PunktfunkConfig* config,
                                                   uint16_t client_video_port,
                                                   PunktfunkSessionInfo* out) {
  PunktfunkConfig full;
  if (!connection || !read_config(config, &full) || !out ||
      out->struct_size < sizeof(PunktfunkSessionInfo))
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "connection, config and out are required");
  return guarded([&] {
    const pf::SessionConfig c = from_c(full);
    if (auto st = pf::validate(c); !st.is_ok())
      return fail(st);
    pn::Hello h;
    h.width = c.width;
    h.height = c.height;
    h.fps_x100 = static_cast<uint16_t>(std::min<uint32_t>(c.fps_x100, 65535));
    h.codecs = c.codecs;
    h.audio_channels = c.audio_channels;
    h.max_bitrate_kbps = c.max_bitrate_kbps;
    h.fec_fields = c.fec_fields;
    h.ciphers = c.ciphers;
    h.client_video_port = client_video_port;
    h.capabilities = c.capabilities;
    auto s = connection->client->start_session(h);
    if (!s)
      return fail(s.error());
    const pn::Welcome& w = s->welcome;
    const uint32_t size = out->struct_size;
    std::memset(out, 0, sizeof(*out));
    out->struct_size = size;
    out->session_id = w.session_id;
    out->width = w.width;
    out->height = w.height;
    out->fps_x100 = w.fps_x100;
    out->shard_bytes = w.shard_bytes;
    out->codec = w.codec;
    out->fec_field = w.fec_field;
    out->fec_percent = w.fec_percent;
    out->cipher = w.cipher;
    out->host_video_port = w.host_video_port;
    out->initial_bitrate_kbps = w.initial_bitrate_kbps;
    out->capabilities = w.capabilities;
    to_c_keys(s->host_to_client, w.cipher, &out->host_to_client);
    to_c_keys(s->client_to_host, w.cipher, &out->client_to_host);
    return PUNKTFUNK_STATUS_OK;
  });
}

PunktfunkStatus punktfunk_connection_send_input(PunktfunkConnection* connection,
                                                uint8_t kind,
                                                uint32_t code,
                                                int32_t x,
                                                int32_t y,
                                                uint32_t flags) {
  if (!connection)
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "connection is required");
  return guarded([&] {
    return connection->client->send_input(pn::InputDatagram{kind, code, x, y, flags})
               ? PUNKTFUNK_STATUS_OK
               : fail(PUNKTFUNK_STATUS_UNAVAILABLE, "not connected, or the send queue is full");
  });
}

PunktfunkStatus punktfunk_connection_send_mic(PunktfunkConnection* connection,
                                              uint32_t seq,
                                              uint64_t pts_ns,
                                              const uint8_t* opus,
                                              size_t size) {
  if (!connection || (!opus && size))
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "connection and opus are required");
  return guarded([&] {
    return connection->client->send_mic(seq, pts_ns, std::span<const uint8_t>(opus, size))
               ? PUNKTFUNK_STATUS_OK
               : fail(PUNKTFUNK_STATUS_UNAVAILABLE, "not connected, or the send queue is full");
  });
}

PunktfunkStatus punktfunk_connection_request_idr(PunktfunkConnection* connection,
                                                 uint32_t last_good_frame) {
  if (!connection)
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "connection is required");
  return guarded([&] {
    return connection->client->send_control(pn::RequestIdr{last_good_frame})
               ? PUNKTFUNK_STATUS_OK
               : fail(PUNKTFUNK_STATUS_UNAVAILABLE, "not connected");
  });
}

PunktfunkStatus punktfunk_connection_invalidate_refs(PunktfunkConnection* connection,
                                                     uint32_t first_frame,
                                                     uint32_t last_frame) {
  if (!connection)
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "connection is required");
  if (first_frame == 0 || last_frame < first_frame)
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "frames must be 1 <= first <= last");
  return guarded([&] {
    return connection->client->send_control(pn::InvalidateRefs{first_frame, last_frame})
               ? PUNKTFUNK_STATUS_OK
               : fail(PUNKTFUNK_STATUS_UNAVAILABLE, "not connected");
  });
}

PunktfunkStatus punktfunk_connection_clock(const PunktfunkConnection* connection,
                                           PunktfunkClockSync* out) {
  if (!connection || !out || out->struct_size < sizeof(PunktfunkClockSync))
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "connection and out are required");
  const auto c = connection->client->clock();
  out->samples = c.samples;
  out->offset_ns = c.offset_ns;
  out->rtt_ns = c.rtt_ns;
  return c.valid ? PUNKTFUNK_STATUS_OK : fail(PUNKTFUNK_STATUS_UNAVAILABLE, "no clock reply yet");
}

PunktfunkStatus punktfunk_connection_close(PunktfunkConnection* connection, uint32_t reason) {
  if (!connection)
    return fail(PUNKTFUNK_STATUS_INVALID_ARGUMENT, "connection is required");
  return guarded([&] {
    connection->client->close(reason, "closed by the client");
    return PUNKTFUNK_STATUS_OK;
  });
}

}  // extern "C"
