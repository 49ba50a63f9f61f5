/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* Strict C11 against libpunktfunk_core.so: a client's whole control plane
 * against a running punktfunk-host. Usage: connection_test HOST:PORT PIN DIR
 * (PIN from `punktfunk-host pair`). Pairs, refuses a wrong pinned
 * fingerprint, reconnects pinned, starts a session, sends input, mic and an
 * IDR request, waits for clock sync, closes. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "punktfunk_core.h"

static int failures = 0;
#define EXPECT(cond)                                                         \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "%s:%d: FAILED: %s (%s)\n", __FILE__, __LINE__, #cond, \
              punktfunk_last_error_message());                               \
      ++failures;                                                            \
    }                                                                        \
  } while (0)

static void sleep_ms(long ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

static int closed_calls = 0;
static void on_closed(void* user, uint32_t reason, const char* text) {
  (void)user;
  (void)reason;
  (void)text;
  ++closed_calls;
}

int main(int argc, char** argv) {
  PunktfunkIdentity id;
  PunktfunkConnectOptions opt;
  PunktfunkConnectionCallbacks cb;
  PunktfunkConnection* conn = NULL;
  PunktfunkConfig config;
  PunktfunkSessionInfo info;
  PunktfunkClockSync clk;
  uint8_t fp[32], bad_fp[32];
  char host_name[64];
  const uint8_t opus[3] = {0xf8, 0xff, 0xfe};
  int i;

  if (argc != 4) {
    fprintf(stderr, "usage: connection_test HOST:PORT PIN DIR\n");
    return 2;
  }
  memset(&id, 0, sizeof id);
  id.struct_size = sizeof id;
  EXPECT(punktfunk_identity_load_or_create(argv[3], "c-harness", &id) == PUNKTFUNK_STATUS_OK);
  EXPECT(id.cert_pem != NULL && strstr(id.cert_pem, "BEGIN CERTIFICATE") != NULL);

  memset(&opt, 0, sizeof opt);
  opt.struct_size = sizeof opt;
  opt.host = argv[1];
  opt.cert_pem = id.cert_pem;
  opt.key_pem = id.key_pem;
  memset(&cb, 0, sizeof cb);
  cb.struct_size = sizeof cb;
  cb.on_closed = on_closed;

  /* Bad arguments are errors, not crashes. */
  EXPECT(punktfunk_connection_create(NULL, NULL, &conn) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT(conn == NULL);
  EXPECT(punktfunk_connection_send_input(NULL, 1, 30, 0, 0, 0) ==
         PUNKTFUNK_STATUS_INVALID_ARGUMENT);

  /* Unpaired: a session is refused with PERMISSION_DENIED. */
  EXPECT(punktfunk_connection_create(&opt, &cb, &conn) == PUNKTFUNK_STATUS_OK);
  config.struct_size = sizeof config;
  EXPECT(punktfunk_config_init(&config) == PUNKTFUNK_STATUS_OK);
  config.width = 1280;
  config.height = 720;
  config.fps_x100 = 6000;
  config.codecs = PUNKTFUNK_CODEC_H264;
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  EXPECT(punktfunk_connection_start_session(conn, &config, 40000, &info) ==
         PUNKTFUNK_STATUS_PERMISSION_DENIED);
  EXPECT(strstr(punktfunk_last_error_message(), "not paired") != NULL);
  punktfunk_connection_destroy(conn);
  conn = NULL;

  /* Pair with the PIN. */
  EXPECT(punktfunk_connection_create(&opt, &cb, &conn) == PUNKTFUNK_STATUS_OK);
  EXPECT(punktfunk_connection_pair(conn, argv[2], "C harness", host_name, sizeof host_name) ==
         PUNKTFUNK_STATUS_OK);
  EXPECT(strcmp(host_name, "capi-test") == 0);
  EXPECT(punktfunk_connection_host_fingerprint(conn, fp) == PUNKTFUNK_STATUS_OK);
  punktfunk_connection_destroy(conn);
  conn = NULL;

  /* Pinned to the wrong fingerprint: refused. */
  memcpy(bad_fp, fp, sizeof fp);
  bad_fp[0] ^= 1u;
  opt.expected_host_fingerprint = bad_fp;
  EXPECT(punktfunk_connection_create(&opt, &cb, &conn) == PUNKTFUNK_STATUS_PERMISSION_DENIED);
  EXPECT(conn == NULL);

  /* Pinned to the right one: a session with keys for the data plane. */
  opt.expected_host_fingerprint = fp;
  EXPECT(punktfunk_connection_create(&opt, &cb, &conn) == PUNKTFUNK_STATUS_OK);
  if (conn == NULL)
    return 1;
  /* Since 0.6: capabilities asked for and granted. This host makes H.264 High 4:4:4 and no
   * 10-bit H.264 (and never grants both at once). */
  config.capabilities = PUNKTFUNK_CAPABILITY_CHROMA_444 | PUNKTFUNK_CAPABILITY_VIDEO_10BIT;
  EXPECT(punktfunk_connection_start_session(conn, &config, 40000, &info) == PUNKTFUNK_STATUS_OK);
  EXPECT(info.capabilities == PUNKTFUNK_CAPABILITY_CHROMA_444);
  EXPECT(info.session_id != 0);
  EXPECT(info.width == 1280 && info.height == 720 && info.fps_x100 == 6000);
  EXPECT(info.codec == PUNKTFUNK_CODEC_H264);
  EXPECT(info.host_to_client.cipher == info.cipher);
  EXPECT(memcmp(info.host_to_client.key, info.client_to_host.key, 32) != 0);
  {
    /* The keys plug straight into the data plane. */
    PunktfunkReceiver* rx = NULL;
    config.shard_bytes = info.shard_bytes;
    EXPECT(punktfunk_receiver_create(&config, &info.host_to_client, &rx) == PUNKTFUNK_STATUS_OK);
    punktfunk_receiver_destroy(rx);
  }
  for (i = 0; i < 10; ++i)
    EXPECT(punktfunk_connection_send_input(conn, 3, 0, 5, -5, 0) == PUNKTFUNK_STATUS_OK);
  EXPECT(punktfunk_connection_send_mic(conn, 1, 0, opus, sizeof opus) == PUNKTFUNK_STATUS_OK);
  EXPECT(punktfunk_connection_request_idr(conn, 0) == PUNKTFUNK_STATUS_OK);
  EXPECT(punktfunk_connection_invalidate_refs(conn, 5, 7) == PUNKTFUNK_STATUS_OK);
  EXPECT(punktfunk_connection_invalidate_refs(conn, 7, 5) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT(punktfunk_connection_invalidate_refs(NULL, 5, 7) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  memset(&clk, 0, sizeof clk);
  clk.struct_size = sizeof clk;
  for (i = 0; i < 200 && clk.samples < 8; ++i) {
    punktfunk_connection_clock(conn, &clk);
    sleep_ms(10);
  }
  EXPECT(punktfunk_connection_clock(conn, &clk) == PUNKTFUNK_STATUS_OK);
  EXPECT(clk.samples >= 8);
  EXPECT(clk.rtt_ns > 0);
  EXPECT(clk.offset_ns > -2000000 && clk.offset_ns < 2000000);
  EXPECT(punktfunk_connection_close(conn, 0) == PUNKTFUNK_STATUS_OK);
  EXPECT(punktfunk_connection_send_input(conn, 1, 30, 0, 0, 0) == PUNKTFUNK_STATUS_UNAVAILABLE);
  punktfunk_connection_destroy(conn);
  punktfunk_identity_free(&id);
  EXPECT(id.cert_pem == NULL);
  if (failures) {
    fprintf(stderr, "connection_test: %d failure(s)\n", failures);
    return 1;
  }
  printf("connection_test: ok (clock offset %lld ns, rtt %lld ns, %u samples)\n",
         (long long)clk.offset_ns, (long long)clk.rtt_ns, clk.samples);
  return 0;
}
