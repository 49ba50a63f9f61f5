// SPDX-License-Identifier: MIT OR Apache-2.0
// JNI glue for org.punktfunk.PunktfunkConnection: each native method calls
// one C ABI function; a failed call throws java.io.IOException with
// punktfunk_last_error_message().
#include <jni.h>

#include <string>

#include "punktfunk_core.h"

namespace {

bool ok_or_throw(JNIEnv* env, PunktfunkStatus s) {
  if (s == PUNKTFUNK_STATUS_OK)
    return true;
  const std::string msg =
      std::string(punktfunk_status_string(s)) + ": " + punktfunk_last_error_message();
  env->ThrowNew(env->FindClass("java/io/IOException"), msg.c_str());
  return false;
}

struct Utf8 {
  Utf8(JNIEnv* e, jstring s)
      : env(e), str(s), chars(s ? e->GetStringUTFChars(s, nullptr) : nullptr) {}
  ~Utf8() {
    if (chars)
      env->ReleaseStringUTFChars(str, chars);
  }
  JNIEnv* env;
  jstring str;
  const char* chars;
};

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_org_punktfunk_PunktfunkConnection_nativeConnect(JNIEnv* env,
                                                                             jclass,
                                                                             jstring host,
                                                                             jstring cert,
                                                                             jstring key,
                                                                             jbyteArray pinned) {
  Utf8 h(env, host), c(env, cert), k(env, key);
  PunktfunkConnectOptions o{};
  o.struct_size = sizeof o;
  o.host = h.chars;
  o.cert_pem = c.chars;
  o.key_pem = k.chars;
  jbyte fp[32];
  if (pinned && env->GetArrayLength(pinned) == 32) {
    env->GetByteArrayRegion(pinned, 0, 32, fp);
    o.expected_host_fingerprint = reinterpret_cast<const uint8_t*>(fp);
  }
  PunktfunkConnection* conn = nullptr;
  if (!ok_or_throw(env, punktfunk_connection_create(&o, nullptr, &conn)))
    return 0;
  return reinterpret_cast<jlong>(conn);
}

JNIEXPORT void JNICALL Java_org_punktfunk_PunktfunkConnection_nativeDestroy(JNIEnv*,
                                                                            jclass,
                                                                            jlong handle) {
  punktfunk_connection_destroy(reinterpret_cast<PunktfunkConnection*>(handle));
}

JNIEXPORT jstring JNICALL Java_org_punktfunk_PunktfunkConnection_nativePair(JNIEnv* env,
                                                                            jclass,
                                                                            jlong handle,
                                                                            jstring pin,
                                                                            jstring name) {
  Utf8 p(env, pin), n(env, name);
  char host_name[128] = {};
  if (!ok_or_throw(env, punktfunk_connection_pair(reinterpret_cast<PunktfunkConnection*>(handle),
                                                  p.chars, n.chars, host_name, sizeof host_name)))
    return nullptr;
  return env->NewStringUTF(host_name);
}

JNIEXPORT void JNICALL Java_org_punktfunk_PunktfunkConnection_nativeSendInput(JNIEnv* env,
                                                                              jclass,
                                                                              jlong handle,
                                                                              jint kind,
                                                                              jint code,
                                                                              jint x,
                                                                              jint y,
                                                                              jint flags) {
  ok_or_throw(env, punktfunk_connection_send_input(
                       reinterpret_cast<PunktfunkConnection*>(handle), static_cast<uint8_t>(kind),
                       static_cast<uint32_t>(code), x, y, static_cast<uint32_t>(flags)));
}

}  // extern "C"
