// SPDX-License-Identifier: MIT OR Apache-2.0
// punktfunk-ctl: the management API from the shell (status, sessions, paired
// clients, PINs, apps, host.toml, the log, the probes), so scripts need no
// curl. Talks HTTPS to the local host with the token and the host's
// certificate from its state directory.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "base/file_io.h"
#include "host/config/paths.h"
#include "host/ctl/api_client.h"

namespace {

using nlohmann::json;
using pf::host::ctl::ApiClient;

struct Ctl {
  ApiClient* api = nullptr;
  bool raw_json = false;
};

// Calls the API; prints the error and returns nullopt on failure.
std::optional<json> call(Ctl& c,
                         const std::string& method,
                         const std::string& path,
                         const std::optional<json>& body = std::nullopt) {
  auto r = c.api->call(method, path, body);
  if (!r) {
    std::fprintf(stderr, "punktfunk-ctl: %s\n", r.error().message().c_str());
    return std::nullopt;
  }
  if (r->status / 100 != 2) {
    const std::string msg = r->body.is_object() && r->body.contains("error")
                                ? r->body["error"].get<std::string>()
                                : fmt::format("HTTP {}", r->status);
    std::fprintf(stderr, "punktfunk-ctl: %s\n", msg.c_str());
    return std::nullopt;
  }
  if (c.raw_json)
    std::printf("%s\n", r->body.dump(2).c_str());
  return r->body;
}

std::string str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null())
    return "-";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

int status(Ctl& c) {
  auto s = call(c, "GET", "/status");
  if (!s)
    return 1;
  if (c.raw_json)
    return 0;
  const long up = (*s)["uptime_s"].get<long>();
  std::printf("%s: punktfunk-host %s, up %ldh %02ldm %02lds, encoder %s\n", str(*s, "name").c_str(),
              str(*s, "version").c_str(), up / 3600, up / 60 % 60, up % 60,
              str(*s, "encoder").c_str());
  const json& g = (*s)["gamestream"];
  std::printf("GameStream: HTTP %s, HTTPS %s, RTSP %s%s\n", str(g, "http_port").c_str(),
              str(g, "https_port").c_str(), str(g, "rtsp_port").c_str(),
              g.value("streaming", false) ? ", streaming" : "");
  const json& n = (*s)["punktfunk"];
  if (n.is_null())
    std::printf("punktfunk/1: off\n");
  else
    std::printf("punktfunk/1: UDP %s, %s connection(s), %s session(s)\n", str(n, "port").c_str(),
                str(n, "connections").c_str(), str(n, "sessions").c_str());
  return 0;
}

int sessions(Ctl& c) {
  auto s = call(c, "GET", "/sessions");
  if (!s)
    return 1;
  if (c.raw_json)
    return 0;
  if (s->empty()) {
    std::printf("no sessions\n");
    return 0;
  }
  std::printf("%-10s  %-11s  %-20s  %-14s  %-20s  %-12s  %-9s  %-8s  %-7s  %s\n", "ID", "PROTOCOL",
              "CLIENT", "MODE", "DISPLAY", "APP", "STATE", "FRAMES", "LOSS", "RTT");
  for (const auto& x : *s) {
    const std::string mode = x.contains("width")
                                 ? fmt::format("{}x{}@{}", x["width"].get<int>(),
                                               x["height"].get<int>(), x["fps"].get<double>())
                                 : "-";
    const std::string loss =
        x.contains("loss_percent") ? fmt::format("{:.2f} %", x["loss_percent"].get<double>()) : "-";
    const std::string rtt =
        x.contains("rtt_ms") ? fmt::format("{:.1f} ms", x["rtt_ms"].get<double>()) : "-";
    std::printf("%-10s  %-11s  %-20s  %-14s  %-20s  %-12s  %-9s  %-8s  %-7s  %s\n",
                str(x, "id").c_str(), str(x, "protocol").c_str(), str(x, "client").c_str(),
                mode.c_str(), str(x, "display").c_str(), str(x, "app").c_str(),
                str(x, "state").c_str(), str(x, "frames").c_str(), loss.c_str(), rtt.c_str());
  }
  return 0;
}

int clients(Ctl& c) {
  auto moonlight = call(c, "GET", "/gamestream-clients");
  auto devices = moonlight ? call(c, "GET", "/devices") : std::nullopt;
  if (!moonlight || !devices)
    return 1;
  if (c.raw_json)
    return 0;
  if (moonlight->empty() && devices->empty()) {
    std::printf("no paired clients\n");
    return 0;
  }
  std::printf("%-16s  %-9s  %-20s  %s\n", "ID", "KIND", "PAIRED (UTC)", "NAME");
  for (const auto& [list, kind] : {std::pair{&*moonlight, "moonlight"}, {&*devices, "punktfunk"}})
    for (const auto& x : *list)
      std::printf("%-16s  %-9s  %-20s  %s\n", str(x, "id").c_str(), kind,
                  str(x, "paired_at").c_str(), str(x, "name").c_str());
  return 0;
}

// A client id may name a Moonlight client or a punktfunk/1 device: try both.
int client_action(Ctl& c,
                  const std::string& method,
                  const std::string& id,
                  const std::optional<json>& body,
                  const char* done) {
  for (const char* base : {"/gamestream-clients/", "/devices/"}) {
    auto r = c.api->call(method, base + id, body);
    if (!r) {
      std::fprintf(stderr, "punktfunk-ctl: %s\n", r.error().message().c_str());
      return 1;
    }
    if (r->status == 404 || r->status == 503)
      continue;
    if (r->status / 100 != 2) {
      std::fprintf(stderr, "punktfunk-ctl: %s\n", str(r->body, "error").c_str());
      return 1;
    }
    if (c.raw_json)
      std::printf("%s\n", r->body.dump(2).c_str());
    else
      std::printf("%s %s\n", done, id.c_str());
    return 0;
  }
  std::fprintf(stderr, "punktfunk-ctl: no paired client or device with id '%s'\n", id.c_str());
  return 1;
}

int pin(Ctl& c, const std::string& given, bool native) {
  if (native) {
    auto r = call(c, "POST", "/pairing/native-pin");
    if (!r)
      return 1;
    if (!c.raw_json)
      std::printf("PIN %s (valid %s s, one attempt): enter it in the punktfunk client\n",
                  str(*r, "pin").c_str(), str(*r, "valid_s").c_str());
    return 0;
  }
  if (given.empty()) {
    auto r = call(c, "GET", "/pairing");
    if (!r)
      return 1;
    if (c.raw_json)
      return 0;
    std::printf("Moonlight: %s\n",
                (*r)["gamestream_waiting"].is_null()
                    ? "no pairing waiting"
                    : fmt::format("'{}' waits for its PIN: punktfunk-ctl pin <PIN>",
                                  (*r)["gamestream_waiting"].get<std::string>())
                          .c_str());
    std::printf("punktfunk/1: %s\n", (*r)["native_pin"].is_null()
                                         ? "no PIN open (punktfunk-ctl pin --native)"
                                         : ("PIN " + str(*r, "native_pin")).c_str());
    return 0;
  }
  auto r = call(c, "POST", "/pairing/gamestream-pin", json{{"pin", given}});
  if (!r)
    return 1;
  if (!c.raw_json)
    std::printf("PIN handed over; Moonlight finishes pairing\n");
  return 0;
}

int apps(Ctl& c) {
  auto r = call(c, "GET", "/apps");
  if (!r)
    return 1;
  if (c.raw_json)
    return 0;
  std::printf("%-10s  %-28s  %s\n", "ID", "TITLE", "COMMAND");
  for (const auto& a : *r)
    std::printf("%-10s  %-28s  %s\n", str(a, "id").c_str(), str(a, "title").c_str(),
                a.value("command", "").empty() ? "(the desktop)" : str(a, "command").c_str());
  return 0;
}

int config_show(Ctl& c) {
  auto r = call(c, "GET", "/config");
  if (!r)
    return 1;
  if (c.raw_json)
    return 0;
  std::printf("# %s%s\n", str(*r, "file").c_str(),
              (*r)["values"].empty() ? " sets nothing: every default applies" : "");
  for (const auto& [k, v] : (*r)["values"].items())
    std::printf("%s = %s\n", k.c_str(), v.dump().c_str());
  return 0;
}

int config_change(Ctl& c,
                  const std::vector<std::string>& set,
                  const std::vector<std::string>& unset) {
  json values = json::object();
  for (const auto& kv : set) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "punktfunk-ctl: '%s' is not key=value\n", kv.c_str());
      return 2;
    }
    values[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& k : unset)
    values[k] = nullptr;
  auto r = call(c, "PATCH", "/config", json{{"values", values}});
  if (!r)
    return 1;
  if (!c.raw_json)
    std::printf("saved %s; it applies at the host's next start\n", str(*r, "file").c_str());
  return 0;
}

int logs(Ctl& c, int lines) {
  auto r = call(c, "GET", fmt::format("/logs?lines={}", lines));
  if (!r)
    return 1;
  if (c.raw_json)
    return 0;
  for (const auto& l : *r)
    std::printf("%s %-5s %s\n", str(l, "time").c_str(), str(l, "level").c_str(),
                str(l, "message").c_str());
  return 0;
}

int doctor(Ctl& c) {
  auto r = call(c, "GET", "/doctor");
  if (!r)
    return 1;
  if (c.raw_json)
    return 0;
  for (const auto& p : *r)
    std::printf("%-9s %-8s %-13s %s\n", str(p, "subsystem").c_str(), str(p, "backend").c_str(),
                p.value("available", false) ? "available" : "not available",
                str(p, "reason").c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"punktfunk-ctl: manage a running punktfunk-host (its management API)"};
  app.footer(
      "The token and the host's certificate come from $XDG_STATE_HOME/punktfunk (the host's "
      "state directory); run as the user the host runs as.");
  std::string host = "127.0.0.1", token;
  uint16_t port = 47990;
  bool raw_json = false, insecure = false;
  app.add_option("--host", host, "the host's address")->capture_default_str();
  app.add_option("--port", port, "the management API's port (punktfunk-host --mgmt-port)")
      ->capture_default_str();
  app.add_option("--token", token, "the API token (default: $PUNKTFUNK_TOKEN, else the state dir)");
  app.add_flag("--json", raw_json, "print the API's JSON answers as they are");
  app.add_flag("--insecure", insecure, "do not check the host's certificate");
  app.require_subcommand(1);

  app.add_subcommand("status", "the host's version, uptime, encoder and ports");
  auto* sess = app.add_subcommand("sessions", "live sessions; `sessions end ID` ends one");
  auto* sess_end = sess->add_subcommand("end", "end a session (the client is told)");
  std::string id, name;
  sess_end->add_option("ID", id, "the session's id (8 hex digits)")->required();
  auto* cl = app.add_subcommand("clients", "paired Moonlight clients and punktfunk devices");
  auto* cl_rename = cl->add_subcommand("rename", "rename a client");
  cl_rename->add_option("ID", id, "id or id prefix (4+ digits)")->required();
  cl_rename->add_option("NAME", name, "the new name")->required();
  auto* cl_remove = cl->add_subcommand("remove", "unpair a client (its session ends)");
  cl_remove->add_option("ID", id, "id or id prefix (4+ digits)")->required();
  auto* pin_cmd = app.add_subcommand(
      "pin", "hand Moonlight's PIN to the waiting pairing; --native: a PIN for a punktfunk client");
  std::string given_pin;
  bool native = false;
  pin_cmd->add_option("PIN", given_pin, "the 4 digits Moonlight shows");
  pin_cmd->add_flag("--native", native, "open a punktfunk/1 pairing PIN");
  auto* apps_cmd = app.add_subcommand("apps", "apps Moonlight can launch");
  auto* apps_add = apps_cmd->add_subcommand("add", "add an app");
  std::string title, command, image;
  bool hdr = false;
  apps_add->add_option("TITLE", title, "what clients show")->required();
  apps_add->add_option("--command", command, "run on the session's display when launched");
  apps_add->add_option("--image", image, "box art: absolute path of a PNG");
  apps_add->add_flag("--hdr", hdr, "the app can stream HDR");
  auto* apps_remove = apps_cmd->add_subcommand("remove", "remove an app");
  uint32_t app_id = 0;
  apps_remove->add_option("ID", app_id, "the app's id (punktfunk-ctl apps)")->required();
  auto* cfg = app.add_subcommand("config", "host.toml; `config set key=value`, `config unset key`");
  std::vector<std::string> set, unset;
  cfg->add_subcommand("set", "set keys (docs/configuration.md)")
      ->add_option("KEY=VALUE", set)
      ->required();
  cfg->add_subcommand("unset", "remove keys (their defaults apply)")
      ->add_option("KEY", unset)
      ->required();
  auto* logs_cmd = app.add_subcommand("logs", "the host's newest log lines");
  int lines = 50;
  logs_cmd->add_option("-n,--lines", lines, "how many (1-1000)")->capture_default_str();
  app.add_subcommand("doctor", "every backend's probe verdict");
  CLI11_PARSE(app, argc, argv);

  const auto paths = pf::host::Paths::from_environment();
  if (token.empty())
    if (const char* t = std::getenv("PUNKTFUNK_TOKEN"); t && *t)
      token = t;
  if (token.empty()) {
    auto t = pf::read_file(paths.state / "mgmt-token", 4096);
    if (!t) {
      std::fprintf(stderr,
                   "punktfunk-ctl: no API token (%s); run as the host's user, or pass --token\n",
                   t.error().message().c_str());
      return 2;
    }
    token = t->substr(0, t->find_first_of("\r\n"));
  }
  std::string cert;
  if (!insecure) {
    auto c = pf::read_file(paths.state / "host-cert.pem", 1 << 20);
    if (!c) {
      std::fprintf(stderr,
                   "punktfunk-ctl: cannot check the host's certificate (%s); --insecure skips "
                   "the check\n",
                   c.error().message().c_str());
      return 2;
    }
    cert = *c;
  }
  ApiClient api(host, port, token, cert);
  Ctl c{&api, raw_json};

  const auto* sub = app.get_subcommands().front();
  const std::string what = sub->get_name();
  if (what == "status")
    return status(c);
  if (what == "sessions") {
    if (sess_end->parsed())
      return call(c, "DELETE", "/sessions/" + id) ? (std::printf("ended %s\n", id.c_str()), 0) : 1;
    return sessions(c);
  }
  if (what == "clients") {
    if (cl_rename->parsed())
      return client_action(c, "PATCH", id, json{{"name", name}}, "renamed");
    if (cl_remove->parsed())
      return client_action(c, "DELETE", id, std::nullopt, "unpaired");
    return clients(c);
  }
  if (what == "pin")
    return pin(c, given_pin, native);
  if (what == "apps") {
    if (apps_add->parsed()) {
      json body{{"title", title}, {"command", command}, {"hdr", hdr}};
      if (!image.empty())
        body["image"] = image;
      auto r = call(c, "POST", "/apps", body);
      if (r && !raw_json)
        std::printf("added '%s' (id %s)\n", title.c_str(), str(*r, "id").c_str());
      return r ? 0 : 1;
    }
    if (apps_remove->parsed()) {
      auto r = call(c, "DELETE", fmt::format("/apps/{}", app_id));
      if (r && !raw_json)
        std::printf("removed app %u\n", app_id);
      return r ? 0 : 1;
    }
    return apps(c);
  }
  if (what == "config") {
    if (!set.empty() || !unset.empty())
      return config_change(c, set, unset);
    return config_show(c);
  }
  if (what == "logs")
    return logs(c, lines);
  return doctor(c);
}
