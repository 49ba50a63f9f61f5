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
#define PUNKTFUNK_ABI_VERSION_MINOR 6
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

/* Since 0.6. Capability bits of a session (punktfunk/1 Hello, asked; Welcome, granted). */
typedef enum PunktfunkCapability {
  PUNKTFUNK_CAPABILITY_CURSOR_CHANNEL = 0x1, /* the client draws the host's pointer (0xCF) */
  PUNKTFUNK_CAPABILITY_VIDEO_10BIT = 0x2,    /* HEVC Main10 / AV1 10-bit pictures */
  PUNKTFUNK_CAPABILITY_CHROMA_444 = 0x4,     /* 8-bit 4:4:4 pictures (never with 10-bit) */
  PUNKTFUNK_CAPABILITY_HDR = 0x8             /* BT.2020 PQ with its metadata; ask with 10-bit */
} PunktfunkCapability;

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
  uint8_t fec_fields;     /* PunktfunkFecField bits; GF8 required (since ABI 0.5) */
  uint8_t ciphers;        /* PunktfunkCipher bits */
  uint8_t codecs;         /* PunktfunkCodec bits */
  uint8_t audio_channels; /* 2, 6 or 8 */
  uint8_t reserved0;      /* must be 0 */
  uint32_t capabilities;  /* since 0.6: PunktfunkCapability bits to ask for (default 0) */
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

/* ---- Video data plane (punktfunk/1 section 4), since ABI 0.2 ------------ */

/* Keys of one direction of the video plane. */
typedef struct PunktfunkVideoKeys {
  uint32_t struct_size; /* sizeof(PunktfunkVideoKeys) */
  uint8_t cipher;       /* exactly one PunktfunkCipher value */
  uint8_t key_epoch;
  uint8_t reserved0[2]; /* must be 0 */
  uint8_t key[32];      /* AES-128-GCM uses the first 16 bytes */
  uint8_t iv_base[12];
} PunktfunkVideoKeys;

/* Host side: encoded frames -> sealed, FEC-protected UDP payloads. */
typedef struct PunktfunkSender PunktfunkSender;

/* Uses config->shard_bytes and config->fec_percent. On error *out is NULL. */
PUNKTFUNK_API PunktfunkStatus punktfunk_sender_create(const PunktfunkConfig* config,
                                                      const PunktfunkVideoKeys* keys,
                                                      PunktfunkSender** out);
PUNKTFUNK_API void punktfunk_sender_destroy(PunktfunkSender* sender);

/* Packetizes one encoded frame (frame_index from 1, increasing). The packets,
 * in send order, stay valid until the next submit or destroy; fetch them with
 * punktfunk_sender_packet(). */
PUNKTFUNK_API PunktfunkStatus punktfunk_sender_submit(PunktfunkSender* sender,
                                                      const uint8_t* data,
                                                      size_t size,
                                                      uint32_t frame_index,
                                                      uint64_t capture_us,
                                                      int keyframe,
                                                      size_t* packet_count);
PUNKTFUNK_API PunktfunkStatus punktfunk_sender_packet(const PunktfunkSender* sender,
                                                      size_t index,
                                                      const uint8_t** data,
                                                      size_t* size);
PUNKTFUNK_API PunktfunkStatus punktfunk_sender_set_fec_percent(PunktfunkSender* sender,
                                                               uint8_t percent);

/* How to spread a frame's packets over time: groups of packets_per_group,
 * group g sent at g * interval_ns after the first. rate_bps 0 = unpaced. */
typedef struct PunktfunkPacingPlan {
  uint32_t struct_size;
  uint32_t packets_per_group;
  uint32_t groups;
  uint32_t reserved0;
  uint64_t interval_ns;
} PunktfunkPacingPlan;
PUNKTFUNK_API PunktfunkStatus punktfunk_pacing_plan(size_t packets,
                                                    size_t packet_bytes,
                                                    uint64_t rate_bps,
                                                    PunktfunkPacingPlan* out);

/* What the receiver did with a packet. */
typedef enum PunktfunkPacketVerdict {
  PUNKTFUNK_PACKET_ACCEPTED = 0,
  PUNKTFUNK_PACKET_SURPLUS = 1, /* its block or frame was already complete */
  PUNKTFUNK_PACKET_LATE = 2,    /* its frame was already given up */
  PUNKTFUNK_PACKET_DUPLICATE = 3,
  PUNKTFUNK_PACKET_TOO_OLD = 4, /* behind the replay window */
  PUNKTFUNK_PACKET_AUTH_FAILED = 5,
  PUNKTFUNK_PACKET_MALFORMED = 6,
  PUNKTFUNK_PACKET_OVER_BUDGET = 7 /* would exceed the receiver's memory limits */
} PunktfunkPacketVerdict;

/* Client side: received UDP payloads -> frames, or "frame lost" events. */
typedef struct PunktfunkReceiver PunktfunkReceiver;

/* Uses config->shard_bytes; frames are given up 2 frame intervals
 * (config->fps_x100) after their first packet. On error *out is NULL. */
PUNKTFUNK_API PunktfunkStatus punktfunk_receiver_create(const PunktfunkConfig* config,
                                                        const PunktfunkVideoKeys* keys,
                                                        PunktfunkReceiver** out);
PUNKTFUNK_API void punktfunk_receiver_destroy(PunktfunkReceiver* receiver);

/* Feeds one datagram received at now_us (any bytes: bad ones are dropped and
 * counted, and still return OK). verdict may be NULL. */
PUNKTFUNK_API PunktfunkStatus punktfunk_receiver_push(PunktfunkReceiver* receiver,
                                                      const uint8_t* data,
                                                      size_t size,
                                                      uint64_t now_us,
                                                      PunktfunkPacketVerdict* verdict);

typedef enum PunktfunkEventKind {
  PUNKTFUNK_EVENT_FRAME = 1,     /* data/size hold the frame */
  PUNKTFUNK_EVENT_FRAME_LOST = 2 /* frames frame_index .. frame_index + count - 1 */
} PunktfunkEventKind;

typedef struct PunktfunkEvent {
  uint32_t struct_size;
  uint32_t kind; /* PunktfunkEventKind */
  uint32_t frame_index;
  uint32_t count;
  uint64_t capture_us;      /* host clock */
  uint64_t first_packet_us; /* receiver clock */
  uint64_t done_us;
  uint32_t shards_recovered;
  uint8_t keyframe;
  uint8_t recovery; /* since 0.4: references only frames before the last InvalidateRefs */
  uint8_t reserved0[2];
  const uint8_t* data; /* valid until the next poll or destroy */
  size_t size;
} PunktfunkEvent;

/* Events come in frame order. OK with *event filled, or UNAVAILABLE when
 * nothing is due at now_us. */
PUNKTFUNK_API PunktfunkStatus punktfunk_receiver_poll(PunktfunkReceiver* receiver,
                                                      uint64_t now_us,
                                                      PunktfunkEvent* event);

typedef struct PunktfunkReceiverStats {
  uint32_t struct_size;
  uint32_t reserved0;
  uint64_t packets_accepted;
  uint64_t packets_surplus;
  uint64_t packets_late;
  uint64_t duplicates;
  uint64_t too_old;
  uint64_t auth_failures;
  uint64_t malformed;
  uint64_t over_budget;
  uint64_t shards_recovered;
  uint64_t blocks_recovered;
  uint64_t frames_complete;
  uint64_t frames_lost;
  uint64_t frames_corrupt;
  uint64_t frames_unpolled;
} PunktfunkReceiverStats;
PUNKTFUNK_API PunktfunkStatus punktfunk_receiver_get_stats(const PunktfunkReceiver* receiver,
                                                           PunktfunkReceiverStats* out);

/* ---- Datagrams (punktfunk/1 section 5), since ABI 0.2 ------------------- */

typedef enum PunktfunkDatagramTag {
  PUNKTFUNK_DATAGRAM_INPUT = 0xC8,
  PUNKTFUNK_DATAGRAM_AUDIO = 0xC9,
  PUNKTFUNK_DATAGRAM_RUMBLE = 0xCA,
  PUNKTFUNK_DATAGRAM_MIC = 0xCB,
  PUNKTFUNK_DATAGRAM_CLOCK_PROBE = 0xCC,
  PUNKTFUNK_DATAGRAM_CLOCK_REPLY = 0xCD,
  PUNKTFUNK_DATAGRAM_HOST_TIMING = 0xCE,
  PUNKTFUNK_DATAGRAM_CURSOR = 0xCF /* since ABI 0.5: frame_index, code = shape serial, x, y =
                                      the hotspot in the picture's pixels, flags (1 visible) */
} PunktfunkDatagramTag;

/* One datagram, flat: `tag` says which fields mean something. */
typedef struct PunktfunkDatagram {
  uint32_t struct_size;
  uint8_t tag;        /* PunktfunkDatagramTag */
  uint8_t input_kind; /* input: 1 key down .. 12 touch (protocol section 5) */
  uint8_t pad;        /* rumble */
  uint8_t reserved0;
  uint32_t seq;                                /* audio, mic, clock probe, clock reply */
  uint32_t code;                               /* input */
  int32_t x;                                   /* input */
  int32_t y;                                   /* input */
  uint32_t flags;                              /* input */
  uint16_t low_motor, high_motor, duration_ms; /* rumble */
  uint16_t reserved1;
  uint32_t frame_index, capture_to_encoded_us, encoded_to_sent_us; /* host timing */
  uint32_t reserved2;
  uint64_t pts_ns;          /* audio, mic */
  uint64_t client_send_ns;  /* clock probe, clock reply */
  uint64_t host_receive_ns; /* clock reply */
  uint64_t host_send_ns;    /* clock reply */
  const uint8_t* payload;   /* audio, mic: the Opus packet (decode borrows the input) */
  size_t payload_size;
} PunktfunkDatagram;

/* Writes the datagram to out[0, capacity); *written gets its size.
 * RESOURCE_EXHAUSTED if it does not fit. */
PUNKTFUNK_API PunktfunkStatus punktfunk_datagram_encode(const PunktfunkDatagram* datagram,
                                                        uint8_t* out,
                                                        size_t capacity,
                                                        size_t* written);
/* Parses one datagram: NOT_FOUND for an unknown tag, INVALID_ARGUMENT for a
 * truncated one (count and drop). out->struct_size must be set. */
PUNKTFUNK_API PunktfunkStatus punktfunk_datagram_decode(const uint8_t* data,
                                                        size_t size,
                                                        PunktfunkDatagram* out);

/* ---- Control-plane connection (punktfunk/1 sections 2, 3, 5, 7), since ABI 0.3
 *
 * A client's QUIC connection to a host: pairing with the host's PIN, a
 * session (Hello -> Welcome with both directions' video keys, ready for
 * punktfunk_sender/receiver_create), input, mic and control messages, and clock
 * sync. Create, pair and start_session block the caller until the host
 * answers or the timeout passes; the send functions never block on the
 * network (they queue; a worker thread sends). Callbacks run on that worker
 * thread and must not block or call punktfunk_connection_destroy. */

/* The last error sentence of a failed call on this thread (never NULL). */
PUNKTFUNK_API const char* punktfunk_last_error_message(void);

/* A long-lived identity (ECDSA P-256 key + self-signed certificate, PEM). */
typedef struct PunktfunkIdentity {
  uint32_t struct_size;
  uint32_t reserved0;
  char* cert_pem; /* owned by the library: free with punktfunk_identity_free */
  char* key_pem;
} PunktfunkIdentity;

/* Loads the identity kept in `dir` (native-cert.pem, native-key.pem, mode
 * 0600), creating it on first use. */
PUNKTFUNK_API PunktfunkStatus punktfunk_identity_load_or_create(const char* dir,
                                                                const char* common_name,
                                                                PunktfunkIdentity* out);
PUNKTFUNK_API void punktfunk_identity_free(PunktfunkIdentity* identity);

typedef struct PunktfunkConnection PunktfunkConnection;

typedef struct PunktfunkConnectionCallbacks {
  uint32_t struct_size;
  uint32_t reserved0;
  void* user_data;
  /* Host -> client datagrams: audio (0xC9), rumble (0xCA), host timing (0xCE).
   * The payload is valid during the call only. May be NULL. */
  void (*on_datagram)(void* user_data, const PunktfunkDatagram* datagram);
  /* Host notices: SetBitrate (type 0x06, value kbps), SetFec (0x07, percent). */
  void (*on_notice)(void* user_data, uint8_t type, uint32_t value);
  /* The connection ended: Bye/close reason (0 normal, 1 host shutdown,
   * 2 kicked, 3 protocol error, 4 timeout, 5 not paired) and a sentence. */
  void (*on_closed)(void* user_data, uint32_t reason, const char* text);
} PunktfunkConnectionCallbacks;

typedef struct PunktfunkConnectOptions {
  uint32_t struct_size;
  uint32_t timeout_ms;  /* handshake timeout; 0 = 5000 */
  const char* host;     /* "192.168.1.20", "192.168.1.20:9777" or "[::1]:9777" */
  const char* cert_pem; /* this client's identity */
  const char* key_pem;
  /* 32 bytes: refuse any host certificate with another SHA-256 fingerprint
   * (a paired host). NULL accepts any host (only sensible for pairing). */
  const uint8_t* expected_host_fingerprint;
} PunktfunkConnectOptions;

/* Connects and completes the QUIC handshake. PERMISSION_DENIED if the host's
 * certificate is not the expected one. callbacks may be NULL. */
PUNKTFUNK_API PunktfunkStatus
punktfunk_connection_create(const PunktfunkConnectOptions* options,
                            const PunktfunkConnectionCallbacks* callbacks,
                            PunktfunkConnection** out);
/* Sends Bye (reason 0), closes and frees; NULL is allowed. */
PUNKTFUNK_API void punktfunk_connection_destroy(PunktfunkConnection* connection);
/* The host certificate's SHA-256 fingerprint (32 bytes), to pin after pairing. */
PUNKTFUNK_API PunktfunkStatus
punktfunk_connection_host_fingerprint(const PunktfunkConnection* connection, uint8_t out[32]);
/* PIN pairing. The host's display name goes to host_name (NUL-terminated,
 * truncated to capacity; may be NULL). PERMISSION_DENIED for a wrong PIN,
 * RESOURCE_EXHAUSTED when locked out, UNAVAILABLE when the host could not store
 * the pairing (nothing paired; try again with a new PIN);
 * punktfunk_last_error_message() says why. */
PUNKTFUNK_API PunktfunkStatus punktfunk_connection_pair(PunktfunkConnection* connection,
                                                        const char* pin,
                                                        const char* client_name,
                                                        char* host_name,
                                                        size_t host_name_capacity);

typedef struct PunktfunkSessionInfo {
  uint32_t struct_size;
  uint32_t session_id;
  uint16_t width;
  uint16_t height;
  uint16_t fps_x100;
  uint16_t shard_bytes;
  uint8_t codec;     /* one PunktfunkCodec value */
  uint8_t fec_field; /* one PunktfunkFecField value */
  uint8_t fec_percent;
  uint8_t cipher; /* one PunktfunkCipher value */
  uint16_t host_video_port;
  uint16_t reserved0;
  uint32_t initial_bitrate_kbps;
  uint32_t capabilities; /* since 0.6 (0 before): the PunktfunkCapability bits the host granted */
  PunktfunkVideoKeys host_to_client; /* for punktfunk_receiver_create */
  PunktfunkVideoKeys client_to_host;
} PunktfunkSessionInfo;

/* Negotiates a session from the config's mode, codecs, bitrate, FEC fields,
 * ciphers and audio channels. PERMISSION_DENIED if this client is not paired. */
PUNKTFUNK_API PunktfunkStatus punktfunk_connection_start_session(PunktfunkConnection* connection,
                                                                 const PunktfunkConfig* config,
                                                                 uint16_t client_video_port,
                                                                 PunktfunkSessionInfo* out);
/* Input (0xC8; kinds and fields as in protocol section 5). */
PUNKTFUNK_API PunktfunkStatus punktfunk_connection_send_input(PunktfunkConnection* connection,
                                                              uint8_t kind,
                                                              uint32_t code,
                                                              int32_t x,
                                                              int32_t y,
                                                              uint32_t flags);
/* One Opus packet of the microphone (0xCB). */
PUNKTFUNK_API PunktfunkStatus punktfunk_connection_send_mic(PunktfunkConnection* connection,
                                                            uint32_t seq,
                                                            uint64_t pts_ns,
                                                            const uint8_t* opus,
                                                            size_t size);
/* RequestIdr (last good frame index). */
PUNKTFUNK_API PunktfunkStatus punktfunk_connection_request_idr(PunktfunkConnection* connection,
                                                               uint32_t last_good_frame);
/* Since 0.4. InvalidateRefs: frames first .. last are gone for this client
 * (first = its last decoded frame + 1). Skip frames until one with `keyframe`
 * or `recovery` set, and decode again from there. */
PUNKTFUNK_API PunktfunkStatus punktfunk_connection_invalidate_refs(PunktfunkConnection* connection,
                                                                   uint32_t first_frame,
                                                                   uint32_t last_frame);

typedef struct PunktfunkClockSync {
  uint32_t struct_size;
  uint32_t samples;
  int64_t offset_ns; /* host clock - client clock */
  int64_t rtt_ns;
} PunktfunkClockSync;
/* UNAVAILABLE until the first clock reply arrived. */
PUNKTFUNK_API PunktfunkStatus punktfunk_connection_clock(const PunktfunkConnection* connection,
                                                         PunktfunkClockSync* out);
/* Sends Bye with the reason and closes (destroy still frees). */
PUNKTFUNK_API PunktfunkStatus punktfunk_connection_close(PunktfunkConnection* connection,
                                                         uint32_t reason);

#ifdef __cplusplus
}
#endif

#endif /* PUNKTFUNK_CORE_H_ */
