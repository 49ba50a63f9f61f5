/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* Strict C11 against libpunktfunk_core.so: frames through a sender and a
 * receiver with 5 % of the packets dropped and some reordered, datagrams
 * through encode/decode, garbage into the receiver. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "punktfunk_core.h"

static int failures = 0;
#define EXPECT(cond)                                                     \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                        \
    }                                                                    \
  } while (0)

static uint32_t rng_state = 12345u;
static uint32_t rng(void) { /* xorshift32: the same sequence on every libc */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

static void fill_frame(uint8_t* f, size_t n, uint32_t index) {
  size_t i;
  for (i = 0; i < n; ++i)
    f[i] = (uint8_t)(index * 7u + i * 13u);
}

#define FRAMES 300
#define MAX_FRAME 200000
#define MAX_PACKETS 400

static void test_frames_under_loss(void) {
  PunktfunkConfig config;
  PunktfunkVideoKeys keys;
  PunktfunkSender* tx = NULL;
  PunktfunkReceiver* rx = NULL;
  PunktfunkEvent ev;
  PunktfunkReceiverStats stats;
  static uint8_t frame[MAX_FRAME], expect[MAX_FRAME];
  static size_t sizes[FRAMES + 1];
  static uint8_t held[MAX_PACKETS][1600];
  static size_t held_size[MAX_PACKETS];
  uint32_t i, intact = 0, lost = 0, bad = 0;
  uint64_t now = 0;

  memset(&config, 0, sizeof(config));
  config.struct_size = sizeof(config);
  EXPECT(punktfunk_config_init(&config) == PUNKTFUNK_STATUS_OK);
  config.fec_percent = 20;
  memset(&keys, 0, sizeof(keys));
  keys.struct_size = sizeof(keys);
  keys.cipher = PUNKTFUNK_CIPHER_AES_128_GCM;
  for (i = 0; i < 32; ++i)
    keys.key[i] = (uint8_t)(i * 3 + 1);
  for (i = 0; i < 12; ++i)
    keys.iv_base[i] = (uint8_t)(0xA0 + i);
  EXPECT(punktfunk_sender_create(&config, &keys, &tx) == PUNKTFUNK_STATUS_OK);
  EXPECT(punktfunk_receiver_create(&config, &keys, &rx) == PUNKTFUNK_STATUS_OK);
  if (!tx || !rx)
    return;

  memset(&ev, 0, sizeof(ev));
  ev.struct_size = sizeof(ev);
  for (i = 1; i <= FRAMES; ++i) {
    size_t count = 0, j, nheld = 0;
    sizes[i] = 50000 + rng() % (MAX_FRAME - 50000);
    fill_frame(frame, sizes[i], i);
    EXPECT(punktfunk_sender_submit(tx, frame, sizes[i], i, now, i == 1, &count) ==
           PUNKTFUNK_STATUS_OK);
    EXPECT(count > 0 && count <= MAX_PACKETS);
    for (j = 0; j < count && j < MAX_PACKETS; ++j) {
      const uint8_t* p = NULL;
      size_t n = 0;
      PunktfunkPacketVerdict v;
      EXPECT(punktfunk_sender_packet(tx, j, &p, &n) == PUNKTFUNK_STATUS_OK);
      if (rng() % 100 < 5)
        continue; /* lost */
      if (rng() % 100 < 10 && n <= sizeof(held[0])) {
        memcpy(held[nheld], p, n); /* reordered: delivered after the frame */
        held_size[nheld++] = n;
        continue;
      }
      EXPECT(punktfunk_receiver_push(rx, p, n, now, &v) == PUNKTFUNK_STATUS_OK);
    }
    for (j = 0; j < nheld; ++j)
      EXPECT(punktfunk_receiver_push(rx, held[j], held_size[j], now, NULL) == PUNKTFUNK_STATUS_OK);
    while (punktfunk_receiver_poll(rx, now, &ev) == PUNKTFUNK_STATUS_OK) {
      if (ev.kind == PUNKTFUNK_EVENT_FRAME_LOST) {
        lost += ev.count;
        continue;
      }
      fill_frame(expect, sizes[ev.frame_index], ev.frame_index);
      if (ev.size == sizes[ev.frame_index] && memcmp(ev.data, expect, ev.size) == 0)
        ++intact;
      else
        ++bad;
    }
    now += 16667;
  }
  now += 1000000;
  while (punktfunk_receiver_poll(rx, now, &ev) == PUNKTFUNK_STATUS_OK)
    lost += ev.kind == PUNKTFUNK_EVENT_FRAME_LOST ? ev.count : 0;

  printf("C ABI: %u of %d frames intact under 5%% loss and 10%% reordering, %u lost\n", intact,
         FRAMES, lost);
  EXPECT(bad == 0);
  EXPECT(intact + lost == FRAMES);
  EXPECT(intact >= FRAMES - 1);
  memset(&stats, 0, sizeof(stats));
  stats.struct_size = sizeof(stats);
  EXPECT(punktfunk_receiver_get_stats(rx, &stats) == PUNKTFUNK_STATUS_OK);
  EXPECT(stats.shards_recovered > 0);
  EXPECT(stats.frames_complete == intact);

  /* Garbage is dropped and counted, never fatal. */
  {
    uint8_t junk[1456];
    PunktfunkPacketVerdict v = PUNKTFUNK_PACKET_ACCEPTED;
    for (i = 0; i < sizeof(junk); ++i)
      junk[i] = (uint8_t)rng();
    EXPECT(punktfunk_receiver_push(rx, junk, sizeof(junk), now, &v) == PUNKTFUNK_STATUS_OK);
    EXPECT(v == PUNKTFUNK_PACKET_MALFORMED || v == PUNKTFUNK_PACKET_AUTH_FAILED);
    junk[0] = 0x10;
    junk[1] = 0;
    junk[3] = 0;
    EXPECT(punktfunk_receiver_push(rx, junk, 10, now, &v) == PUNKTFUNK_STATUS_OK);
    EXPECT(v == PUNKTFUNK_PACKET_MALFORMED);
    EXPECT(punktfunk_receiver_push(rx, NULL, 5, now, &v) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  }
  EXPECT(punktfunk_sender_packet(tx, 100000, NULL, NULL) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  keys.cipher = 3;
  {
    PunktfunkSender* nope = (PunktfunkSender*)&keys;
    EXPECT(punktfunk_sender_create(&config, &keys, &nope) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);
    EXPECT(nope == NULL);
  }
  punktfunk_sender_destroy(tx);
  punktfunk_receiver_destroy(rx);
}

static void test_datagrams(void) {
  static const uint8_t opus[5] = {0xF8, 0xFF, 0xFE, 1, 2};
  PunktfunkDatagram in, out;
  uint8_t buf[64];
  size_t n = 0;

  memset(&in, 0, sizeof(in));
  in.struct_size = sizeof(in);
  in.tag = PUNKTFUNK_DATAGRAM_MIC;
  in.seq = 77;
  in.pts_ns = 123456789012ull;
  in.payload = opus;
  in.payload_size = sizeof(opus);
  EXPECT(punktfunk_datagram_encode(&in, buf, sizeof(buf), &n) == PUNKTFUNK_STATUS_OK);
  EXPECT(n == 1 + 4 + 8 + sizeof(opus));
  EXPECT(buf[0] == 0xCB);
  memset(&out, 0, sizeof(out));
  out.struct_size = sizeof(out);
  EXPECT(punktfunk_datagram_decode(buf, n, &out) == PUNKTFUNK_STATUS_OK);
  EXPECT(out.tag == PUNKTFUNK_DATAGRAM_MIC && out.seq == 77 && out.pts_ns == in.pts_ns);
  EXPECT(out.payload_size == sizeof(opus) && memcmp(out.payload, opus, sizeof(opus)) == 0);

  memset(&in, 0, sizeof(in));
  in.struct_size = sizeof(in);
  in.tag = PUNKTFUNK_DATAGRAM_INPUT;
  in.input_kind = 3;
  in.x = -5;
  in.y = 7;
  EXPECT(punktfunk_datagram_encode(&in, buf, sizeof(buf), &n) == PUNKTFUNK_STATUS_OK);
  EXPECT(n == 18);
  EXPECT(punktfunk_datagram_decode(buf, n, &out) == PUNKTFUNK_STATUS_OK);
  EXPECT(out.tag == PUNKTFUNK_DATAGRAM_INPUT && out.input_kind == 3 && out.x == -5 && out.y == 7);

  in.tag = PUNKTFUNK_DATAGRAM_CLOCK_REPLY;
  in.seq = 9;
  in.client_send_ns = 1;
  in.host_receive_ns = 2;
  in.host_send_ns = 3;
  EXPECT(punktfunk_datagram_encode(&in, buf, sizeof(buf), &n) == PUNKTFUNK_STATUS_OK);
  EXPECT(punktfunk_datagram_decode(buf, n, &out) == PUNKTFUNK_STATUS_OK);
  EXPECT(out.host_send_ns == 3 && out.host_receive_ns == 2 && out.client_send_ns == 1);

  EXPECT(punktfunk_datagram_encode(&in, buf, 3, &n) == PUNKTFUNK_STATUS_RESOURCE_EXHAUSTED);
  EXPECT(punktfunk_datagram_decode(buf, 3, &out) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  buf[0] = 0x42;
  EXPECT(punktfunk_datagram_decode(buf, 20, &out) == PUNKTFUNK_STATUS_NOT_FOUND);
  in.tag = 0x42;
  EXPECT(punktfunk_datagram_encode(&in, buf, sizeof(buf), &n) == PUNKTFUNK_STATUS_NOT_FOUND);
}

static void test_pacing(void) {
  PunktfunkPacingPlan plan;
  memset(&plan, 0, sizeof(plan));
  plan.struct_size = sizeof(plan);
  EXPECT(punktfunk_pacing_plan(100, 1456, 20000000u, &plan) == PUNKTFUNK_STATUS_OK);
  EXPECT(plan.packets_per_group == 12 && plan.groups == 9 && plan.interval_ns == 6988800u);
}

int main(void) {
  test_frames_under_loss();
  test_datagrams();
  test_pacing();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("dataplane_test: all checks passed\n");
  return 0;
}
