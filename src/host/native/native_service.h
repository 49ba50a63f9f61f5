// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "host/native/host_session.h"
#include "host/native/pin_gate.h"
#include "net/quic/quic.h"
#include "proto/native/peer_list.h"

// The punktfunk/1 server (protocol sections 1-3, 5, 7): a QUIC endpoint on
// UDP 9777, the host identity and its paired clients (state directory), the
// pairing PIN, and one HostSession per connection. Host services (input,
// mic, media) plug in through SessionHooks.
//
// Thread model: connection callbacks run on the QUIC endpoint thread; the
// public methods are thread-safe. Hooks are called with the service's
// (recursive) lock held, so they may call send()/kick() but must not block.
namespace pf::host::native {

struct NativeServiceOptions {
  net::Address bind = net::Address::any_v4(9777);
  std::filesystem::path state_dir;  // native-cert.pem, native-key.pem, native-clients.json
  std::string host_name = "punktfunk host";
  pn::HostCapabilities caps;
  int64_t session_timeout_ms = 10'000;
  int64_t keepalive_ms = 500;
  net::QuicOptions quic;
};

struct NativeServiceStats {
  size_t connections = 0, sessions = 0;
  SessionCounters totals;  // of live and ended connections
};

// The host's paired punktfunk/1 devices (native-clients.json in the state
// directory), read through host/config/state_file: an older format upgraded,
// a damaged file moved aside (then `moved_aside` and an empty list), missing =
// empty. For the service and the `devices` command alike.
struct PairedDevices {
  pn::PeerList list;
  bool moved_aside = false;
};
std::filesystem::path paired_devices_file(const std::filesystem::path& state_dir);
Result<PairedDevices> load_paired_devices(const std::filesystem::path& file);

class NativeService {
 public:
  static Result<std::unique_ptr<NativeService>> start(const NativeServiceOptions& options,
                                                      SessionHooks hooks);
  ~NativeService();

  uint16_t port() const;
  const pn::Fingerprint& fingerprint() const { return fingerprint_; }

  // Opens a pairing PIN (valid 120 s, one attempt) and returns it.
  std::string open_pin();
  std::optional<std::string> current_pin();
  std::vector<pn::PinnedPeer> paired_clients();
  // Forgets clients (id, id prefix, or name); returns how many. Their live
  // connections are closed.
  Result<size_t> unpair(std::string_view who);
  // Renames the one client whose id or id prefix (>= 4 digits) matches;
  // kNotFound / kFailedPrecondition (ambiguous) otherwise.
  Result<pn::PinnedPeer> rename(std::string_view id, const std::string& name);

  NativeServiceStats stats();
  // Sends to an active session; false if there is none with that id.
  bool send(uint32_t session_id, const pn::ControlMessage& m);
  bool send_datagram(uint32_t session_id, std::span<const uint8_t> bytes);
  bool kick(uint32_t session_id, std::string_view text);
  // The QUIC connection's smoothed round-trip time of a session, if live.
  std::optional<int64_t> rtt_ns(uint32_t session_id);
  // Ends every session with Bye(host shutdown) and stops. Idempotent.
  void shutdown();

 private:
  struct Conn;
  NativeService() = default;
  Status load_peers_locked();
  // Saves `next` and only then makes it the list: memory never holds a pairing the disk lost.
  Status commit_peers_locked(pn::PeerList next);
  Conn* find_session_locked(uint32_t session_id);

  NativeServiceOptions options_;
  HostSessionOptions session_options_;
  SessionHooks hooks_;      // the caller's
  SessionHooks own_hooks_;  // wrapped with the paired-client store
  pn::Fingerprint fingerprint_{};
  std::unique_ptr<PinGate> pins_;
  std::recursive_mutex mu_;
  pn::PeerList peers_;
  std::filesystem::file_time_type peers_mtime_{};
  std::map<uint64_t, std::unique_ptr<Conn>> conns_;
  SessionCounters ended_;
  std::unique_ptr<net::QuicEndpoint> endpoint_;
};

}  // namespace pf::host::native
