// SPDX-License-Identifier: MIT OR Apache-2.0
// Any request to the host's nvhttp (host/gamestream/nvhttp: the routing between serverinfo,
// the pairing phases, the app list, box art, launch, resume and cancel), over HTTP or HTTPS, with
// no client certificate, a paired client's, or fuzzed bytes as one: a path from the protocol's
// list or the fuzzer's, a fuzzed query. Checks: the answer is 200 (the protocol's errors live in
// the XML) or 404 for paths it does not serve; XML answers parse and carry a status_code; an
// HTTPS request without a paired certificate never reaches an app, a launch or a cancel. The
// stores are real files in a scratch directory, made once; a fresh NvHttp per input (its pairing
// state would otherwise leak between inputs); a pairing's PIN wait ends at once.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/check.h"
#include "base/log.h"
#include "crypto/pki.h"
#include "host/gamestream/nvhttp.h"
#include "proto/gamestream/xml.h"

namespace {

using namespace pf;
using namespace pf::host::gamestream;

struct World {
  std::filesystem::path dir;
  HostIdentity identity;
  std::unique_ptr<ClientStore> clients;
  std::unique_ptr<AppStore> apps;
  std::string paired_cert;
};

const World& world() {
  static const World w = [] {
    set_log_level(LogLevel::kOff);
    World w;
    w.dir = std::filesystem::temp_directory_path() / ("pf-nvhttp-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(w.dir);
    static const std::filesystem::path scratch = w.dir;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch, ec);
    });
    auto host = *crypto::make_self_signed_rsa("fuzz-host", 20, 1024);
    w.identity = HostIdentity{host.cert_pem, host.key_pem, "00000000-0000-4000-8000-000000000000"};
    w.clients = std::move(*ClientStore::open(w.dir / "clients.json"));
    w.paired_cert =
        crypto::make_self_signed_rsa("NVIDIA GameStream Client", 20, 1024, true)->cert_pem;
    PF_CHECK(w.clients->add("fuzz", w.paired_cert).has_value());
    w.apps = std::move(*AppStore::open(w.dir / "apps.toml"));
    return w;
  }();
  return w;
}

// The part of `in` up to the next 0xFF (consumed).
std::string_view field(std::string_view& in) {
  const size_t p = in.find('\xFF');
  const std::string_view out = in.substr(0, p);
  in.remove_prefix(p == std::string_view::npos ? in.size() : p + 1);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const World& w = world();
  if (size < 2)
    return 0;
  static constexpr const char* kPaths[] = {"/serverinfo", "/pair",   "/unpair", "/applist",
                                           "/appasset",   "/launch", "/resume", "/cancel"};
  const uint8_t how = data[0], which = data[1];
  std::string_view in(reinterpret_cast<const char*>(data + 2), size - 2);
  NvHttpRequest r;
  const std::string_view fuzzed_path = field(in);
  r.path = which < 8 * 28 ? kPaths[which % 8] : std::string(fuzzed_path);
  r.query = std::string(field(in));
  r.https = how & 1;
  const int cert = (how >> 1) % 3;  // none, the paired client's, fuzzed bytes
  r.client_cert_pem = cert == 1 ? w.paired_cert : cert == 2 ? std::string(field(in)) : "";
  r.local_address = "127.0.0.1";
  r.remote_address = "127.0.0.2";

  NvHttpConfig config;
  config.pin_timeout = std::chrono::milliseconds(0);
  PinBroker pins;
  NvHttp nv(config, w.identity, w.clients.get(), w.apps.get(), &pins);
  bool acted = false;  // a launch or a cancel reached the host
  nv.on_launch([&](const LaunchSession&) {
    acted = true;
    return (how & 0x40) ? Status::ok() : Status(StatusCode::kUnavailable, "no display");
  });
  nv.on_cancel([&](const std::string&) { acted = true; });
  const NvHttpResponse res = nv.handle(r);
  PF_CHECK(res.http_status == 200 || res.http_status == 404);
  if (res.content_type == "application/xml") {
    auto doc = proto::gamestream::parse_xml(res.body);
    PF_CHECK(doc.has_value());
    PF_CHECK(doc->attribute("status_code").has_value());
  }
  if (!r.https || cert != 1)
    PF_CHECK(!acted);  // only a paired client over HTTPS launches or cancels
  return 0;
}
