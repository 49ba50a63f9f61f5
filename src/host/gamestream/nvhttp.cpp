// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/nvhttp.h"

#include <arpa/inet.h>

#include <algorithm>

#include <fmt/format.h>

#include "base/log.h"
#include "host/config/paths.h"
#include "host/gamestream/boxart.h"
#include "proto/gamestream/xml.h"

namespace pf::host::gamestream {

using proto::gamestream::HostPairing;
using proto::gamestream::QueryParams;
using proto::gamestream::XmlReply;

namespace {

constexpr const char* kAppVersion = "7.1.431.-1";  // Sunshine-class, encrypted control, RTSP on TCP
constexpr const char* kGfeVersion = "3.23.0.74";
constexpr uint32_t kMaxLumaPixelsHevc = 1869449984;
constexpr uint32_t kHevcBits = 0x100 | 0x200 | 0x80000 | 0x100000;

NvHttpResponse xml(const XmlReply& r) {
  return {200, "application/xml", r.str()};
}

NvHttpResponse error(int code, std::string_view message) {
  return xml(XmlReply(code, message));
}

bool is_ipv4(const std::string& a) {
  in_addr tmp;
  return inet_pton(AF_INET, a.c_str(), &tmp) == 1;
}

}  // namespace

NvHttp::NvHttp(NvHttpConfig config,
               HostIdentity identity,
               ClientStore* clients,
               AppStore* apps,
               PinBroker* pins)
    : config_(std::move(config)),
      identity_(std::move(identity)),
      clients_(clients),
      apps_(apps),
      pins_(pins) {}

NvHttpResponse NvHttp::handle(const NvHttpRequest& r) {
  auto q = QueryParams::parse(r.query);
  if (!q)
    return error(400, q.error().message());
  // HTTP serves only what an unpaired client needs.
  if (!r.https) {
    if (r.path == "/serverinfo")
      return serverinfo(r, false);
    if (r.path == "/pair")
      return pair(r, *q);
    if (r.path == "/unpair") {
      std::lock_guard lock(mu_);
      if (pairing_) {
        pairing_.reset();
        pins_->cancel();
      }
      return xml(XmlReply(200));
    }
    NvHttpResponse nf = error(404, "not found");
    nf.http_status = 404;
    return nf;
  }
  // HTTPS: every call needs a paired certificate; others get the protocol's
  // 401 inside a 200 reply (never a TLS failure).
  std::optional<PairedClient> client;
  if (!r.client_cert_pem.empty())
    client = clients_->find(r.client_cert_pem);
  if (!client) {
    if (r.path == "/pair" && q->get("phrase") == "pairchallenge")
      return xml(XmlReply(200).add("paired", 0));
    XmlReply reply(401, "The client is not authorized. Certificate verification failed.");
    return xml(reply);
  }
  if (r.path == "/serverinfo")
    return serverinfo(r, true);
  if (r.path == "/pair") {
    if (q->get("phrase") == "pairchallenge") {
      std::lock_guard lock(mu_);
      pairing_.reset();
      return xml(XmlReply(200).add("paired", 1));
    }
    return pair(r, *q);
  }
  if (r.path == "/applist")
    return applist();
  if (r.path == "/appasset")
    return appasset(*q);
  if (r.path == "/launch" || r.path == "/resume")
    return launch(r, *q, r.path == "/resume", client->name);
  if (r.path == "/cancel")
    return cancel(r);
  NvHttpResponse nf = error(404, "not found");
  nf.http_status = 404;
  return nf;
}

NvHttpResponse NvHttp::serverinfo(const NvHttpRequest& r, bool paired) {
  uint32_t current;
  uint16_t http_port, https_port;
  {
    std::lock_guard lock(mu_);
    http_port = config_.http_port;
    https_port = config_.https_port;
  }
  // The app of this client's session: another client's does not make it busy.
  current = paired ? current_app(r.client_cert_pem) : 0;
  XmlReply x(200);
  x.add("hostname", config_.host_name)
      .add("appversion", kAppVersion)
      .add("GfeVersion", kGfeVersion)
      .add("uniqueid", identity_.unique_id)
      .add("HttpsPort", https_port)
      .add("ExternalPort", http_port)
      .add("MaxLumaPixelsHEVC", (config_.codec_modes & kHevcBits) ? kMaxLumaPixelsHevc : 0)
      .add("mac", r.https ? config_.mac : "00:00:00:00:00:00")
      .add("LocalIP", is_ipv4(r.local_address) ? r.local_address : "127.0.0.1")
      .add("ServerCodecModeSupport", config_.codec_modes)
      .add("PairStatus", paired ? 1 : 0)
      .add("currentgame", current)
      .add("state", current ? "SUNSHINE_SERVER_BUSY" : "SUNSHINE_SERVER_FREE");
  if (!config_.gpu_type.empty())
    x.add("gputype", config_.gpu_type);
  x.open("SupportedDisplayMode");
  for (const auto& m : config_.display_modes)
    x.open("DisplayMode")
        .add("Width", m.width)
        .add("Height", m.height)
        .add("RefreshRate", m.fps)
        .close("DisplayMode");
  x.close("SupportedDisplayMode");
  return xml(x);
}

std::vector<NvHttpConfig::Mode> NvHttpConfig::default_display_modes(int max_width, int max_height) {
  static constexpr std::pair<int, int> kSizes[] = {
      {640, 480},   {800, 600},   {1024, 768},  {1280, 720},  {1280, 800},
      {1366, 768},  {1600, 900},  {1920, 1080}, {1920, 1200}, {2560, 1080},
      {2560, 1440}, {2560, 1600}, {3440, 1440}, {3840, 1600}, {3840, 2160}};
  std::vector<Mode> out;
  for (const auto& [w, h] : kSizes)
    if (w <= max_width && h <= max_height)
      for (int fps : {30, 60, 90, 120, 144})
        out.push_back({w, h, fps});
  return out;
}

NvHttpResponse NvHttp::pair(const NvHttpRequest&, const QueryParams& q) {
  const auto phrase = q.get("phrase");
  if (phrase == "getservercert")
    return pair_getservercert(q);
  std::lock_guard lock(mu_);
  const auto fail = [&](int code, std::string_view why) {
    log_warn("pairing failed: {}", why);
    pairing_.reset();
    return xml(XmlReply(code, why).add("paired", 0));
  };
  if (!pairing_ || pairing_->phase() == HostPairing::Phase::kNeedPin)
    return fail(400, "no pairing in progress (phases out of order)");
  pairing_touched_ = std::chrono::steady_clock::now();
  if (auto v = q.get("clientchallenge")) {
    auto resp = pairing_->client_challenge(*v);
    if (!resp)
      return fail(400, resp.error().message());
    return xml(XmlReply(200).add("paired", 1).add("challengeresponse", *resp));
  }
  if (auto v = q.get("serverchallengeresp")) {
    auto resp = pairing_->server_challenge_response(*v);
    if (!resp)
      return fail(400, resp.error().message());
    return xml(XmlReply(200).add("paired", 1).add("pairingsecret", *resp));
  }
  if (auto v = q.get("clientpairingsecret")) {
    const Status st = pairing_->client_pairing_secret(*v);
    if (!st.is_ok()) {
      // Wrong PIN or forgery: the protocol answers 200 with paired=0.
      log_warn("pairing with '{}' failed: {}", pairing_->device_name(), st.message());
      pairing_.reset();
      return xml(XmlReply(200).add("paired", 0));
    }
    auto added = clients_->add(pairing_->device_name(), pairing_->client_cert_pem());
    if (!added)
      return fail(500, added.error().message());
    log_info("paired with '{}' (client id {})", added->name, added->id);
    if (on_paired_)
      on_paired_(*added);
    // Keep the session until phase 5 (pairchallenge over HTTPS) or expiry.
    return xml(XmlReply(200).add("paired", 1));
  }
  return fail(400, "unknown pairing phase");
}

NvHttpResponse NvHttp::pair_getservercert(const QueryParams& q) {
  const auto salt = q.get("salt");
  const auto cert = q.get("clientcert");
  if (!salt || !cert)
    return xml(XmlReply(400, "getservercert needs salt and clientcert").add("paired", 0));
  const std::string device(q.get("devicename").value_or("client"));
  uint64_t generation;
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (pairing_ && now - pairing_touched_ < config_.pairing_idle_timeout)
      return xml(XmlReply(200, "another pairing is already in progress").add("paired", 0));
    auto p = HostPairing::start({identity_.cert_pem, identity_.key_pem}, *salt, *cert, device);
    if (!p)
      return xml(XmlReply(400, p.error().message()).add("paired", 0));
    pairing_ = std::move(*p);
    pairing_touched_ = now;
    generation = ++pairing_generation_;
  }
  log_info("'{}' wants to pair: enter the 4-digit PIN it shows", device);
  if (on_pin_needed_)
    on_pin_needed_(device);
  // Wait for the PIN without holding the lock: other requests go on.
  auto pin = pins_->wait(device, config_.pin_timeout);
  std::lock_guard lock(mu_);
  if (!pairing_ || pairing_generation_ != generation)
    return xml(XmlReply(200, "pairing was cancelled").add("paired", 0));
  if (!pin) {
    log_warn("pairing with '{}' abandoned: no PIN entered in time", device);
    pairing_.reset();
    return xml(XmlReply(200, "no PIN was entered on the host in time").add("paired", 0));
  }
  auto plaincert = pairing_->set_pin(*pin);
  if (!plaincert) {
    pairing_.reset();
    return xml(XmlReply(400, plaincert.error().message()).add("paired", 0));
  }
  pairing_touched_ = std::chrono::steady_clock::now();
  return xml(XmlReply(200).add("paired", 1).add("plaincert", *plaincert));
}

std::string NvHttp::applist_xml(AppStore& store, const NvHttpConfig& config) {
  XmlReply x(200);
  const AppList apps = store.list();
  for (const auto& a : apps.apps())
    x.open("App")
        .add("IsHdrSupported", a.hdr && config.hdr_encode ? 1 : 0)
        .add("AppTitle", a.title)
        .add("ID", a.id)
        .close("App");
  return x.str();
}

NvHttpResponse NvHttp::applist() {
  return {200, "application/xml", applist_xml(*apps_, config_)};
}

NvHttpResponse NvHttp::appasset(const QueryParams& q) {
  auto id = q.get_int("appid", 1, INT32_MAX);
  const AppList apps = apps_->list();
  const App* app = id ? apps.find(static_cast<uint32_t>(*id)) : nullptr;
  if (!app)
    return error(404, id ? "no such app" : id.error().message());
  if (!app->image.empty()) {
    auto png = read_file(app->image, 8 << 20);
    if (png)
      return {200, "image/png", std::move(*png)};
    log_warn("app '{}': box art {}: {}", app->title, app->image, png.error().message());
  }
  const auto png = make_boxart_png(app->id);
  return {200, "image/png", std::string(png.begin(), png.end())};
}

NvHttpResponse NvHttp::launch(const NvHttpRequest& r,
                              const QueryParams& q,
                              bool resume,
                              const std::string& client_name) {
  const char* result_tag = resume ? "resume" : "gamesession";
  auto req = proto::gamestream::parse_launch(q, resume);
  if (!req)
    return xml(XmlReply(400, req.error().message()).add(result_tag, 0));
  std::lock_guard serial(launch_mu_);
  const uint32_t current = current_app(r.client_cert_pem);
  {
    std::lock_guard lock(mu_);
    if (resume) {
      if (current == 0)
        return xml(XmlReply(503, "No running app to resume").add(result_tag, 0));
      req->app_id = current;
    } else {
      const AppList apps = apps_->list();
      const App* app = apps.find(req->app_id);
      if (!app)
        return xml(XmlReply(404, fmt::format("no app with id {}", req->app_id)).add(result_tag, 0));
      if (current != 0 && current != req->app_id)
        return xml(XmlReply(400, "An app is already running on this host").add(result_tag, 0));
    }
  }
  const std::string host = r.local_address.find(':') != std::string::npos
                               ? "[" + r.local_address + "]"
                               : r.local_address;
  uint16_t rtsp_port;
  {
    std::lock_guard lock(mu_);
    rtsp_port = config_.rtsp_port;
  }
  const std::string url =
      fmt::format("{}://{}:{}", req->encrypted_rtsp() ? "rtspenc" : "rtsp", host, rtsp_port);
  LaunchSession session{*req, r.client_cert_pem, client_name, url,
                        std::chrono::steady_clock::now()};
  session.client_address = r.remote_address;
  // Media preparation may take a while (spawning a display): no state lock held.
  if (on_launch_) {
    if (Status st = on_launch_(session); !st.is_ok()) {
      log_warn("{} failed: {}", resume ? "resume" : "launch", st.message());
      return xml(XmlReply(503, st.message()).add(result_tag, 0));
    }
  }
  {
    std::lock_guard lock(mu_);
    apps_by_client_[client_id(r.client_cert_pem)] = req->app_id;
    session.id = next_launch_id_++;
    pending_[client_id(r.client_cert_pem)] = std::move(session);  // its older one is void
  }
  log_info("{} app {} at {}x{}@{} ({} audio channels); RTSP at {}", resume ? "resume" : "launch",
           req->app_id, req->width, req->height, req->fps, req->audio_channels, url);
  return xml(XmlReply(200).add("sessionUrl0", url).add(result_tag, 1));
}

NvHttpResponse NvHttp::cancel(const NvHttpRequest& r) {
  std::lock_guard serial(launch_mu_);
  if (on_cancel_)
    on_cancel_(r.client_cert_pem);
  std::lock_guard lock(mu_);
  apps_by_client_.erase(client_id(r.client_cert_pem));
  pending_.erase(client_id(r.client_cert_pem));
  return xml(XmlReply(200).add("cancel", 1));
}

std::vector<LaunchSession> NvHttp::pending_launches() const {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  std::vector<LaunchSession> out;
  for (const auto& [client, l] : pending_)
    if (now - l.at < kPendingLaunchTtl)
      out.push_back(l);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

void NvHttp::launch_played(uint64_t launch_id) {
  std::lock_guard lock(mu_);
  std::erase_if(pending_, [&](const auto& kv) { return kv.second.id == launch_id; });
}

uint32_t NvHttp::current_app(const std::string& client_cert_pem) const {
  std::function<uint32_t(const std::string&)> provider;
  {
    std::lock_guard lock(mu_);
    provider = current_app_provider_;
    if (!provider) {
      auto it = apps_by_client_.find(client_id(client_cert_pem));
      return it == apps_by_client_.end() ? 0 : it->second;
    }
  }
  return provider(client_cert_pem);
}

}  // namespace pf::host::gamestream
