// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/native/peer_list.h"

#include <ctime>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/hex.h"

namespace pf::proto::native {

std::string PinnedPeer::id() const {
  return to_hex(fingerprint, false).substr(0, 16);
}

Result<PeerList> PeerList::parse(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("peers") || !j["peers"].is_array())
    return make_error(StatusCode::kInvalidArgument, "not a punktfunk peer list (JSON)");
  if (j.contains("version") && (!j["version"].is_number_integer() || j["version"] != kFormat))
    return make_error(StatusCode::kInvalidArgument,
                      "a peer list in a format this punktfunk does not read (upgrade punktfunk)");
  PeerList out;
  for (const auto& p : j["peers"]) {
    if (!p.is_object() || !p.contains("fingerprint") || !p["fingerprint"].is_string())
      return make_error(StatusCode::kInvalidArgument, "a peer entry lacks its fingerprint");
    auto fp = from_hex(p["fingerprint"].get<std::string>());
    if (!fp || fp->size() != 32)
      return make_error(StatusCode::kInvalidArgument, "a peer fingerprint is not 64 hex digits");
    PinnedPeer peer;
    std::copy(fp->begin(), fp->end(), peer.fingerprint.begin());
    peer.name = p.value("name", "");
    peer.address = p.value("address", "");
    peer.paired_at = p.value("paired_at", "");
    out.upsert(std::move(peer));
  }
  return out;
}

std::string PeerList::serialize() const {
  nlohmann::json j;
  j["version"] = kFormat;
  j["peers"] = nlohmann::json::array();
  for (const auto& p : peers_)
    j["peers"].push_back({{"fingerprint", to_hex(p.fingerprint, false)},
                          {"name", p.name},
                          {"address", p.address},
                          {"paired_at", p.paired_at}});
  return j.dump(2) + "\n";
}

const PinnedPeer* PeerList::find(const Fingerprint& fp) const {
  for (const auto& p : peers_)
    if (p.fingerprint == fp)
      return &p;
  return nullptr;
}

namespace {
bool matches(const PinnedPeer& p, std::string_view key) {
  if (key.empty())
    return false;
  const std::string hex = to_hex(p.fingerprint, false);
  return (key.size() >= 4 && hex.compare(0, key.size(), key) == 0) || p.name == key ||
         (!p.address.empty() && p.address == key);
}
}  // namespace

const PinnedPeer* PeerList::find(std::string_view key) const {
  for (const auto& p : peers_)
    if (matches(p, key))
      return &p;
  return nullptr;
}

void PeerList::upsert(PinnedPeer peer) {
  for (auto& p : peers_)
    if (p.fingerprint == peer.fingerprint) {
      p = std::move(peer);
      return;
    }
  peers_.push_back(std::move(peer));
}

size_t PeerList::remove(std::string_view key) {
  return std::erase_if(peers_, [&](const PinnedPeer& p) { return matches(p, key); });
}

std::string utc_now_iso8601() {
  return utc_iso8601();
}

}  // namespace pf::proto::native
