// SPDX-License-Identifier: MIT OR Apache-2.0
// The host's answers to the management API (the Host's part of host.h that
// builds the MgmtBackend).
#include <fmt/format.h>

#include "base/log.h"
#include "host/app/doctor.h"
#include "host/audio/mic_json.h"
#include "host/config/config_file.h"
#include "host/core/host.h"
#include "proto/config/host_config.h"

namespace pf::host {

namespace gs = gamestream;

namespace {

// An App object of the management API.
nlohmann::json app_json(const gs::App& a) {
  return {
      {"id", a.id}, {"title", a.title}, {"command", a.command}, {"image", a.image}, {"hdr", a.hdr}};
}

nlohmann::json device_json(const std::string& id, const std::string& name, const std::string& at) {
  return {{"id", id}, {"name", name}, {"paired_at", at}};
}

}  // namespace

nlohmann::json Host::session_json(const SessionInfo& i) {
  const int64_t now = SteadyClock::instance().now_ns();
  nlohmann::json j = {{"id", fmt::format("{:08x}", i.id)},
                      {"protocol", protocol_name(i.protocol)},
                      {"client", i.client_name},
                      {"width", i.mode.width},
                      {"height", i.mode.height},
                      {"fps", i.mode.fps},
                      {"display", i.display},
                      {"app", i.app.empty() ? "Desktop" : i.app},
                      {"state", i.streaming ? "streaming" : "lingering"},
                      {"uptime_s", (now - i.started_ns) / 1'000'000'000}};
  if (!i.address.empty())
    j["address"] = i.address;
  if (i.protocol == Protocol::kPunktfunk && native_) {
    j.update(native_->stats(i.id));
  } else if (i.protocol == Protocol::kGameStream) {
    if (const auto g = gamestream_->streamer().stats(i.client_key)) {
      j["codec"] = g->codec;
      j["encoder"] = g->encoder;
      j["chroma"] = g->chroma;
      j["bit_depth"] = g->chroma.empty() ? 0 : 8;  // GameStream streams are 8-bit (no HDR yet)
      j["frames"] = g->frames;
      j["recovery_frames"] = g->rfi_honoured;
      j["bitrate_kbps"] = g->bitrate_kbps;
      j["loss_percent"] = g->loss_percent;
      if (g->rtt_ms)
        j["rtt_ms"] = *g->rtt_ms;
    }
  }
  return j;
}

mgmt::MgmtBackend Host::mgmt_backend() {
  mgmt::MgmtBackend mb;
  mb.status = [this] {
    nlohmann::json j;
    j["version"] = PUNKTFUNK_VERSION;
    j["name"] = host_name_;
    j["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::steady_clock::now() - started_)
                        .count();
    j["encoder"] = encoder_;
    j["sessions"] = sessions_->size();
    j["max_sessions"] = options_.max_sessions;
    j["gamestream"] = {{"http_port", gamestream_->http_port()},
                       {"https_port", gamestream_->https_port()},
                       {"rtsp_port", gamestream_->rtsp_port()},
                       {"streaming", gamestream_->streamer().active() > 0},
                       {"streams", gamestream_->streamer().active()}};
    if (native_) {
      const auto st = native_->service().stats();
      j["punktfunk"] = {{"port", native_->service().port()},
                        {"connections", st.connections},
                        {"sessions", st.sessions}};
      j["mic"] = mic_json(native_->mic().stats());
    } else {
      j["punktfunk"] = nullptr;
      j["mic"] = nullptr;
    }
    return j;
  };
  if (native_) {
    auto& ns = native_->service();
    mb.open_native_pin = [&ns] { return ns.open_pin(); };
    mb.native_pin = [&ns] { return ns.current_pin(); };
    mb.native_devices = [&ns] { return ns.paired_clients(); };
    mb.remove_native_device = [&ns](const std::string& id) { return ns.unpair(id); };
    mb.rename_native_device = [&ns](const std::string& id,
                                    const std::string& name) -> Result<nlohmann::json> {
      auto p = ns.rename(id, name);
      if (!p)
        return tl::unexpected(p.error());
      return device_json(p->id(), p->name, p->paired_at);
    };
  }
  mb.sessions = [this] {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& i : sessions_->list())
      list.push_back(session_json(i));
    return list;
  };
  mb.end_session = [this](const std::string& id) {
    if (id.empty() || id.size() > 8 || id.find_first_not_of("0123456789abcdefABCDEF") != id.npos)
      return false;
    return sessions_->end(static_cast<uint32_t>(std::stoul(id, nullptr, 16)),
                          "the host's administrator ended the session");
  };
  mb.doctor = [] {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : run_probes())
      list.push_back({{"subsystem", p.subsystem},
                      {"backend", p.backend},
                      {"available", p.available},
                      {"reason", p.reason}});
    return list;
  };
  auto& svc = *gamestream_;
  mb.gamestream_clients = [&svc] {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : svc.clients().list())
      list.push_back(device_json(c.id, c.name, c.paired_at));
    return list;
  };
  mb.remove_gamestream_client = [&svc](const std::string& id) { return svc.clients().remove(id); };
  mb.rename_gamestream_client = [&svc](const std::string& id,
                                       const std::string& name) -> Result<nlohmann::json> {
    auto c = svc.clients().rename(id, name);
    if (!c)
      return tl::unexpected(c.error());
    return device_json(c->id, c->name, c->paired_at);
  };
  auto config = std::make_shared<HostConfigFile>(options_.config_file);
  mb.config = [config]() -> Result<nlohmann::json> {
    auto e = config->read();
    if (!e)
      return make_error(StatusCode::kFailedPrecondition, e.error().message());
    return config_document(config->path(), *e);
  };
  mb.update_config =
      [config](const std::vector<proto::config::ConfigChange>& c) -> Result<nlohmann::json> {
    auto e = config->update(c);
    if (!e)
      return tl::unexpected(e.error());
    return config_document(config->path(), *e);
  };
  mb.apps = [&svc] {
    nlohmann::json list = nlohmann::json::array();
    const auto apps = svc.apps().list();
    for (const auto& a : apps.apps())
      list.push_back(app_json(a));
    return list;
  };
  mb.add_app = [&svc](const proto::mgmt::AppRequest& r) -> Result<nlohmann::json> {
    auto a = svc.apps().add(gs::App{0, r.title, r.command, r.image, r.hdr});
    if (!a)
      return tl::unexpected(a.error());
    log_info("apps: added '{}' (id {})", a->title, a->id);
    return app_json(*a);
  };
  mb.remove_app = [&svc](uint32_t id) { return svc.apps().remove(id); };
  mb.gamestream_waiting = [&svc] { return svc.pins().waiting_device(); };
  mb.submit_gamestream_pin = [&svc](const std::string& pin) { return svc.pins().submit(pin); };
  return mb;
}

Status Host::start_mgmt(const Paths& paths) {
  auto token = mgmt::load_or_create_token(paths.state / "mgmt-token");
  if (!token)
    return Status(token.error().code(), "mgmt: " + token.error().message());
  mgmt::MgmtOptions mo;
  mo.port = options_.mgmt_port;
  mo.address = options_.mgmt_bind;
  mo.token = *token;
  mo.cert_pem = gamestream_->identity().cert_pem;
  mo.key_pem = gamestream_->identity().key_pem;
  auto m = mgmt::MgmtServer::start(mo, mgmt_backend());
  if (!m)
    return m.error();
  mgmt_ = std::move(*m);
  mgmt_port_ = mgmt_->port();
  return Status::ok();
}

}  // namespace pf::host
