// SPDX-License-Identifier: MIT OR Apache-2.0
// C ABI glue for the video data plane: PunktfunkSender wraps the Packetizer,
// PunktfunkReceiver the Reassembler.
#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <span>

#include "capi/capi_internal.h"
#include "session/pacing.h"
#include "session/packetizer.h"
#include "session/reassembler.h"

struct PunktfunkSender {
  std::unique_ptr<pf::session::Packetizer> packetizer;
  std::span<const std::span<const uint8_t>> packets;
};

struct PunktfunkReceiver {
  std::unique_ptr<pf::session::Reassembler> reassembler;
};

namespace {

using namespace pf::capi;

constexpr uint32_t kKeysV1Size = sizeof(PunktfunkVideoKeys);
constexpr uint32_t kEventV1Size = sizeof(PunktfunkEvent);
constexpr uint32_t kStatsV1Size = sizeof(PunktfunkReceiverStats);
constexpr uint32_t kPacingV1Size = sizeof(PunktfunkPacingPlan);

struct Keys {
  pf::crypto::AeadAlgorithm cipher;
  std::span<const uint8_t> key;
  std::array<uint8_t, pf::crypto::kNonceBytes> iv{};
  uint8_t epoch;
};

std::optional<Keys> read_keys(const PunktfunkVideoKeys* k) {
  if (k == nullptr || k->struct_size < kKeysV1Size || k->reserved0[0] || k->reserved0[1])
    return std::nullopt;
  Keys out;
  if (k->cipher == PUNKTFUNK_CIPHER_AES_128_GCM) {
    out.cipher = pf::crypto::AeadAlgorithm::kAes128Gcm;
    out.key = std::span<const uint8_t>(k->key, 16);
  } else if (k->cipher == PUNKTFUNK_CIPHER_CHACHA20_POLY1305) {
    out.cipher = pf::crypto::AeadAlgorithm::kChaCha20Poly1305;
    out.key = std::span<const uint8_t>(k->key, 32);
  } else {
    return std::nullopt;
  }
  std::copy(std::begin(k->iv_base), std::end(k->iv_base), out.iv.begin());
  out.epoch = k->key_epoch;
  return out;
}

// The validated session config, or nullopt.
std::optional<pf::SessionConfig> session_config(const PunktfunkConfig* c, PunktfunkStatus* st) {
  PunktfunkConfig full;
  if (!read_config(c, &full)) {
    *st = PUNKTFUNK_STATUS_INVALID_ARGUMENT;
    return std::nullopt;
  }
  pf::SessionConfig cfg = from_c(full);
  if (auto v = pf::validate(cfg); !v.is_ok()) {
    *st = to_c(v);
    return std::nullopt;
  }
  return cfg;
}

// What sender and receiver both need: the validated config, and the keys in
// the core's form written into their config (shard size, cipher, key, IV, epoch).
template <typename CoreConfig>
PunktfunkStatus read_config_and_keys(const PunktfunkConfig* config,
                                     const PunktfunkVideoKeys* keys,
                                     pf::SessionConfig* cfg,
                                     CoreConfig* core) {
  PunktfunkStatus st = PUNKTFUNK_STATUS_OK;
  auto c = session_config(config, &st);
  if (!c)
    return st;
  auto k = read_keys(keys);
  if (!k)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  *cfg = *c;
  core->shard_bytes = c->shard_bytes;
  core->cipher = k->cipher;
  core->key.assign(k->key.begin(), k->key.end());
  core->iv_base = k->iv;
  core->key_epoch = k->epoch;
  return PUNKTFUNK_STATUS_OK;
}

PunktfunkPacketVerdict to_c(pf::session::Reassembler::Verdict v) {
  return static_cast<PunktfunkPacketVerdict>(v);
}

static_assert(static_cast<int>(pf::session::Reassembler::Verdict::kOverBudget) ==
              PUNKTFUNK_PACKET_OVER_BUDGET);

}  // namespace

extern "C" {

PunktfunkStatus punktfunk_sender_create(const PunktfunkConfig* config,
                                        const PunktfunkVideoKeys* keys,
                                        PunktfunkSender** out) {
  if (out == nullptr)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  *out = nullptr;
  return guarded([&] {
    pf::SessionConfig cfg;
    pf::session::PacketizerConfig pc;
    if (auto st = read_config_and_keys(config, keys, &cfg, &pc); st != PUNKTFUNK_STATUS_OK)
      return st;
    pc.fec_percent = cfg.fec_percent;
    auto p = pf::session::Packetizer::create(pc);
    if (!p)
      return to_c(p.error());
    *out = new PunktfunkSender{std::move(*p), {}};
    return PUNKTFUNK_STATUS_OK;
  });
}

void punktfunk_sender_destroy(PunktfunkSender* sender) {
  delete sender;
}

PunktfunkStatus punktfunk_sender_submit(PunktfunkSender* sender,
                                        const uint8_t* data,
                                        size_t size,
                                        uint32_t frame_index,
                                        uint64_t capture_us,
                                        int keyframe,
                                        size_t* packet_count) {
  if (sender == nullptr || (data == nullptr && size != 0))
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  return guarded([&] {
    sender->packets = {};
    pf::session::VideoFrame f;
    f.data = std::span<const uint8_t>(data, size);
    f.frame_index = frame_index;
    f.capture_us = capture_us;
    f.keyframe = keyframe != 0;
    auto r = sender->packetizer->packetize(f);
    if (!r)
      return to_c(r.error());
    sender->packets = *r;
    if (packet_count)
      *packet_count = r->size();
    return PUNKTFUNK_STATUS_OK;
  });
}

PunktfunkStatus punktfunk_sender_packet(const PunktfunkSender* sender,
                                        size_t index,
                                        const uint8_t** data,
                                        size_t* size) {
  if (sender == nullptr || data == nullptr || size == nullptr)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  if (index >= sender->packets.size())
    return PUNKTFUNK_STATUS_OUT_OF_RANGE;
  *data = sender->packets[index].data();
  *size = sender->packets[index].size();
  return PUNKTFUNK_STATUS_OK;
}

PunktfunkStatus punktfunk_sender_set_fec_percent(PunktfunkSender* sender, uint8_t percent) {
  if (sender == nullptr || percent > 100)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  sender->packetizer->set_fec_percent(percent);
  return PUNKTFUNK_STATUS_OK;
}

PunktfunkStatus punktfunk_pacing_plan(size_t packets,
                                      size_t packet_bytes,
                                      uint64_t rate_bps,
                                      PunktfunkPacingPlan* out) {
  if (out == nullptr || out->struct_size < kPacingV1Size)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  const auto p = pf::session::plan_pacing(packets, packet_bytes, rate_bps);
  if (p.packets_per_group > UINT32_MAX || p.groups > UINT32_MAX)
    return PUNKTFUNK_STATUS_OUT_OF_RANGE;
  const uint32_t size = out->struct_size;
  std::memset(out, 0, std::min<size_t>(size, sizeof(*out)));
  out->struct_size = size;
  out->packets_per_group = static_cast<uint32_t>(p.packets_per_group);
  out->groups = static_cast<uint32_t>(p.groups);
  out->interval_ns = p.interval_ns;
  return PUNKTFUNK_STATUS_OK;
}

PunktfunkStatus punktfunk_receiver_create(const PunktfunkConfig* config,
                                          const PunktfunkVideoKeys* keys,
                                          PunktfunkReceiver** out) {
  if (out == nullptr)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  *out = nullptr;
  return guarded([&] {
    pf::SessionConfig cfg;
    pf::session::ReassemblerConfig rc;
    if (auto st = read_config_and_keys(config, keys, &cfg, &rc); st != PUNKTFUNK_STATUS_OK)
      return st;
    rc.frame_deadline_us = 2 * 100'000'000ull / std::max<uint32_t>(1, cfg.fps_x100);
    auto r = pf::session::Reassembler::create(rc);
    if (!r)
      return to_c(r.error());
    *out = new PunktfunkReceiver{std::move(*r)};
    return PUNKTFUNK_STATUS_OK;
  });
}

void punktfunk_receiver_destroy(PunktfunkReceiver* receiver) {
  delete receiver;
}

PunktfunkStatus punktfunk_receiver_push(PunktfunkReceiver* receiver,
                                        const uint8_t* data,
                                        size_t size,
                                        uint64_t now_us,
                                        PunktfunkPacketVerdict* verdict) {
  if (receiver == nullptr || (data == nullptr && size != 0))
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  return guarded([&] {
    const auto v = receiver->reassembler->push(std::span<const uint8_t>(data, size), now_us);
    if (verdict)
      *verdict = to_c(v);
    return PUNKTFUNK_STATUS_OK;
  });
}

PunktfunkStatus punktfunk_receiver_poll(PunktfunkReceiver* receiver,
                                        uint64_t now_us,
                                        PunktfunkEvent* event) {
  if (receiver == nullptr || event == nullptr || event->struct_size < kEventV1Size)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  return guarded([&] {
    auto ev = receiver->reassembler->poll(now_us);
    if (!ev)
      return PUNKTFUNK_STATUS_UNAVAILABLE;
    const uint32_t size = event->struct_size;
    std::memset(event, 0, sizeof(*event));
    event->struct_size = size;
    event->kind = ev->kind == pf::session::ReassemblyEvent::Kind::kFrame
                      ? PUNKTFUNK_EVENT_FRAME
                      : PUNKTFUNK_EVENT_FRAME_LOST;
    event->frame_index = ev->frame_index;
    event->count = ev->count;
    event->capture_us = ev->capture_us;
    event->first_packet_us = ev->first_packet_us;
    event->done_us = ev->done_us;
    event->shards_recovered = ev->shards_recovered;
    event->keyframe = ev->keyframe ? 1 : 0;
    event->recovery = ev->recovery ? 1 : 0;
    event->data = ev->data.data();
    event->size = ev->data.size();
    return PUNKTFUNK_STATUS_OK;
  });
}

PunktfunkStatus punktfunk_receiver_get_stats(const PunktfunkReceiver* receiver,
                                             PunktfunkReceiverStats* out) {
  if (receiver == nullptr || out == nullptr || out->struct_size < kStatsV1Size)
    return PUNKTFUNK_STATUS_INVALID_ARGUMENT;
  const auto& s = receiver->reassembler->stats();
  const uint32_t size = out->struct_size;
  std::memset(out, 0, sizeof(*out));
  out->struct_size = size;
  out->packets_accepted = s.packets_accepted;
  out->packets_surplus = s.packets_surplus;
  out->packets_late = s.packets_late;
  out->duplicates = s.duplicates;
  out->too_old = s.too_old;
  out->auth_failures = s.auth_failures;
  out->malformed = s.malformed;
  out->over_budget = s.over_budget;
  out->shards_recovered = s.shards_recovered;
  out->blocks_recovered = s.blocks_recovered;
  out->frames_complete = s.frames_complete;
  out->frames_lost = s.frames_lost;
  out->frames_corrupt = s.frames_corrupt;
  out->frames_unpolled = s.frames_unpolled;
  return PUNKTFUNK_STATUS_OK;
}

}  // extern "C"
