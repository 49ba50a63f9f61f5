// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/sway/ipc.h"

#include <gtest/gtest.h>

#include <cstring>

namespace pf::proto::sway {
namespace {

TEST(SwayIpcTest, EncodesTheHeaderOfTheManPage) {
  // sway-ipc(7): "exit" as RUN_COMMAND is i3-ipc, length 4, type 0, payload.
  const std::string m = encode_message(MessageType::kRunCommand, "exit");
  ASSERT_EQ(m.size(), kHeaderSize + 4);
  const std::string want(
      "i3-ipc\x04\x00\x00\x00\x00\x00\x00\x00"
      "exit",
      18);
  EXPECT_EQ(m, want);
}

TEST(SwayIpcTest, DecodesMessagesSplitAnywhere) {
  const std::string a = encode_message(MessageType::kGetOutputs, "[]");
  const std::string b = encode_message(MessageType::kGetVersion, R"({"human_readable":"1.7"})");
  const std::string all = a + b;
  for (size_t cut = 0; cut <= all.size(); ++cut) {
    Decoder d;
    std::vector<Message> got;
    for (const auto part :
         {std::string_view(all).substr(0, cut), std::string_view(all).substr(cut)}) {
      d.feed(part);
      for (;;) {
        auto m = d.next();
        ASSERT_TRUE(m) << m.error().to_string();
        if (!*m)
          break;
        got.push_back(**m);
      }
    }
    ASSERT_EQ(got.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(got[0].type, 3u);
    EXPECT_EQ(got[0].payload, "[]");
    EXPECT_EQ(got[1].type, 7u);
    EXPECT_EQ(parse_version(got[1].payload).value(), "1.7");
  }
}

TEST(SwayIpcTest, ABadMagicOrAHugeLengthBreaksTheStreamForGood) {
  Decoder bad;
  bad.feed(std::string("i3-ipX\x00\x00\x00\x00\x00\x00\x00\x00", 14));
  EXPECT_FALSE(bad.next());
  bad.feed(encode_message(MessageType::kGetOutputs, "[]"));
  EXPECT_FALSE(bad.next()) << "the stream stays lost";

  Decoder huge;
  std::string m = encode_message(MessageType::kGetOutputs, "");
  const uint32_t len = kMaxPayload + 1;
  std::memcpy(m.data() + 6, &len, 4);
  huge.feed(m);
  auto r = huge.next();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kResourceExhausted);
}

TEST(SwayIpcTest, ParsesOutputsAsSwayListsThem) {
  // Trimmed from what sway 1.7 answers for two headless outputs.
  const char* json = R"([
    {"id": 3, "type": "output", "name": "HEADLESS-1", "active": true, "focused": true,
     "rect": {"x": 0, "y": 0, "width": 1280, "height": 720},
     "modes": [], "current_mode": {"width": 1280, "height": 720, "refresh": 60000}},
    {"id": 7, "type": "output", "name": "HEADLESS-2", "active": false,
     "rect": {"x": 1280, "y": 0, "width": 0, "height": 0}}
  ])";
  auto outs = parse_outputs(json);
  ASSERT_TRUE(outs) << outs.error().to_string();
  ASSERT_EQ(outs->size(), 2u);
  EXPECT_EQ((*outs)[0].name, "HEADLESS-1");
  EXPECT_TRUE((*outs)[0].active);
  EXPECT_TRUE((*outs)[0].focused);
  EXPECT_EQ((*outs)[0].width, 1280);
  EXPECT_EQ((*outs)[0].height, 720);
  EXPECT_EQ((*outs)[0].refresh_mhz, 60000);
  EXPECT_EQ((*outs)[1].name, "HEADLESS-2");
  EXPECT_FALSE((*outs)[1].active);
  EXPECT_FALSE((*outs)[1].focused);
  EXPECT_EQ((*outs)[1].width, 0);
  EXPECT_EQ((*outs)[1].x, 1280);

  EXPECT_FALSE(parse_outputs("{}"));
  EXPECT_FALSE(parse_outputs("[1]"));
  EXPECT_FALSE(parse_outputs(R"([{"active": true}])"));
  EXPECT_FALSE(parse_outputs("[{"));
  EXPECT_TRUE(parse_outputs("[]"));
}

TEST(SwayIpcTest, CommandRepliesSayWhatFailed) {
  EXPECT_TRUE(parse_command_reply(R"([{"success": true}])").is_ok());
  const Status no = parse_command_reply(
      R"([{"success": true}, {"success": false, "parse_error": true, "error": "Unknown/invalid command 'unplug'"}])");
  EXPECT_EQ(no.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(no.message().find("Unknown/invalid command 'unplug'"), std::string::npos);
  EXPECT_EQ(parse_command_reply("[]").code(), StatusCode::kDataLoss);
  EXPECT_EQ(parse_command_reply(R"([{"error": "x"}])").code(), StatusCode::kDataLoss);
  EXPECT_EQ(parse_command_reply("nope").code(), StatusCode::kDataLoss);
}

TEST(SwayIpcTest, OutputCommandsQuoteTheName) {
  EXPECT_EQ(output_command("HEADLESS-2", "mode --custom 1920x1080@60Hz").value(),
            R"(output "HEADLESS-2" mode --custom 1920x1080@60Hz)");
  EXPECT_EQ(output_command(R"(a "b"\c)", "disable").value(), R"(output "a \"b\"\\c" disable)");
  EXPECT_FALSE(output_command("", "disable"));
  EXPECT_FALSE(output_command("a\nexit", "disable"));
}

}  // namespace
}  // namespace pf::proto::sway
