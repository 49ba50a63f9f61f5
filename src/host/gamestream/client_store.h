// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace pf::host::gamestream {

struct PairedClient {
  std::string id;         // first 16 hex digits of the certificate's SHA-256
  std::string name;       // the device name sent while pairing
  std::string cert_pem;   // as the client presented it
  std::string paired_at;  // UTC, ISO 8601
};

// Paired GameStream clients, persisted as JSON (clients.json in the state
// directory, written atomically). Clients are identified only by their
// certificate (every Moonlight sends the same `uniqueid`), compared as DER
// bytes. Re-reads the file when it changed on disk, so `punktfunk-host
// clients unpair` takes effect in a running host. Thread-safe.
class ClientStore {
 public:
  // Loads the file: a missing file is an empty store, an older format is
  // upgraded and a damaged file moved aside (host/config/state_file.h).
  static Result<std::unique_ptr<ClientStore>> open(const std::filesystem::path& file);

  bool is_paired(const std::string& cert_pem);
  std::optional<PairedClient> find(const std::string& cert_pem);
  // Adds (or renames) a client and saves. Every change is saved before it takes effect: when the
  // state file cannot be written (disk full, read-only), the store is left as it was and the
  // error returned.
  Result<PairedClient> add(const std::string& name, const std::string& cert_pem);
  // Removes clients whose id, id prefix (>= 4 digits) or name matches; returns
  // how many were removed.
  Result<size_t> remove(const std::string& id_or_name);
  // Renames the client whose id or id prefix (>= 4 digits) matches exactly
  // one client; kNotFound / kFailedPrecondition (ambiguous) otherwise.
  Result<PairedClient> rename(const std::string& id, const std::string& name);
  std::vector<PairedClient> list();

 private:
  explicit ClientStore(std::filesystem::path file) : file_(std::move(file)) {}
  Status load_locked();
  Status reload_if_changed_locked();
  Status save_locked();
  struct Snapshot {
    std::vector<PairedClient> clients;
    std::vector<std::vector<uint8_t>> ders;
  };
  Snapshot snapshot_locked() const { return {clients_, ders_}; }
  // Saves; on failure puts `before` back, so memory never holds what the file does not.
  Status commit_locked(Snapshot before);

  std::mutex mu_;
  std::filesystem::path file_;
  std::filesystem::file_time_type mtime_{};
  std::vector<PairedClient> clients_;
  std::vector<std::vector<uint8_t>> ders_;
};

// The store id of a certificate, or "" if it does not parse.
std::string client_id(const std::string& cert_pem);

}  // namespace pf::host::gamestream
