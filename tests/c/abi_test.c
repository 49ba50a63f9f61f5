/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* Compiled as strict C11 against include/punktfunk_core.h and linked with
 * libpunktfunk_core.so: proves the header is valid C and the ABI works from C. */
#include <stdio.h>
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

int main(void) {
  PunktfunkConfig config;
  PunktfunkConfig back;
  PunktfunkContext* ctx = NULL;
  int s;

  EXPECT(punktfunk_abi_version() == PUNKTFUNK_ABI_VERSION);
  printf("punktfunk ABI %u.%u\n", (unsigned)(punktfunk_abi_version() >> 16),
         (unsigned)(punktfunk_abi_version() & 0xffffu));

  for (s = PUNKTFUNK_STATUS_OK; s <= PUNKTFUNK_STATUS_CANCELLED; ++s) {
    const char* name = punktfunk_status_string((PunktfunkStatus)s);
    EXPECT(name != NULL && strcmp(name, "unknown") != 0);
  }

  memset(&config, 0, sizeof(config));
  config.struct_size = (uint32_t)sizeof(config);
  EXPECT(punktfunk_config_init(&config) == PUNKTFUNK_STATUS_OK);
  EXPECT(config.shard_bytes % 64 == 0);
  config.width = 3840;
  config.height = 2160;
  config.fps_x100 = 12000;
  config.max_bitrate_kbps = 1500000;
  config.fec_fields = PUNKTFUNK_FEC_GF16; /* alone: refused since ABI 0.5 */
  EXPECT(punktfunk_config_validate(&config) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  config.fec_fields = PUNKTFUNK_FEC_GF8 | PUNKTFUNK_FEC_GF16;
  config.ciphers = PUNKTFUNK_CIPHER_AES_128_GCM;
  config.codecs = PUNKTFUNK_CODEC_HEVC | PUNKTFUNK_CODEC_AV1;
  EXPECT(punktfunk_config_validate(&config) == PUNKTFUNK_STATUS_OK);
  EXPECT(punktfunk_context_create(&config, &ctx) == PUNKTFUNK_STATUS_OK);
  EXPECT(ctx != NULL);

  memset(&back, 0, sizeof(back));
  back.struct_size = (uint32_t)sizeof(back);
  EXPECT(punktfunk_context_get_config(ctx, &back) == PUNKTFUNK_STATUS_OK);
  EXPECT(memcmp(&config, &back, sizeof(config)) == 0);
  punktfunk_context_destroy(ctx);

  config.shard_bytes = 1000; /* not a multiple of 64 */
  EXPECT(punktfunk_config_validate(&config) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT(punktfunk_context_create(&config, &ctx) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);
  EXPECT(ctx == NULL);
  EXPECT(punktfunk_config_init(NULL) == PUNKTFUNK_STATUS_INVALID_ARGUMENT);

  if (failures) {
    fprintf(stderr, "C ABI harness: %d failure(s)\n", failures);
    return 1;
  }
  printf("C ABI harness: all checks passed\n");
  return 0;
}
