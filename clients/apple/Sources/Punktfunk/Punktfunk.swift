// SPDX-License-Identifier: MIT OR Apache-2.0
// A thin Swift layer over the C ABI's control-plane connection: errors become
// Swift errors, strings and buffers are bridged, nothing else is added.
import CPunktfunkCore
import Foundation

public struct PunktfunkError: Error, CustomStringConvertible {
  public let status: PunktfunkStatus
  public let message: String
  public var description: String { "\(String(cString: punktfunk_status_string(status))): \(message)" }
}

private func check(_ s: PunktfunkStatus) throws {
  if s != PUNKTFUNK_STATUS_OK {
    throw PunktfunkError(status: s, message: String(cString: punktfunk_last_error_message()))
  }
}

public final class PunktfunkConnection {
  private var handle: OpaquePointer?

  /// Connects to `host` ("192.168.1.20" or "192.168.1.20:9777") with this
  /// device's PEM identity; `pinnedHost` (32 bytes) refuses any other host.
  public init(host: String, certPEM: String, keyPEM: String, pinnedHost: [UInt8]? = nil) throws {
    var options = PunktfunkConnectOptions()
    options.struct_size = UInt32(MemoryLayout<PunktfunkConnectOptions>.size)
    var out: OpaquePointer?
    let status: PunktfunkStatus = host.withCString { h in
      certPEM.withCString { c in
        keyPEM.withCString { k in
          options.host = h
          options.cert_pem = c
          options.key_pem = k
          if let pin = pinnedHost {
            return pin.withUnsafeBufferPointer { p in
              options.expected_host_fingerprint = p.baseAddress
              return punktfunk_connection_create(&options, nil, &out)
            }
          }
          return punktfunk_connection_create(&options, nil, &out)
        }
      }
    }
    try check(status)
    handle = out
  }

  deinit { punktfunk_connection_destroy(handle) }

  public func hostFingerprint() throws -> [UInt8] {
    var fp = [UInt8](repeating: 0, count: 32)
    try check(punktfunk_connection_host_fingerprint(handle, &fp))
    return fp
  }

  /// PIN pairing; returns the host's display name.
  public func pair(pin: String, clientName: String) throws -> String {
    var name = [CChar](repeating: 0, count: 128)
    try check(punktfunk_connection_pair(handle, pin, clientName, &name, name.count))
    return String(cString: name)
  }

  public func sendInput(kind: UInt8, code: UInt32, x: Int32 = 0, y: Int32 = 0, flags: UInt32 = 0) throws {
    try check(punktfunk_connection_send_input(handle, kind, code, x, y, flags))
  }

  public func sendMic(seq: UInt32, ptsNs: UInt64, opus: [UInt8]) throws {
    try check(punktfunk_connection_send_mic(handle, seq, ptsNs, opus, opus.count))
  }
}
