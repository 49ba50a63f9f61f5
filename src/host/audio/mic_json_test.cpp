// SPDX-License-Identifier: MIT OR Apache-2.0
// The mic as the management API shows it, from a real MicService with real
// PipeWire: a client's sine pushed in real time while pw-record records the
// source at a quantum of 480; the JSON carries the quantum and latency the
// source measured (not the ones asked for) and matches the API's spec.
#include "host/audio/mic_json.h"

#include <gtest/gtest.h>

#include "host/audio/mic_test_support.h"
#include "openapi_check.h"

namespace pf::host {
namespace {

class MicJsonTest : public testing::PipeWireEnv {
 protected:
  MicJsonTest() { exact_quantum_ = true; }
};

TEST_F(MicJsonTest, ShowsWhatTheSourceMeasuredAsTheSpecSays) {
  MicService service;
  const nlohmann::json closed = mic_json(service.stats());
  EXPECT_EQ(closed["open"], false);
  EXPECT_TRUE(closed["source"].is_null());
  {
    testing::SineClient client(
        [&](uint32_t seq, std::span<const uint8_t> opus, int64_t capture_ns) {
          service.push(0x0a0b0c0d, seq, opus, capture_ns);
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the source opens
    const auto pcm = testing::record_source(dir_, MicSource::kNodeName, 480, 2);
    EXPECT_GT(pcm.size(), 48000u);
  }
  const nlohmann::json j = mic_json(service.stats());
  std::printf("%s\n", j.dump().c_str());
  EXPECT_EQ(j["open"], true);
  EXPECT_EQ(j["speaker"], "0a0b0c0d");
  EXPECT_GT(j["packets"].get<uint64_t>(), 150u);
  const auto& src = j["source"];
  ASSERT_TRUE(src.is_object());
  EXPECT_EQ(src["quantum_frames"], 480);  // what PipeWire pulled, measured at the source
  EXPECT_GT(src["latency_samples"].get<uint64_t>(), 100u);
  EXPECT_GT(src["latency_ms_p50"].get<double>(), 10.0);  // a quantum and a margin at least
  EXPECT_LT(src["latency_ms_p50"].get<double>(), 200.0);
  EXPECT_GE(src["latency_ms_p99"].get<double>(), src["latency_ms_p50"].get<double>());
  EXPECT_GT(src["target_ms"].get<double>(), 10.0);
  EXPECT_EQ(src["realtime"], src["priority"].get<int>() > 0);

  auto spec = openapi::Spec::load(PF_OPENAPI_SPEC);
  ASSERT_TRUE(spec) << spec.error().to_string();
  nlohmann::json status = {{"version", "0"},    {"name", "host"},   {"uptime_s", 1},
                           {"encoder", "x264"}, {"gamestream", {}}, {"punktfunk", nullptr},
                           {"mic", j}};
  status["gamestream"] = nlohmann::json::object();
  for (const auto& problem : spec->check("/status", "get", 200, status))
    ADD_FAILURE() << problem;
  status["mic"] = closed;
  for (const auto& problem : spec->check("/status", "get", 200, status))
    ADD_FAILURE() << "closed: " << problem;
}

}  // namespace
}  // namespace pf::host
