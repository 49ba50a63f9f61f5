// SPDX-License-Identifier: MIT OR Apache-2.0
// The management API over real HTTPS on loopback, with a fake backend.
#include "host/mgmt/mgmt_server.h"

#include <unistd.h>

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>

#include "base/file_io.h"
#include "base/log.h"
#include "crypto/pki.h"
#include "host/config/config_file.h"
#include "openapi_check.h"

namespace pf::host::mgmt {
namespace {

using nlohmann::json;

struct Fixture {
  std::mutex mu;
  std::optional<std::string> pin;
  std::optional<std::string> waiting = "Moonlight on a phone";
  std::string submitted;
  std::vector<proto::native::PinnedPeer> devices;
  static json session(const std::string& id,
                      const std::string& protocol,
                      const std::string& client,
                      const std::string& state) {
    return {{"id", id},        {"protocol", protocol}, {"client", client},
            {"width", 1280},   {"height", 720},        {"fps", 60},
            {"display", ":3"}, {"app", "Desktop"},     {"state", state},
            {"uptime_s", 12}};
  }
  json sessions = json::array({session("0a1b2c3d", "punktfunk/1", "Tablet", "streaming"),
                               session("00c0ffee", "gamestream", "TV", "lingering")});
  json moonlights = json::array({{{"id", "00112233aabbccdd"},
                                  {"name", "Moonlight on a TV"},
                                  {"paired_at", "2026-11-25T18:00:00Z"}}});
  json apps = json::array(
      {{{"id", 1}, {"title", "Desktop"}, {"command", ""}, {"image", ""}, {"hdr", false}}});
  std::filesystem::path config_path = std::filesystem::temp_directory_path() /
                                      ("pf-mgmt-config-" + std::to_string(getpid())) / "host.toml";
  HostConfigFile config{config_path};
  std::unique_ptr<MgmtServer> server;
  const std::string token = std::string(64, 'a');

  Fixture() {
    proto::native::PinnedPeer p;
    p.fingerprint.fill(0xab);
    p.name = "Tablet";
    p.paired_at = "2026-11-25T17:00:00Z";
    devices.push_back(p);
    MgmtBackend b;
    b.status = [] {
      return json{{"version", "test"},
                  {"name", "fixture"},
                  {"uptime_s", 5},
                  {"encoder", "x264"},
                  {"gamestream",
                   {{"http_port", 47989},
                    {"https_port", 47984},
                    {"rtsp_port", 48010},
                    {"streaming", false}}},
                  {"punktfunk", nullptr}};
    };
    b.open_native_pin = [this] {
      std::lock_guard l(mu);
      pin = "123456";
      return *pin;
    };
    b.native_pin = [this] {
      std::lock_guard l(mu);
      return pin;
    };
    b.native_devices = [this] {
      std::lock_guard l(mu);
      return devices;
    };
    b.remove_native_device = [this](const std::string& id) -> Result<size_t> {
      std::lock_guard l(mu);
      return std::erase_if(devices, [&](const auto& d) { return d.id().rfind(id, 0) == 0; });
    };
    b.gamestream_waiting = [this] {
      std::lock_guard l(mu);
      return waiting;
    };
    b.submit_gamestream_pin = [this](const std::string& given) {
      std::lock_guard l(mu);
      if (!waiting)
        return false;
      submitted = given;
      waiting.reset();
      return true;
    };
    b.sessions = [this] {
      std::lock_guard l(mu);
      return sessions;
    };
    b.end_session = [this](const std::string& id) {
      std::lock_guard l(mu);
      const size_t before = sessions.size();
      sessions.erase(std::remove_if(sessions.begin(), sessions.end(),
                                    [&](const json& s) { return s["id"] == id; }),
                     sessions.end());
      return sessions.size() < before;
    };
    b.gamestream_clients = [this] {
      std::lock_guard l(mu);
      return moonlights;
    };
    b.remove_gamestream_client = [this](const std::string& id) -> Result<size_t> {
      std::lock_guard l(mu);
      const size_t before = moonlights.size();
      moonlights.erase(std::remove_if(moonlights.begin(), moonlights.end(),
                                      [&](const json& c) {
                                        return c["id"].get<std::string>().rfind(id, 0) == 0;
                                      }),
                       moonlights.end());
      return before - moonlights.size();
    };
    b.config = [this]() -> Result<json> {
      auto e = config.read();
      if (!e)
        return make_error(StatusCode::kFailedPrecondition, e.error().message());
      return config_document(config.path(), *e);
    };
    b.update_config = [this](const std::vector<proto::config::ConfigChange>& c) -> Result<json> {
      auto e = config.update(c);
      if (!e)
        return tl::unexpected(e.error());
      return config_document(config.path(), *e);
    };
    b.apps = [this] {
      std::lock_guard l(mu);
      return apps;
    };
    b.add_app = [this](const proto::mgmt::AppRequest& r) -> Result<json> {
      std::lock_guard l(mu);
      for (const auto& a : apps)
        if (a["title"] == r.title)
          return make_error(StatusCode::kAlreadyExists, "an app with that id exists already");
      json a = {{"id", apps.size() + 1},
                {"title", r.title},
                {"command", r.command},
                {"image", r.image},
                {"hdr", r.hdr}};
      apps.push_back(a);
      return a;
    };
    b.remove_app = [this](uint32_t id) {
      std::lock_guard l(mu);
      if (apps.size() == 1 && apps[0]["id"] == id)
        return Status(StatusCode::kFailedPrecondition, "the last app cannot be removed");
      const size_t before = apps.size();
      apps.erase(
          std::remove_if(apps.begin(), apps.end(), [&](const json& a) { return a["id"] == id; }),
          apps.end());
      return apps.size() < before ? Status::ok() : Status(StatusCode::kNotFound, "no app with id");
    };
    b.rename_native_device = [this](const std::string& id,
                                    const std::string& name) -> Result<json> {
      std::lock_guard l(mu);
      for (auto& d : devices)
        if (d.id().rfind(id, 0) == 0) {
          d.name = name;
          return json{{"id", d.id()}, {"name", d.name}, {"paired_at", d.paired_at}};
        }
      return make_error(StatusCode::kNotFound, "no paired device with that id");
    };
    b.rename_gamestream_client = [this](const std::string& id,
                                        const std::string& name) -> Result<json> {
      std::lock_guard l(mu);
      for (auto& c : moonlights)
        if (c["id"].get<std::string>().rfind(id, 0) == 0) {
          c["name"] = name;
          return c;
        }
      return make_error(StatusCode::kNotFound, "no paired Moonlight client with that id");
    };
    b.doctor = [] {
      return json::array({{{"subsystem", "encode"},
                           {"backend", "x264"},
                           {"available", true},
                           {"reason", "compiled in"}}});
    };
    auto id = crypto::make_self_signed_p256("mgmt test");
    MgmtOptions o;
    o.port = 0;
    o.token = token;
    o.cert_pem = id->cert_pem;
    o.key_pem = id->key_pem;
    auto s = MgmtServer::start(o, b);
    EXPECT_TRUE(s) << s.error().to_string();
    server = std::move(*s);
  }
  std::unique_ptr<httplib::SSLClient> client(bool with_token = true) {
    auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", server->port());
    c->enable_server_certificate_verification(false);
    if (with_token)
      c->set_bearer_token_auth(token);
    return c;
  }
};

TEST(MgmtServerTest, EveryRequestNeedsTheToken) {
  Fixture f;
  auto anon = f.client(false);
  for (const char* path : {"/api/v1/status", "/api/v1/pairing", "/api/v1/devices", "/nothing"}) {
    auto r = anon->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 401) << path;
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
    EXPECT_TRUE(json::parse(r->body).contains("error"));
  }
  auto wrong = f.client(false);
  wrong->set_bearer_token_auth(std::string(64, 'b'));
  EXPECT_EQ(wrong->Post("/api/v1/pairing/native-pin")->status, 401);
  EXPECT_FALSE(f.pin.has_value());  // nothing happened
}

TEST(MgmtServerTest, StatusPairingAndDevices) {
  Fixture f;
  auto c = f.client();
  auto status = c->Get("/api/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 200);
  EXPECT_EQ(json::parse(status->body)["version"], "test");

  auto pairing = c->Get("/api/v1/pairing");
  EXPECT_TRUE(json::parse(pairing->body)["native_pin"].is_null());
  EXPECT_EQ(json::parse(pairing->body)["gamestream_waiting"], "Moonlight on a phone");
  auto pin = c->Post("/api/v1/pairing/native-pin");
  EXPECT_EQ(pin->status, 201);
  EXPECT_EQ(json::parse(pin->body)["pin"], "123456");
  EXPECT_EQ(json::parse(c->Get("/api/v1/pairing")->body)["native_pin"], "123456");

  auto devices = json::parse(c->Get("/api/v1/devices")->body);
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0]["id"], "abababababababab");
  EXPECT_EQ(devices[0]["name"], "Tablet");
  EXPECT_EQ(c->Delete("/api/v1/devices/cdcd")->status, 404);
  auto del = c->Delete("/api/v1/devices/abab");
  EXPECT_EQ(del->status, 200);
  EXPECT_EQ(json::parse(del->body)["removed"], 1);
  EXPECT_TRUE(json::parse(c->Get("/api/v1/devices")->body).empty());
  EXPECT_EQ(c->Get("/api/v1/nothing")->status, 404);
}

TEST(MgmtServerTest, SessionsCanBeListedAndEnded) {
  Fixture f;
  auto c = f.client();
  auto list = json::parse(c->Get("/api/v1/sessions")->body);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["client"], "Tablet");
  EXPECT_EQ(c->Delete("/api/v1/sessions/ffffffff")->status, 404);
  EXPECT_EQ(c->Delete("/api/v1/sessions/not-hex!")->status, 404);
  auto del = c->Delete("/api/v1/sessions/0a1b2c3d");
  EXPECT_EQ(del->status, 200);
  EXPECT_EQ(json::parse(del->body)["ended"], true);
  EXPECT_EQ(c->Delete("/api/v1/sessions/00c0ffee")->status, 200);
  EXPECT_TRUE(json::parse(c->Get("/api/v1/sessions")->body).empty());
  EXPECT_EQ(f.client(false)->Delete("/api/v1/sessions/00c0ffee")->status, 401);
  auto doctor = json::parse(c->Get("/api/v1/doctor")->body);
  ASSERT_EQ(doctor.size(), 1u);
  EXPECT_EQ(doctor[0]["backend"], "x264");
}

TEST(MgmtServerTest, MoonlightClientsCanBeListedAndRemoved) {
  Fixture f;
  auto c = f.client();
  auto list = json::parse(c->Get("/api/v1/gamestream-clients")->body);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["name"], "Moonlight on a TV");
  EXPECT_EQ(c->Delete("/api/v1/gamestream-clients/ffff")->status, 404);
  EXPECT_EQ(c->Delete("/api/v1/gamestream-clients/0011")->status, 200);
  EXPECT_TRUE(json::parse(c->Get("/api/v1/gamestream-clients")->body).empty());
  EXPECT_EQ(f.client(false)->Get("/api/v1/gamestream-clients")->status, 401);
}

TEST(MgmtServerTest, ClientsCanBeRenamed) {
  Fixture f;
  auto c = f.client();
  auto r = c->Patch("/api/v1/gamestream-clients/0011", R"({"name": " Living room "})",
                    "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["name"], "Living room");
  EXPECT_EQ(json::parse(c->Get("/api/v1/gamestream-clients")->body)[0]["name"], "Living room");
  auto d = c->Patch("/api/v1/devices/abab", R"({"name": "Phone"})", "application/json");
  EXPECT_EQ(d->status, 200);
  EXPECT_EQ(json::parse(c->Get("/api/v1/devices")->body)[0]["name"], "Phone");
  EXPECT_EQ(c->Patch("/api/v1/devices/cdcd", R"({"name": "x"})", "application/json")->status, 404);
  auto bad = c->Patch("/api/v1/devices/abab", R"({"name": ""})", "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["error"], "a name is 1 to 64 bytes");
  EXPECT_EQ(c->Patch("/api/v1/devices/abab", "{", "application/json")->status, 400);
  EXPECT_EQ(f.client(false)
                ->Patch("/api/v1/devices/abab", R"({"name": "x"})", "application/json")
                ->status,
            401);
  EXPECT_EQ(json::parse(c->Get("/api/v1/devices")->body)[0]["name"], "Phone");  // unchanged
}

TEST(MgmtServerTest, AppsCanBeListedAddedAndRemoved) {
  Fixture f;
  auto c = f.client();
  EXPECT_EQ(json::parse(c->Get("/api/v1/apps")->body).size(), 1u);
  auto added = c->Post("/api/v1/apps", R"({"title": "Steam", "command": "steam -gamepadui"})",
                       "application/json");
  ASSERT_TRUE(added);
  EXPECT_EQ(added->status, 201);
  EXPECT_EQ(json::parse(added->body)["command"], "steam -gamepadui");
  EXPECT_EQ(c->Post("/api/v1/apps", R"({"title": "Steam"})", "application/json")->status, 409);
  auto bad = c->Post("/api/v1/apps", R"({"title": "x", "image": "rel.png"})", "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(json::parse(bad->body)["error"].get<std::string>().find("absolute"), std::string::npos);
  EXPECT_EQ(json::parse(c->Get("/api/v1/apps")->body).size(), 2u);
  EXPECT_EQ(c->Delete("/api/v1/apps/2")->status, 200);
  EXPECT_EQ(c->Delete("/api/v1/apps/2")->status, 404);
  EXPECT_EQ(c->Delete("/api/v1/apps/9999999999")->status, 404);
  EXPECT_EQ(c->Delete("/api/v1/apps/1")->status, 409);  // the last one
  EXPECT_EQ(f.client(false)->Post("/api/v1/apps", R"({"title": "y"})", "application/json")->status,
            401);
  EXPECT_EQ(json::parse(c->Get("/api/v1/apps")->body).size(), 1u);
}

TEST(MgmtServerTest, ConfigIsReadAndUpdatedWithChecks) {
  Fixture f;
  std::filesystem::remove_all(f.config_path.parent_path());
  auto c = f.client();
  auto empty = c->Get("/api/v1/config");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_TRUE(json::parse(empty->body)["values"].empty());
  auto r = c->Patch("/api/v1/config", R"({"values": {"name": "den", "mgmt-port": 48000}})",
                    "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["values"]["mgmt-port"], 48000);
  EXPECT_EQ(json::parse(c->Get("/api/v1/config")->body)["values"]["name"], "den");
  auto typo = c->Patch("/api/v1/config", R"({"values": {"nmae": "x"}})", "application/json");
  EXPECT_EQ(typo->status, 400);
  EXPECT_EQ(json::parse(typo->body)["error"], "unknown key 'nmae' (did you mean 'name'?)");
  auto value = c->Patch("/api/v1/config", R"({"values": {"port": 70000}})", "application/json");
  EXPECT_EQ(value->status, 400);
  EXPECT_EQ(c->Patch("/api/v1/config", "{", "application/json")->status, 400);
  auto removed = c->Patch("/api/v1/config", R"({"values": {"name": null}})", "application/json");
  EXPECT_EQ(json::parse(removed->body)["values"].size(), 1u);
  ASSERT_TRUE(write_file_atomic(f.config_path, "port = = 1\n").is_ok());
  EXPECT_EQ(c->Patch("/api/v1/config", R"({"values": {"port": 1}})", "application/json")->status,
            409);
  EXPECT_EQ(c->Get("/api/v1/config")->status, 409);
  EXPECT_EQ(f.client(false)->Get("/api/v1/config")->status, 401);
  std::filesystem::remove_all(f.config_path.parent_path());
}

TEST(MgmtServerTest, LogTailIsBoundedAndChecked) {
  Fixture f;
  log_info("mgmt test line {}", 1);
  log_warn("mgmt test line {}", 2);
  auto c = f.client();
  auto r = c->Get("/api/v1/logs?lines=2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto lines = json::parse(r->body);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["message"], "mgmt test line 2");
  EXPECT_EQ(lines[1]["level"], "warn");
  EXPECT_EQ(lines[0]["message"], "mgmt test line 1");
  EXPECT_EQ(c->Get("/api/v1/logs?lines=0")->status, 400);
  EXPECT_EQ(c->Get("/api/v1/logs?lines=5000")->status, 400);
  EXPECT_EQ(c->Get("/api/v1/logs")->status, 200);
  EXPECT_EQ(f.client(false)->Get("/api/v1/logs")->status, 401);
}

TEST(MgmtServerTest, WebPageIsServedWithoutDataOrToken) {
  Fixture f;
  auto anon = f.client(false);
  auto page = anon->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
  EXPECT_NE(page->body.find("<title>punktfunk host</title>"), std::string::npos);
  EXPECT_EQ(page->body.find(f.token), std::string::npos);
  EXPECT_EQ(page->get_header_value("Access-Control-Allow-Origin"), "");  // no CORS at all
  EXPECT_EQ(anon->Get("/index.html")->status, 200);
  EXPECT_EQ(anon->Get("/api/v1/status")->status, 401);
  EXPECT_EQ(anon->Post("/", "x", "text/plain")->status, 401);
}

// The spec (docs/api/openapi.yaml) against the running server: every path and
// method it lists is served; a request that should succeed, one that should
// fail and one without the token all answer with a status the spec documents
// for that operation, and with JSON that validates against its schema.
TEST(MgmtServerTest, EveryOperationAnswersAsTheSpecSays) {
  Fixture f;
  std::filesystem::remove_all(f.config_path.parent_path());
  auto spec = openapi::Spec::load(PF_OPENAPI_SPEC);
  ASSERT_TRUE(spec) << spec.error().to_string();
  const auto ops = spec->operations();
  ASSERT_GE(ops.size(), 19u) << "the spec was not read";
  // Ids the fixture knows, and bodies each operation accepts.
  const std::map<std::string, std::string> ids = {{"/devices/{id}", "abab"},
                                                  {"/gamestream-clients/{id}", "0011"},
                                                  {"/sessions/{id}", "0a1b2c3d"},
                                                  {"/apps/{id}", "2"}};
  const std::map<std::string, std::string> bodies = {
      {"/pairing/gamestream-pin", R"({"pin": "1234"})"},
      {"/apps", R"({"title": "Spec app"})"},
      {"/config", R"({"values": {"name": "spec check"}})"},
      {"/devices/{id}", R"({"name": "spec check"})"},
      {"/gamestream-clients/{id}", R"({"name": "spec check"})"}};
  auto c = f.client();
  auto anon = f.client(false);
  std::set<int> seen;
  for (const auto& op : ops) {
    for (const bool good : {true, false}) {
      const std::string id = ids.count(op.path) ? ids.at(op.path) : "";
      const std::string url =
          "/api/v1" + std::regex_replace(op.path, std::regex(R"(\{id\})"),
                                         good ? id : "99999999");  // fits every id pattern
      const std::string body = good && bodies.count(op.path) ? bodies.at(op.path) : "{";
      const std::string what = op.method + " " + url + (good ? "" : " (bad)");
      for (auto* client : {c.get(), anon.get()}) {
        httplib::Result r = op.method == "get"     ? client->Get(url)
                            : op.method == "post"  ? client->Post(url, body, "application/json")
                            : op.method == "patch" ? client->Patch(url, body, "application/json")
                                                   : client->Delete(url);
        ASSERT_TRUE(r) << what;
        const json answer = json::parse(r->body, nullptr, false);
        ASSERT_FALSE(answer.is_discarded()) << what << ": not JSON";
        EXPECT_FALSE(answer.is_object() && answer.value("error", "") == "no such endpoint")
            << what << " is in the spec but not served";
        if (client == anon.get()) {
          EXPECT_EQ(r->status, 401) << what;
        }
        seen.insert(r->status);
        for (const auto& problem : spec->check(op.path, op.method, r->status, answer))
          ADD_FAILURE() << problem << "\n  answer: " << answer.dump();
      }
    }
  }
  // The successes and the failures were both exercised.
  for (int code : {200, 201, 400, 401, 404})
    EXPECT_TRUE(seen.count(code)) << "no operation answered " << code;
  std::filesystem::remove_all(f.config_path.parent_path());
}

TEST(MgmtServerTest, GameStreamPinIsValidated) {
  Fixture f;
  auto c = f.client();
  EXPECT_EQ(c->Post("/api/v1/pairing/gamestream-pin", "not json", "application/json")->status, 400);
  EXPECT_EQ(
      c->Post("/api/v1/pairing/gamestream-pin", R"({"pin": 1234})", "application/json")->status,
      400);
  EXPECT_EQ(
      c->Post("/api/v1/pairing/gamestream-pin", R"({"pin": "12a4"})", "application/json")->status,
      400);
  auto ok = c->Post("/api/v1/pairing/gamestream-pin", R"({"pin": "4321"})", "application/json");
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(f.submitted, "4321");
  auto again = c->Post("/api/v1/pairing/gamestream-pin", R"({"pin": "4321"})", "application/json");
  EXPECT_EQ(again->status, 409);
  EXPECT_NE(json::parse(again->body)["error"].get<std::string>().find("no Moonlight pairing"),
            std::string::npos);
}

TEST(MgmtServerTest, TokenIsCreatedOnceWithMode0600) {
  const auto dir = std::filesystem::temp_directory_path() / ("pf-mgmt-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto a = load_or_create_token(dir / "mgmt-token");
  auto b = load_or_create_token(dir / "mgmt-token");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->size(), 64u);
  struct stat st {};
  ::stat((dir / "mgmt-token").c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A damaged token file is moved aside and replaced.
  ASSERT_TRUE(write_file_atomic(dir / "mgmt-token", "not a token\n").is_ok());
  auto c = load_or_create_token(dir / "mgmt-token");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_NE(*c, *a);
  EXPECT_EQ(c->size(), 64u);
  size_t aside = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    aside += e.path().filename().string().rfind("mgmt-token.damaged-", 0) == 0;
  EXPECT_EQ(aside, 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pf::host::mgmt
