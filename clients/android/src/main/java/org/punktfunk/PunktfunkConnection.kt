// SPDX-License-Identifier: MIT OR Apache-2.0
package org.punktfunk

import java.io.Closeable
import java.io.IOException

/** A punktfunk/1 control-plane connection over the core's C ABI (libpunktfunk_jni). */
class PunktfunkConnection @Throws(IOException::class) constructor(
    host: String,
    certPem: String,
    keyPem: String,
    pinnedHost: ByteArray? = null,
) : Closeable {
    private var handle: Long = nativeConnect(host, certPem, keyPem, pinnedHost)

    /** PIN pairing; returns the host's display name. */
    @Throws(IOException::class)
    fun pair(pin: String, clientName: String): String = nativePair(handle, pin, clientName)

    @Throws(IOException::class)
    fun sendInput(kind: Int, code: Int, x: Int = 0, y: Int = 0, flags: Int = 0) =
        nativeSendInput(handle, kind, code, x, y, flags)

    override fun close() {
        if (handle != 0L) nativeDestroy(handle)
        handle = 0L
    }

    private companion object {
        init { System.loadLibrary("punktfunk_jni") }
        @JvmStatic external fun nativeConnect(host: String, cert: String, key: String, pinned: ByteArray?): Long
        @JvmStatic external fun nativeDestroy(handle: Long)
        @JvmStatic external fun nativePair(handle: Long, pin: String, name: String): String
        @JvmStatic external fun nativeSendInput(handle: Long, kind: Int, code: Int, x: Int, y: Int, flags: Int)
    }
}
