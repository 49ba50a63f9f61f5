// SPDX-License-Identifier: MIT OR Apache-2.0
// The GameStream control plane over real sockets on 127.0.0.1, driven by the
// OpenSSL test client exactly as Moonlight drives it: serverinfo over HTTP
// and HTTPS, full pairing, the certificate TLS presents = plaincert, refusal
// of unpaired certificates after a completed handshake, apps and launch as a
// paired client, and the paired-client store across a host restart.
#include "host/gamestream/service.h"

#include <unistd.h>

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "base/hex.h"
#include "host/gamestream/test_client.h"
#include "proto/gamestream/pairing.h"
#include "proto/gamestream/xml.h"

namespace pf::host::gamestream {
namespace {

namespace fs = std::filesystem;
using proto::gamestream::ClientPairing;
using proto::gamestream::parse_xml;
using proto::gamestream::XmlElement;

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("pf-gs-service-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    client_ = *crypto::make_self_signed_rsa("NVIDIA GameStream Client", 20, 2048, true);
    start();
  }
  void TearDown() override {
    svc_.reset();
    fs::remove_all(root_);
  }
  void start() {
    ServiceOptions o;
    o.paths = {root_ / "state", root_ / "config", root_ / "run"};
    o.bind_address = "127.0.0.1";
    o.nvhttp.http_port = 0;  // free ports
    o.nvhttp.https_port = 0;
    o.nvhttp.rtsp_port = 0;
    o.nvhttp.host_name = "svc-test";
    o.mdns = false;
    auto s = Service::start(o);
    ASSERT_TRUE(s) << s.error().to_string();
    svc_ = std::move(*s);
  }

  XmlElement get(const std::string& path,
                 const std::string& query,
                 bool https,
                 const crypto::PemIdentity* id = nullptr,
                 std::string* server_cert = nullptr) {
    auto r = http_get("127.0.0.1", https ? svc_->https_port() : svc_->http_port(),
                      path + "?uniqueid=0123456789ABCDEF&uuid=f00&" + query, https, id);
    EXPECT_TRUE(r) << (r ? "" : r.error().to_string());
    if (!r)
      return {};
    EXPECT_EQ(r->status, 200);
    if (server_cert)
      *server_cert = r->server_cert_pem;
    auto doc = parse_xml(r->body);
    EXPECT_TRUE(doc) << r->body;
    return doc ? *doc : XmlElement{};
  }

  bool pair(const std::string& client_pin, const std::string& host_pin) {
    ClientPairing c(client_.cert_pem, client_.key_pem, client_pin);
    auto phase1 = std::async(std::launch::async, [&] {
      return get("/pair",
                 "devicename=roth&updateState=1&phrase=getservercert&salt=" + c.salt_hex() +
                     "&clientcert=" + c.clientcert_hex(),
                 false);
    });
    // The host user enters the PIN while phase 1 waits; meanwhile the host
    // keeps answering other requests.
    while (!svc_->pins().waiting_device())
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    EXPECT_EQ(*get("/serverinfo", "", false).attribute("status_code"), "200");
    EXPECT_TRUE(svc_->pins().submit(host_pin));
    const auto r1 = phase1.get();
    if (r1.child_text("paired") != "1")
      return false;
    EXPECT_TRUE(c.on_plaincert(std::string(*r1.child_text("plaincert"))).is_ok());
    const auto r2 =
        get("/pair", "devicename=roth&updateState=1&clientchallenge=" + *c.clientchallenge_hex(),
            false);
    EXPECT_TRUE(c.on_challengeresponse(std::string(*r2.child_text("challengeresponse"))).is_ok());
    const auto r3 = get(
        "/pair",
        "devicename=roth&updateState=1&serverchallengeresp=" + *c.serverchallengeresp_hex(), false);
    const Status verdict = c.on_pairingsecret(std::string(*r3.child_text("pairingsecret")));
    const auto r4 = get(
        "/pair",
        "devicename=roth&updateState=1&clientpairingsecret=" + *c.clientpairingsecret_hex(), false);
    if (!verdict.is_ok() || r4.child_text("paired") != "1") {
      get("/unpair", "", false);  // as Moonlight does after any failure
      return false;
    }
    std::string presented;
    const auto r5 = get("/pair", "devicename=roth&updateState=1&phrase=pairchallenge", true,
                        &client_, &presented);
    // Moonlight pins the certificate it got as plaincert: TLS must present it.
    EXPECT_EQ(presented, c.host_cert_pem());
    return r5.child_text("paired") == "1";
  }

  fs::path root_;
  crypto::PemIdentity client_;
  std::unique_ptr<Service> svc_;
};

TEST_F(ServiceTest, ServerinfoOverHttpAndHttps) {
  const auto plain = get("/serverinfo", "", false);
  EXPECT_EQ(*plain.child_text("hostname"), "svc-test");
  EXPECT_EQ(*plain.child_text("LocalIP"), "127.0.0.1");
  EXPECT_EQ(*plain.child_text("HttpsPort"), std::to_string(svc_->https_port()));
  // HTTPS with an unknown certificate: the handshake completes, the answer is 401.
  const auto tls = get("/serverinfo", "", true, &client_);
  EXPECT_EQ(*tls.attribute("status_code"), "401");
  // And with no certificate at all.
  EXPECT_EQ(*get("/serverinfo", "", true).attribute("status_code"), "401");
}

TEST_F(ServiceTest, PairThenUseThenSurviveARestart) {
  ASSERT_TRUE(pair("5678", "5678"));
  const auto info = get("/serverinfo", "", true, &client_);
  EXPECT_EQ(*info.child_text("PairStatus"), "1");
  const auto apps = get("/applist", "", true, &client_);
  ASSERT_NE(apps.child("App"), nullptr);
  const std::string id(*apps.child("App")->child_text("ID"));
  auto png = http_get("127.0.0.1", svc_->https_port(),
                      "/appasset?uniqueid=0&uuid=1&appid=" + id + "&AssetType=2&AssetIdx=0", true,
                      &client_);
  ASSERT_TRUE(png);
  EXPECT_EQ(png->content_type, "image/png");
  const auto l = get("/launch",
                     "appid=" + id +
                         "&mode=1280x720x60&rikey=000102030405060708090A0B0C0D0E0F"
                         "&rikeyid=12&localAudioPlayMode=0&corever=1",
                     true, &client_);
  EXPECT_EQ(*l.child_text("sessionUrl0"),
            "rtspenc://127.0.0.1:" + std::to_string(svc_->rtsp_port()));
  EXPECT_EQ(*get("/cancel", "", true, &client_).child_text("cancel"), "1");

  // Restart: same identity, same paired client.
  const std::string host_id = svc_->identity().unique_id;
  const std::string host_cert = svc_->identity().cert_pem;
  svc_.reset();
  start();
  EXPECT_EQ(svc_->identity().unique_id, host_id);
  EXPECT_EQ(svc_->identity().cert_pem, host_cert);
  EXPECT_EQ(*get("/serverinfo", "", true, &client_).child_text("PairStatus"), "1");
  EXPECT_EQ(*get("/applist", "", true, &client_).attribute("status_code"), "200");
  // Unpairing from the host side locks the client out again.
  ASSERT_EQ(*svc_->clients().remove("roth"), 1u);
  EXPECT_EQ(*get("/applist", "", true, &client_).attribute("status_code"), "401");
}

TEST_F(ServiceTest, WrongPinIsRefusedAndNothingIsStored) {
  EXPECT_FALSE(pair("1234", "9999"));
  EXPECT_TRUE(svc_->clients().list().empty());
  EXPECT_EQ(*get("/applist", "", true, &client_).attribute("status_code"), "401");
}

}  // namespace
}  // namespace pf::host::gamestream
