// SPDX-License-Identifier: MIT OR Apache-2.0
// NvHttp as a plain request handler (no sockets): every endpoint, pairing
// with the right and a wrong PIN, authorization by certificate.
#include "host/gamestream/nvhttp.h"

#include <filesystem>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "crypto/pki.h"
#include "proto/gamestream/pairing.h"
#include "proto/gamestream/xml.h"

namespace pf::host::gamestream {
namespace {

namespace fs = std::filesystem;
using proto::gamestream::ClientPairing;
using proto::gamestream::parse_xml;
using proto::gamestream::XmlElement;

const crypto::PemIdentity& client_id() {
  static const auto id = *crypto::make_self_signed_rsa("NVIDIA GameStream Client", 20, 2048, true);
  return id;
}
const crypto::PemIdentity& other_client_id() {
  static const auto id = *crypto::make_self_signed_rsa("NVIDIA GameStream Client", 20, 2048, true);
  return id;
}
const HostIdentity& host_id() {
  static const HostIdentity id = [] {
    auto p = *crypto::make_self_signed_rsa("punktfunk");
    return HostIdentity{p.cert_pem, p.key_pem, "6f1c2f0e-8b1e-4d35-9a0c-3b5d2f4c9e11"};
  }();
  return id;
}

class NvHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pf-nvhttp-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = std::move(*ClientStore::open(dir_ / "clients.json"));
    NvHttpConfig cfg;
    cfg.host_name = "testhost";
    cfg.pin_timeout = std::chrono::milliseconds(3000);
    http_ = std::make_unique<NvHttp>(cfg, host_id(), store_.get(), apps_.get(), &pins_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  XmlElement get(const std::string& path,
                 const std::string& query,
                 bool https = false,
                 const std::string& cert = "") {
    NvHttpRequest r{
        path, "uniqueid=0123456789ABCDEF&uuid=abc&" + query, https, cert, "10.0.0.5", "10.0.0.9"};
    auto resp = http_->handle(r);
    EXPECT_EQ(resp.http_status, 200) << path;
    auto doc = parse_xml(resp.body);
    EXPECT_TRUE(doc) << resp.body;
    return doc ? *doc : XmlElement{};
  }

  // Runs Moonlight's pairing sequence; `host_pin` is what the host user types.
  bool pair(const std::string& client_pin,
            const std::string& host_pin,
            const crypto::PemIdentity& id = client_id()) {
    ClientPairing c(id.cert_pem, id.key_pem, client_pin);
    auto phase1 = std::async(std::launch::async, [&] {
      return get("/pair", "devicename=roth&updateState=1&phrase=getservercert&salt=" +
                              c.salt_hex() + "&clientcert=" + c.clientcert_hex());
    });
    while (!pins_.waiting_device())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(*pins_.waiting_device(), "roth");
    EXPECT_TRUE(pins_.submit(host_pin));
    const auto r1 = phase1.get();
    EXPECT_EQ(*r1.child_text("paired"), "1");
    if (!c.on_plaincert(std::string(*r1.child_text("plaincert"))).is_ok())
      return false;
    const auto r2 =
        get("/pair", "devicename=roth&updateState=1&clientchallenge=" + *c.clientchallenge_hex());
    EXPECT_TRUE(c.on_challengeresponse(std::string(*r2.child_text("challengeresponse"))).is_ok());
    const auto r3 = get("/pair", "devicename=roth&updateState=1&serverchallengeresp=" +
                                     *c.serverchallengeresp_hex());
    const Status client_check = c.on_pairingsecret(std::string(*r3.child_text("pairingsecret")));
    const auto r4 = get("/pair", "devicename=roth&updateState=1&clientpairingsecret=" +
                                     *c.clientpairingsecret_hex());
    if (!client_check.is_ok() || r4.child_text("paired") != "1")
      return false;
    const auto r5 =
        get("/pair", "devicename=roth&updateState=1&phrase=pairchallenge", true, id.cert_pem);
    return r5.child_text("paired") == "1";
  }

  fs::path dir_;
  std::unique_ptr<ClientStore> store_;
  std::unique_ptr<AppStore> apps_ = AppStore::fixed(AppList::builtin());
  PinBroker pins_;
  std::unique_ptr<NvHttp> http_;
};

TEST_F(NvHttpTest, ServerinfoOverHttpLooksLikeASunshineClassHost) {
  const auto x = get("/serverinfo", "");
  EXPECT_EQ(*x.attribute("status_code"), "200");
  EXPECT_EQ(*x.child_text("hostname"), "testhost");
  EXPECT_EQ(*x.child_text("appversion"), "7.1.431.-1");
  EXPECT_EQ(*x.child_text("GfeVersion"), "3.23.0.74");
  EXPECT_EQ(*x.child_text("uniqueid"), host_id().unique_id);
  EXPECT_EQ(*x.child_text("HttpsPort"), "47984");
  EXPECT_EQ(*x.child_text("ServerCodecModeSupport"), "1");
  EXPECT_EQ(*x.child_text("MaxLumaPixelsHEVC"), "0");
  EXPECT_EQ(*x.child_text("LocalIP"), "10.0.0.5");
  EXPECT_EQ(*x.child_text("PairStatus"), "0");
  EXPECT_EQ(*x.child_text("currentgame"), "0");
  EXPECT_EQ(*x.child_text("state"), "SUNSHINE_SERVER_FREE");
  EXPECT_EQ(x.child_text("state")->find("MJOLNIR"), std::string_view::npos);
  // The modes a "-nounsupported" client may pick: common ones, 1080p60 among them.
  const XmlElement* modes = x.child("SupportedDisplayMode");
  ASSERT_NE(modes, nullptr);
  bool has_1080p60 = false;
  size_t n = 0;
  for (const auto& m : modes->children) {
    ASSERT_EQ(m.name, "DisplayMode");
    ++n;
    has_1080p60 =
        has_1080p60 || (m.child_text("Width") == "1920" && m.child_text("Height") == "1080" &&
                        m.child_text("RefreshRate") == "60");
  }
  EXPECT_TRUE(has_1080p60);
  EXPECT_GE(n, 30u);
}

TEST(NvHttpConfigTest, DisplayModesStayWithinTheEncodersLimit) {
  for (const auto& m : NvHttpConfig::default_display_modes(1920, 1080))
    EXPECT_TRUE(m.width <= 1920 && m.height <= 1080) << m.width << "x" << m.height;
  EXPECT_FALSE(NvHttpConfig::default_display_modes(1920, 1080).empty());
}

TEST_F(NvHttpTest, UnpairedCertificateGets401InsideA200) {
  for (const char* path : {"/serverinfo", "/applist", "/launch", "/cancel", "/appasset"}) {
    const auto x = get(path, "", true, client_id().cert_pem);
    EXPECT_EQ(*x.attribute("status_code"), "401") << path;
  }
  EXPECT_EQ(*get("/serverinfo", "", true, "").attribute("status_code"), "401");
}

TEST_F(NvHttpTest, PairingWithTheRightPinThenEverything) {
  ASSERT_TRUE(pair("4096", "4096"));
  EXPECT_TRUE(store_->is_paired(client_id().cert_pem));
  EXPECT_EQ(store_->list().at(0).name, "roth");
  const std::string cert = client_id().cert_pem;
  EXPECT_EQ(*get("/serverinfo", "", true, cert).child_text("PairStatus"), "1");
  // Other certificates stay locked out (all Moonlights share subject and serial 0).
  EXPECT_EQ(*get("/applist", "", true, other_client_id().cert_pem).attribute("status_code"), "401");

  const auto apps = get("/applist", "", true, cert);
  ASSERT_NE(apps.child("App"), nullptr);
  EXPECT_EQ(*apps.child("App")->child_text("AppTitle"), "Desktop");
  EXPECT_EQ(*apps.child("App")->child_text("IsHdrSupported"), "0");
  const std::string id(*apps.child("App")->child_text("ID"));
  EXPECT_EQ(id, std::to_string(app_id_for("Desktop")));

  auto asset =
      http_->handle({"/appasset", "appid=" + id + "&AssetType=2&AssetIdx=0", true, cert, "", ""});
  EXPECT_EQ(asset.content_type, "image/png");
  EXPECT_EQ(asset.body.substr(1, 3), "PNG");

  const std::string launch_q = "appid=" + id +
                               "&mode=2560x1440x120&additionalStates=1&sops=0"
                               "&rikey=000102030405060708090A0B0C0D0E0F&rikeyid=-1041977293"
                               "&localAudioPlayMode=0&surroundAudioInfo=196610&corever=1";
  const auto l = get("/launch", launch_q, true, cert);
  EXPECT_EQ(*l.attribute("status_code"), "200");
  EXPECT_EQ(*l.child_text("sessionUrl0"), "rtspenc://10.0.0.5:48010");
  EXPECT_EQ(*l.child_text("gamesession"), "1");
  const auto pending = http_->pending_launches();
  ASSERT_EQ(pending.size(), 1u);
  const auto* session = &pending[0];
  EXPECT_EQ(session->request.width, 2560);
  EXPECT_EQ(session->request.fps, 120);
  EXPECT_EQ(session->request.rikeyid, -1041977293);
  EXPECT_EQ(session->client_name, "roth");
  const auto busy = get("/serverinfo", "", true, cert);
  EXPECT_EQ(*busy.child_text("state"), "SUNSHINE_SERVER_BUSY");
  EXPECT_EQ(*busy.child_text("currentgame"), id);

  const auto r =
      get("/resume", "rikey=000102030405060708090A0B0C0D0E0F&rikeyid=7&corever=0", true, cert);
  EXPECT_EQ(*r.child_text("resume"), "1");
  EXPECT_EQ(*r.child_text("sessionUrl0"), "rtsp://10.0.0.5:48010");

  EXPECT_EQ(*get("/cancel", "", true, cert).child_text("cancel"), "1");
  EXPECT_EQ(http_->current_app(cert), 0u);
  EXPECT_TRUE(http_->pending_launches().empty());
  const auto nothing =
      get("/resume", "rikey=000102030405060708090A0B0C0D0E0F&rikeyid=7", true, cert);
  EXPECT_EQ(*nothing.attribute("status_code"), "503");
  EXPECT_EQ(*nothing.child_text("resume"), "0");
}

TEST_F(NvHttpTest, WrongPinPairsNothing) {
  EXPECT_FALSE(pair("1111", "2222"));
  EXPECT_FALSE(store_->is_paired(client_id().cert_pem));
  EXPECT_TRUE(store_->list().empty());
  // A fresh attempt afterwards works (no half-paired state left).
  EXPECT_TRUE(pair("3333", "3333"));
}

// Each client sees its own session: another client's app neither makes the
// host busy for it nor can be resumed or cancelled by it.
TEST_F(NvHttpTest, EachClientSeesOnlyItsOwnApp) {
  ASSERT_TRUE(pair("1234", "1234"));
  ASSERT_TRUE(pair("5678", "5678", other_client_id()));
  const std::string a = client_id().cert_pem, b = other_client_id().cert_pem;
  const std::string app = std::to_string(app_id_for("Desktop"));
  const std::string q =
      "appid=" + app + "&mode=1280x720x60&rikey=00000000000000000000000000000000&rikeyid=1";
  EXPECT_EQ(*get("/launch", q, true, a).child_text("gamesession"), "1");
  EXPECT_EQ(*get("/serverinfo", "", true, a).child_text("currentgame"), app);
  EXPECT_EQ(*get("/serverinfo", "", true, b).child_text("currentgame"), "0");
  EXPECT_EQ(*get("/serverinfo", "", true, b).child_text("state"), "SUNSHINE_SERVER_FREE");
  EXPECT_EQ(*get("/resume", "rikey=00000000000000000000000000000000&rikeyid=1", true, b)
                 .attribute("status_code"),
            "503");
  // Both launches wait for their RTSP handshakes at once, a's first.
  const auto first_a = http_->pending_launches();
  ASSERT_EQ(first_a.size(), 1u);
  EXPECT_EQ(*get("/launch", q, true, b).child_text("gamesession"), "1");
  auto pending = http_->pending_launches();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].client_cert_pem, a);
  EXPECT_EQ(pending[1].client_cert_pem, b);
  // A client's new launch replaces its own pending one only.
  EXPECT_EQ(*get("/resume", "rikey=00000000000000000000000000000001&rikeyid=2", true, a)
                 .child_text("resume"),
            "1");
  pending = http_->pending_launches();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].client_cert_pem, b);
  EXPECT_EQ(pending[1].client_cert_pem, a);
  EXPECT_EQ(pending[1].request.rikeyid, 2);
  // Its handshake done, a launch is no longer pending.
  http_->launch_played(pending[0].id);
  ASSERT_EQ(http_->pending_launches().size(), 1u);
  EXPECT_EQ(http_->pending_launches()[0].client_cert_pem, a);
  get("/cancel", "", true, a);
  EXPECT_TRUE(http_->pending_launches().empty());
  EXPECT_EQ(http_->current_app(a), 0u);
  EXPECT_EQ(*get("/serverinfo", "", true, b).child_text("currentgame"), app) << "b's app stays";
  // With the host's sessions as the source, they decide.
  http_->set_current_app_provider([&](const std::string& cert) { return cert == a ? 42u : 0u; });
  EXPECT_EQ(*get("/serverinfo", "", true, a).child_text("currentgame"), "42");
  EXPECT_EQ(*get("/serverinfo", "", true, b).child_text("currentgame"), "0");
}

TEST_F(NvHttpTest, LaunchAndCancelHooksPrepareAndReleaseMedia) {
  ASSERT_TRUE(pair("1234", "1234"));
  const std::string cert = client_id().cert_pem;
  const std::string app = std::to_string(app_id_for("Desktop"));
  int launches = 0, cancels = 0;
  bool fail = true;
  http_->on_launch([&](const LaunchSession& s) {
    ++launches;
    EXPECT_EQ(s.request.width, 1920);
    return fail ? Status(StatusCode::kUnavailable, "no display for you") : Status::ok();
  });
  http_->on_cancel([&](const std::string& who) {
    EXPECT_EQ(who, cert);
    ++cancels;
  });
  const std::string q =
      "appid=" + app + "&mode=1920x1080x60&rikey=00000000000000000000000000000000&rikeyid=1";
  const auto refused = get("/launch", q, true, cert);
  EXPECT_EQ(*refused.attribute("status_code"), "503");
  EXPECT_NE(refused.attribute("status_message")->find("no display for you"),
            std::string_view::npos);
  EXPECT_EQ(http_->current_app(cert), 0u);  // nothing recorded
  fail = false;
  EXPECT_EQ(*get("/launch", q, true, cert).child_text("gamesession"), "1");
  EXPECT_EQ(launches, 2);
  get("/cancel", "", true, cert);
  EXPECT_EQ(cancels, 1);
}

TEST_F(NvHttpTest, LaunchErrorsAreXmlWithStatus) {
  ASSERT_TRUE(pair("1234", "1234"));
  const std::string cert = client_id().cert_pem;
  EXPECT_EQ(
      *get("/launch", "appid=5&mode=1920x1080x60&rikey=00000000000000000000000000000000&rikeyid=1",
           true, cert)
           .attribute("status_code"),
      "404");
  const auto bad = get("/launch", "appid=5&mode=1920x1080x60&rikeyid=1", true, cert);
  EXPECT_EQ(*bad.attribute("status_code"), "400");
  EXPECT_NE(bad.attribute("status_message")->find("rikey"), std::string_view::npos);
  EXPECT_EQ(*bad.child_text("gamesession"), "0");
}

TEST_F(NvHttpTest, PairingPhasesOutOfOrderAndUnknownPaths) {
  const auto x = get("/pair", "clientchallenge=00112233445566778899AABBCCDDEEFF");
  EXPECT_EQ(*x.attribute("status_code"), "400");
  EXPECT_EQ(*x.child_text("paired"), "0");
  auto nf = http_->handle({"/nonsense", "", false, "", "", ""});
  EXPECT_EQ(nf.http_status, 404);
  // HTTP does not serve the HTTPS-only endpoints.
  EXPECT_EQ(http_->handle({"/applist", "", false, "", "", ""}).http_status, 404);
  // A broken query is an XML 400, not a crash.
  EXPECT_EQ(*parse_xml(http_->handle({"/serverinfo", "a=%zz", false, "", "", ""}).body)
                 ->attribute("status_code"),
            "400");
}

TEST_F(NvHttpTest, NoPinInTimeAbandonsThePairingCleanly) {
  NvHttpConfig cfg;
  cfg.pin_timeout = std::chrono::milliseconds(50);
  NvHttp quick(cfg, host_id(), store_.get(), apps_.get(), &pins_);
  ClientPairing c(client_id().cert_pem, client_id().key_pem, "1234");
  auto r = quick.handle({"/pair",
                         "devicename=x&phrase=getservercert&salt=" + c.salt_hex() +
                             "&clientcert=" + c.clientcert_hex(),
                         false, "", "", ""});
  auto x = parse_xml(r.body);
  EXPECT_EQ(*x->child_text("paired"), "0");
  EXPECT_NE(x->attribute("status_message")->find("PIN"), std::string_view::npos);
  // Nothing is left waiting or half-paired.
  EXPECT_FALSE(pins_.waiting_device());
  auto later = parse_xml(quick.handle({"/pair", "clientchallenge=00", false, "", "", ""}).body);
  EXPECT_EQ(*later->child_text("paired"), "0");
}

TEST_F(NvHttpTest, ASecondPairingWhileOneWaitsIsRefused) {
  ClientPairing a(client_id().cert_pem, client_id().key_pem, "1234");
  auto first = std::async(std::launch::async, [&] {
    return get("/pair", "devicename=a&phrase=getservercert&salt=" + a.salt_hex() +
                            "&clientcert=" + a.clientcert_hex());
  });
  while (!pins_.waiting_device())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ClientPairing b(other_client_id().cert_pem, other_client_id().key_pem, "1234");
  const auto second = get("/pair", "devicename=b&phrase=getservercert&salt=" + b.salt_hex() +
                                       "&clientcert=" + b.clientcert_hex());
  EXPECT_EQ(*second.child_text("paired"), "0");
  EXPECT_FALSE(second.child_text("plaincert").has_value());
  // /unpair (what Moonlight sends after a failure) cancels the waiting one.
  get("/unpair", "");
  EXPECT_EQ(*first.get().child_text("paired"), "0");
}

TEST(NvHttpHdrTest, AnAppIsOfferedAsHdrOnlyWhenTheHostCanEncodeIt) {
  // apps.toml says HDR; without an HDR encoder the client must not be told so.
  auto list = AppList::parse("[[app]]\ntitle = \"Game\"\nhdr = true\n", "apps.toml");
  ASSERT_TRUE(list) << list.error().to_string();
  ASSERT_TRUE(list->apps()[0].hdr);
  for (const bool can : {false, true}) {
    NvHttpConfig cfg;
    cfg.hdr_encode = can;
    auto store = AppStore::fixed(*list);
    // The applist reply as a paired client gets it; pairing is not the point here.
    std::string xml = NvHttp::applist_xml(*store, cfg);
    EXPECT_NE(
        xml.find(can ? "<IsHdrSupported>1</IsHdrSupported>" : "<IsHdrSupported>0</IsHdrSupported>"),
        std::string::npos)
        << xml;
  }
}

}  // namespace
}  // namespace pf::host::gamestream
