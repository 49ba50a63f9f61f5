/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * punktfunk_core.h - the stable C ABI of the punktfunk core.
 *
 * Rules (see docs/ and the style guide, section 5):
 *  - punktfunk_abi_version() returns MAJOR << 16 | MINOR. Adding a function or a
 *    trailing struct field bumps MINOR; any other change bumps MAJOR.
 *  - Every config struct starts with `uint32_t struct_size`; callers set it to
 *    sizeof() of the struct they were compiled against, so older callers keep working.
 *  - Handles are opaque. Every function that can fail returns PunktfunkStatus.
 *    Nothing is thrown across this boundary.
 *  - Enum values are explicit and never renumbered.
 *
 * Thread model: functions on different handles may be called from different
 * threads; one handle must not be used from two threads at once.
 */
#ifndef PUNKTFUNK_CORE_H_
#define PUNKTFUNK_CORE_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PUNKTFUNK_API __attribute__((visibility("default")))
#else
#define PUNKTFUNK_API
#endif

#define PUNKTFUNK_ABI_VERSION_MAJOR 0
#define PUNKTFUNK_ABI_VERSION_MINOR 1
#define PUNKTFUNK_ABI_VERSION \
  ((uint32_t)((PUNKTFUNK_ABI_VERSION_MAJOR << 16) | PUNKTFUNK_ABI_VERSION_MINOR))

/* Status codes. Values mirror pf::StatusCode and never change. */
typedef enum PunktfunkStatus {
  PUNKTFUNK_STATUS_OK = 0,
  PUNKTFUNK_STATUS_INVALID_ARGUMENT = 1,
  PUNKTFUNK_STATUS_OUT_OF_RANGE = 2,
  PUNKTFUNK_STATUS_NOT_FOUND = 3,
  PUNKTFUNK_STATUS_ALREADY_EXISTS = 4,
  PUNKTFUNK_STATUS_PERMISSION_DENIED = 5,
  PUNKTFUNK_STATUS_RESOURCE_EXHAUSTED = 6,
  PUNKTFUNK_STATUS_FAILED_PRECONDITION = 7,
  PUNKTFUNK_STATUS_UNAVAILABLE = 8,
  PUNKTFUNK_STATUS_UNIMPLEMENTED = 9,
  PUNKTFUNK_STATUS_DATA_LOSS = 10,
  PUNKTFUNK_STATUS_TIMEOUT = 11,
  PUNKTFUNK_STATUS_INTERNAL = 12,
  PUNKTFUNK_STATUS_CANCELLED = 13
} PunktfunkStatus;

/* FEC field preference bits (punktfunk/1 Hello). */
typedef enum PunktfunkFecField { PUNKTFUNK_FEC_GF8 = 1, PUNKTFUNK_FEC_GF16 = 2 } PunktfunkFecField;

/* Cipher preference bits (punktfunk/1 Hello). */
typedef enum PunktfunkCipher {
  PUNKTFUNK_CIPHER_AES_128_GCM = 1,
  PUNKTFUNK_CIPHER_CHACHA20_POLY1305 = 2
} PunktfunkCipher;

/* Codec bits (punktfunk/1 Hello). */
typedef enum PunktfunkCodec {
  PUNKTFUNK_CODEC_H264 = 1,
  PUNKTFUNK_CODEC_HEVC = 2,
  PUNKTFUNK_CODEC_AV1 = 4
} PunktfunkCodec;

/* Session configuration. Fill with punktfunk_config_init() first, then change
 * what you need. Fields are only ever appended. */
typedef struct PunktfunkConfig {
  uint32_t struct_size; /* sizeof(PunktfunkConfig) as the caller knows it */
  uint16_t width;       /* requested mode, pixels */
  uint16_t height;
  uint32_t fps_x100; /* frames per second times 100 (5994 = 59.94) */
  uint32_t max_bitrate_kbps;
  uint16_t shard_bytes;   /* video shard payload, a multiple of 64 */
  uint8_t fec_percent;    /* 0..255, parity per 100 data shards */
  uint8_t fec_fields;     /* PunktfunkFecField bits */
  uint8_t ciphers;        /* PunktfunkCipher bits */
  uint8_t codecs;         /* PunktfunkCodec bits */
  uint8_t audio_channels; /* 2, 6 or 8 */
  uint8_t reserved0;      /* must be 0 */
} PunktfunkConfig;

/* Opaque context that owns a validated configuration. */
typedef struct PunktfunkContext PunktfunkContext;

/* MAJOR << 16 | MINOR of the library actually loaded. */
PUNKTFUNK_API uint32_t punktfunk_abi_version(void);

/* A static, human-readable name for a status ("invalid_argument"); never NULL. */
PUNKTFUNK_API const char* punktfunk_status_string(PunktfunkStatus status);

/* Fills *config with defaults. The caller sets config->struct_size to
 * sizeof(PunktfunkConfig) as it was compiled; fields past that size are not
 * touched. A struct_size smaller than the first ABI version's struct is refused. */
PUNKTFUNK_API PunktfunkStatus punktfunk_config_init(PunktfunkConfig* config);

/* Checks a configuration without creating anything. */
PUNKTFUNK_API PunktfunkStatus punktfunk_config_validate(const PunktfunkConfig* config);

/* Creates a context holding a copy of a validated config. On error *out is NULL. */
PUNKTFUNK_API PunktfunkStatus punktfunk_context_create(const PunktfunkConfig* config,
                                                       PunktfunkContext** out);

/* Copies the context's config into *out, up to out->struct_size bytes. */
PUNKTFUNK_API PunktfunkStatus punktfunk_context_get_config(const PunktfunkContext* context,
                                                           PunktfunkConfig* out);

/* Destroys a context; NULL is allowed. */
PUNKTFUNK_API void punktfunk_context_destroy(PunktfunkContext* context);

#ifdef __cplusplus
}
#endif

#endif /* PUNKTFUNK_CORE_H_ */
