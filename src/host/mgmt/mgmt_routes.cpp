// SPDX-License-Identifier: MIT OR Apache-2.0
// The management API's routes, by group (mgmt_server.cpp assembles them).
#include <httplib.h>

#include "base/log.h"
#include "host/mgmt/mgmt_reply.h"
#include "host/mgmt/mgmt_server.h"
#include "host/mgmt/web_assets.h"
#include "proto/mgmt/access.h"
#include "proto/mgmt/requests.h"

namespace pf::host::mgmt {

using nlohmann::json;

// The web page without a token; every API request with it.
void MgmtServer::add_auth_check() {
  MgmtServer* self = this;
  auto& srv = *server_;
  // Every request needs the token; nothing else is answered without it.
  srv.set_pre_routing_handler([self](const httplib::Request& req, httplib::Response& res) {
    using proto::mgmt::MgmtAccess;
    const MgmtAccess access = proto::mgmt::mgmt_access(
        req.method, req.path, req.get_header_value("Authorization"), self->token_);
    if (access == MgmtAccess::kWebPage) {
      // The page itself holds no data; everything it shows comes from the API.
      res.set_header("Cache-Control", "no-store");
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
      res.set_header("X-Frame-Options", "DENY");
      res.set_content(std::string(web_index_html()), "text/html; charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (access == MgmtAccess::kRefused) {
      res.set_header("WWW-Authenticate", "Bearer");
      error(res, 401, "missing or wrong API token (punktfunk-host token prints it)");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

// Status and pairing.
void MgmtServer::add_pairing_routes() {
  MgmtServer* self = this;
  auto& srv = *server_;
  srv.Get("/api/v1/status", [self](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, self->backend_.status ? self->backend_.status() : json::object());
  });
  srv.Get("/api/v1/pairing", [self](const httplib::Request&, httplib::Response& res) {
    json j;
    const auto pin = self->backend_.native_pin ? self->backend_.native_pin() : std::nullopt;
    const auto waiting =
        self->backend_.gamestream_waiting ? self->backend_.gamestream_waiting() : std::nullopt;
    j["native_pin"] = pin ? json(*pin) : json(nullptr);
    j["gamestream_waiting"] = waiting ? json(*waiting) : json(nullptr);
    reply(res, 200, j);
  });
  srv.Post("/api/v1/pairing/native-pin", [self](const httplib::Request&, httplib::Response& res) {
    if (!self->backend_.open_native_pin)
      return error(res, 503, "punktfunk/1 is off on this host");
    reply(res, 201, json{{"pin", self->backend_.open_native_pin()}, {"valid_s", 120}});
  });
  srv.Post("/api/v1/pairing/gamestream-pin", [self](const httplib::Request& req,
                                                    httplib::Response& res) {
    auto pin = proto::mgmt::parse_gamestream_pin_request(req.body);
    if (!pin)
      return error(res, 400, pin.error().message());
    if (!self->backend_.submit_gamestream_pin || !self->backend_.submit_gamestream_pin(*pin))
      return error(res, 409, "no Moonlight pairing is waiting for a PIN");
    reply(res, 200, json{{"ok", true}});
  });
}

// Paired punktfunk/1 devices and Moonlight clients: list, unpair, rename.
void MgmtServer::add_device_routes() {
  MgmtServer* self = this;
  auto& srv = *server_;
  srv.Get("/api/v1/devices", [self](const httplib::Request&, httplib::Response& res) {
    json list = json::array();
    if (self->backend_.native_devices)
      for (const auto& p : self->backend_.native_devices())
        list.push_back({{"id", p.id()}, {"name", p.name}, {"paired_at", p.paired_at}});
    reply(res, 200, list);
  });
  // Unpairing a punktfunk/1 device or a Moonlight client: the same answers.
  const auto unpair = [](const decltype(MgmtBackend::remove_native_device)& fn,
                         const char* off_message, const char* not_found) {
    return [&fn, off_message, not_found](const httplib::Request& req, httplib::Response& res) {
      if (!fn)
        return error(res, 503, off_message);
      auto n = fn(req.matches[1]);
      if (!n)
        return error(res, 500, n.error().message());
      if (*n == 0)
        return error(res, 404, not_found);
      reply(res, 200, json{{"removed", *n}});
    };
  };
  srv.Delete(R"(/api/v1/devices/([0-9a-f]{4,64}))",
             unpair(self->backend_.remove_native_device, "punktfunk/1 is off on this host",
                    "no paired device with that id"));
  srv.Get("/api/v1/gamestream-clients", [self](const httplib::Request&, httplib::Response& res) {
    reply(res, 200,
          self->backend_.gamestream_clients ? self->backend_.gamestream_clients() : json::array());
  });
  srv.Delete(R"(/api/v1/gamestream-clients/([0-9a-f]{4,16}))",
             unpair(self->backend_.remove_gamestream_client, "GameStream is off on this host",
                    "no paired Moonlight client with that id"));
  const auto rename = [](const decltype(MgmtBackend::rename_native_device)& fn,
                         const char* off_message) {
    return [&fn, off_message](const httplib::Request& req, httplib::Response& res) {
      if (!fn)
        return error(res, 503, off_message);
      auto name = proto::mgmt::parse_rename_request(req.body);
      if (!name)
        return error(res, 400, name.error().message());
      auto renamed = fn(req.matches[1], *name);
      if (!renamed)
        return error(res, renamed.error());
      reply(res, 200, *renamed);
    };
  };
  srv.Patch(R"(/api/v1/devices/([0-9a-f]{4,64}))",
            rename(self->backend_.rename_native_device, "punktfunk/1 is off on this host"));
  srv.Patch(R"(/api/v1/gamestream-clients/([0-9a-f]{4,16}))",
            rename(self->backend_.rename_gamestream_client, "GameStream is off on this host"));
}

// Live sessions: list, end.
void MgmtServer::add_session_routes() {
  MgmtServer* self = this;
  auto& srv = *server_;
  srv.Get("/api/v1/sessions", [self](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, self->backend_.sessions ? self->backend_.sessions() : json::array());
  });
  srv.Delete(R"(/api/v1/sessions/([0-9a-f]{8}))",
             [self](const httplib::Request& req, httplib::Response& res) {
               if (!self->backend_.end_session || !self->backend_.end_session(req.matches[1]))
                 return error(res, 404, "no live session with that id");
               reply(res, 200, json{{"ended", true}});
             });
}

// host.toml: read, change.
void MgmtServer::add_config_routes() {
  MgmtServer* self = this;
  auto& srv = *server_;
  srv.Get("/api/v1/config", [self](const httplib::Request&, httplib::Response& res) {
    if (!self->backend_.config)
      return error(res, 503, "the configuration is not available");
    auto c = self->backend_.config();
    if (!c)
      return error(res, c.error());
    reply(res, 200, *c);
  });
  srv.Patch("/api/v1/config", [self](const httplib::Request& req, httplib::Response& res) {
    if (!self->backend_.update_config)
      return error(res, 503, "the configuration is not available");
    auto changes = proto::mgmt::parse_config_patch(req.body);
    if (!changes)
      return error(res, 400, changes.error().message());
    auto c = self->backend_.update_config(*changes);
    if (!c)
      return error(res, c.error());
    reply(res, 200, *c);
  });
}

// GameStream apps: list, add, remove.
void MgmtServer::add_app_routes() {
  MgmtServer* self = this;
  auto& srv = *server_;
  srv.Get("/api/v1/apps", [self](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, self->backend_.apps ? self->backend_.apps() : json::array());
  });
  srv.Post("/api/v1/apps", [self](const httplib::Request& req, httplib::Response& res) {
    if (!self->backend_.add_app)
      return error(res, 503, "GameStream is off on this host");
    auto app = proto::mgmt::parse_app_request(req.body);
    if (!app)
      return error(res, 400, app.error().message());
    auto added = self->backend_.add_app(*app);
    if (!added)
      return error(res, added.error());
    reply(res, 201, *added);
  });
  srv.Delete(
      R"(/api/v1/apps/([0-9]{1,10}))", [self](const httplib::Request& req, httplib::Response& res) {
        if (!self->backend_.remove_app)
          return error(res, 503, "GameStream is off on this host");
        const uint64_t id = std::stoull(req.matches[1]);
        const Status st = id > 0x7FFFFFFF ? Status(StatusCode::kNotFound, "no app with that id")
                                          : self->backend_.remove_app(static_cast<uint32_t>(id));
        if (!st.is_ok())
          return error(res, st);
        reply(res, 200, json{{"removed", 1}});
      });
}

// Recent log lines and the doctor's probes.
void MgmtServer::add_diagnostic_routes() {
  MgmtServer* self = this;
  auto& srv = *server_;
  srv.Get("/api/v1/logs", [](const httplib::Request& req, httplib::Response& res) {
    auto n = proto::mgmt::parse_log_lines(req.get_param_value("lines"));
    if (!n)
      return error(res, 400, n.error().message());
    json lines = json::array();
    for (const auto& l : recent_log_lines(*n))
      lines.push_back(
          {{"time", l.time}, {"level", log_level_name(l.level)}, {"message", l.message}});
    reply(res, 200, lines);
  });
  srv.Get("/api/v1/doctor", [self](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, self->backend_.doctor ? self->backend_.doctor() : json::array());
  });
}

}  // namespace pf::host::mgmt
