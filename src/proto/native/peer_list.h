// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "proto/native/pairing.h"

// The pinned peers of one side of punktfunk/1 (protocol section 2): the
// host's paired clients, or a client's paired hosts. Pure data with a JSON
// text form; the owner reads and writes the file (base/file_io.h, mode 0600).
// Thread model: a value type.
namespace pf::proto::native {

struct PinnedPeer {
  Fingerprint fingerprint{};
  std::string name;
  std::string address;     // clients remember where a host was ("" on the host)
  std::string paired_at;   // UTC, ISO 8601
  std::string id() const;  // first 16 hex digits of the fingerprint
};

class PeerList {
 public:
  // The "version" serialize() writes (proto/config/state_version.h upgrades
  // older files; a missing "version" is read as this layout too).
  static constexpr int kFormat = 1;
  // kInvalidArgument for text that is not a peer list or is in another
  // format version (a missing file is the caller's "empty list").
  static Result<PeerList> parse(std::string_view json_text);
  std::string serialize() const;

  const std::vector<PinnedPeer>& peers() const { return peers_; }
  const PinnedPeer* find(const Fingerprint& fp) const;
  // Finds by id, id prefix (4+ hex digits), name or address.
  const PinnedPeer* find(std::string_view id_name_or_address) const;
  // Adds or replaces (same fingerprint) a peer.
  void upsert(PinnedPeer peer);
  // Removes peers matching as find() does; returns how many.
  size_t remove(std::string_view id_name_or_address);

 private:
  std::vector<PinnedPeer> peers_;
};

std::string utc_now_iso8601();

}  // namespace pf::proto::native
