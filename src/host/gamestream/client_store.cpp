// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/client_store.h"

#include <chrono>
#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/hex.h"
#include "base/log.h"
#include "crypto/pki.h"
#include "host/config/paths.h"
#include "host/config/state_file.h"

namespace pf::host::gamestream {

namespace fs = std::filesystem;

std::string client_id(const std::string& cert_pem) {
  auto der = crypto::certificate_der(cert_pem);
  if (!der)
    return {};
  return to_hex(crypto::sha256(*der), false).substr(0, 16);
}

Result<std::unique_ptr<ClientStore>> ClientStore::open(const fs::path& file) {
  std::unique_ptr<ClientStore> s(new ClientStore(file));
  std::lock_guard lock(s->mu_);
  if (auto st = s->load_locked(); !st.is_ok())
    return tl::unexpected(st);
  return s;
}

Status ClientStore::load_locked() {
  std::vector<PairedClient> clients;
  std::vector<std::vector<uint8_t>> ders;
  auto parse = [&](std::string_view text) -> Status {
    clients.clear();
    ders.clear();
    try {
      const auto j = nlohmann::json::parse(text);
      for (const auto& c : j.at("clients")) {
        PairedClient pc;
        pc.name = c.at("name").get<std::string>();
        pc.cert_pem = c.at("cert_pem").get<std::string>();
        pc.paired_at = c.value("paired_at", "");
        auto der = crypto::certificate_der(pc.cert_pem);
        if (!der) {
          log_warn("{}: skipping client '{}' whose certificate does not parse", file_.string(),
                   pc.name);
          continue;
        }
        pc.id = client_id(pc.cert_pem);
        clients.push_back(std::move(pc));
        ders.push_back(std::move(*der));
      }
    } catch (const std::exception& e) {
      return Status(StatusCode::kDataLoss, e.what());
    }
    return Status::ok();
  };
  auto loaded = load_state(file_, proto::config::gamestream_client_format(), parse,
                           "Moonlight clients paired in it have to pair again");
  if (!loaded)
    return loaded.error();
  if (loaded->outcome == LoadedState::Outcome::kMovedAside && !clients_.empty()) {
    // Damaged while this host runs: it still knows the clients; write them back.
    log_warn("{}: rewriting the {} client(s) this host had loaded", file_.string(),
             clients_.size());
    return save_locked();
  }
  clients_ = std::move(clients);
  ders_ = std::move(ders);
  std::error_code ec;
  const auto mtime = fs::last_write_time(file_, ec);
  mtime_ = ec ? fs::file_time_type{} : mtime;
  return Status::ok();
}

Status ClientStore::reload_if_changed_locked() {
  std::error_code ec;
  const auto mtime = fs::last_write_time(file_, ec);
  if (ec) {
    if (!clients_.empty()) {  // the file was removed: nobody is paired any more
      clients_.clear();
      ders_.clear();
    }
    return Status::ok();
  }
  if (mtime == mtime_)
    return Status::ok();
  return load_locked();
}

Status ClientStore::save_locked() {
  nlohmann::json j;
  j["version"] = 1;
  j["clients"] = nlohmann::json::array();
  for (const auto& c : clients_)
    j["clients"].push_back(
        {{"id", c.id}, {"name", c.name}, {"paired_at", c.paired_at}, {"cert_pem", c.cert_pem}});
  if (auto st = write_file_atomic(file_, j.dump(2) + "\n", 0600); !st.is_ok())
    return st;
  std::error_code ec;
  mtime_ = fs::last_write_time(file_, ec);
  return Status::ok();
}

Status ClientStore::commit_locked(Snapshot before) {
  Status st = save_locked();
  if (!st.is_ok()) {
    clients_ = std::move(before.clients);
    ders_ = std::move(before.ders);
  }
  return st;
}

std::optional<PairedClient> ClientStore::find(const std::string& cert_pem) {
  auto der = crypto::certificate_der(cert_pem);
  if (!der)
    return std::nullopt;
  std::lock_guard lock(mu_);
  if (auto st = reload_if_changed_locked(); !st.is_ok())
    log_warn("{}", st.to_string());
  for (size_t i = 0; i < ders_.size(); ++i)
    if (ders_[i] == *der)
      return clients_[i];
  return std::nullopt;
}

bool ClientStore::is_paired(const std::string& cert_pem) {
  return find(cert_pem).has_value();
}

Result<PairedClient> ClientStore::add(const std::string& name, const std::string& cert_pem) {
  auto der = crypto::certificate_der(cert_pem);
  if (!der)
    return tl::unexpected(der.error());
  std::lock_guard lock(mu_);
  if (auto st = reload_if_changed_locked(); !st.is_ok())
    return tl::unexpected(st);
  PairedClient pc{client_id(cert_pem), name.empty() ? "client" : name, cert_pem, utc_iso8601()};
  Snapshot before = snapshot_locked();
  bool replaced = false;
  for (size_t i = 0; i < ders_.size(); ++i)
    if (ders_[i] == *der) {
      clients_[i] = pc;
      replaced = true;
    }
  if (!replaced) {
    clients_.push_back(pc);
    ders_.push_back(std::move(*der));
  }
  if (auto st = commit_locked(std::move(before)); !st.is_ok())
    return tl::unexpected(st);
  return pc;
}

Result<size_t> ClientStore::remove(const std::string& key) {
  std::lock_guard lock(mu_);
  if (auto st = reload_if_changed_locked(); !st.is_ok())
    return tl::unexpected(st);
  Snapshot before = snapshot_locked();
  size_t removed = 0;
  for (size_t i = clients_.size(); i-- > 0;) {
    const auto& c = clients_[i];
    const bool match =
        c.name == key || c.id == key || (key.size() >= 4 && c.id.compare(0, key.size(), key) == 0);
    if (match) {
      clients_.erase(clients_.begin() + static_cast<long>(i));
      ders_.erase(ders_.begin() + static_cast<long>(i));
      ++removed;
    }
  }
  if (removed > 0)
    if (auto st = commit_locked(std::move(before)); !st.is_ok())
      return tl::unexpected(st);
  return removed;
}

Result<PairedClient> ClientStore::rename(const std::string& id, const std::string& name) {
  std::lock_guard lock(mu_);
  if (auto st = reload_if_changed_locked(); !st.is_ok())
    return tl::unexpected(st);
  PairedClient* hit = nullptr;
  for (auto& c : clients_)
    if (c.id == id || (id.size() >= 4 && c.id.compare(0, id.size(), id) == 0)) {
      if (hit)
        return make_error(StatusCode::kFailedPrecondition,
                          "'" + id + "' matches more than one client; give more digits");
      hit = &c;
    }
  if (!hit)
    return make_error(StatusCode::kNotFound, "no paired Moonlight client with that id");
  Snapshot before = snapshot_locked();
  hit->name = name;
  const PairedClient renamed = *hit;
  if (auto st = commit_locked(std::move(before)); !st.is_ok())
    return tl::unexpected(st);
  return renamed;
}

std::vector<PairedClient> ClientStore::list() {
  std::lock_guard lock(mu_);
  if (auto st = reload_if_changed_locked(); !st.is_ok())
    log_warn("{}", st.to_string());
  return clients_;
}

}  // namespace pf::host::gamestream
