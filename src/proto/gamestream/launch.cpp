// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/launch.h"

#include <charconv>
#include <cstdio>

#include <fmt/format.h>

#include "base/hex.h"

namespace pf::proto::gamestream {

std::array<uint8_t, 16> LaunchRequest::iv() const {
  std::array<uint8_t, 16> iv{};
  const auto id = static_cast<uint32_t>(rikeyid);
  for (int i = 0; i < 4; ++i)
    iv[i] = static_cast<uint8_t>(id >> (24 - 8 * i));
  return iv;
}

namespace {

Status invalid(std::string msg) {
  return Status(StatusCode::kInvalidArgument, std::move(msg));
}

bool parse_u32(std::string_view s, uint32_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

}  // namespace

Result<LaunchRequest> parse_launch(const QueryParams& q, bool resume) {
  LaunchRequest r;
  r.resume = resume;
  if (q.has("appid") || !resume) {
    auto id = q.get_int("appid", 1, INT32_MAX);
    if (!id)
      return tl::unexpected(id.error());
    r.app_id = static_cast<uint32_t>(*id);
  }
  const auto rikey = q.get("rikey");
  if (!rikey)
    return tl::unexpected(invalid("missing parameter 'rikey'"));
  auto key = from_hex(*rikey);
  if (!key || key->size() != 16)
    return tl::unexpected(invalid("'rikey' must be 32 hex digits"));
  std::copy(key->begin(), key->end(), r.rikey.begin());
  auto keyid = q.get_int("rikeyid", INT32_MIN, UINT32_MAX);  // some clients send it unsigned
  if (!keyid)
    return tl::unexpected(keyid.error());
  r.rikeyid = static_cast<int32_t>(static_cast<uint32_t>(*keyid));

  if (auto mode = q.get("mode")) {
    // WxHxFPS
    const size_t x1 = mode->find('x'), x2 = mode->find('x', x1 == mode->npos ? x1 : x1 + 1);
    uint32_t w = 0, h = 0, fps = 0;
    if (x1 == mode->npos || x2 == mode->npos || !parse_u32(mode->substr(0, x1), &w) ||
        !parse_u32(mode->substr(x1 + 1, x2 - x1 - 1), &h) ||
        !parse_u32(mode->substr(x2 + 1), &fps) || w == 0 || h == 0 || w > 16384 || h > 16384 ||
        fps > 1000)
      return tl::unexpected(invalid(fmt::format("'mode' = '{}' is not WIDTHxHEIGHTxFPS", *mode)));
    r.width = static_cast<uint16_t>(w);
    r.height = static_cast<uint16_t>(h);
    r.fps = static_cast<uint16_t>(fps == 0 ? 60 : fps);  // 0 is a GFE-only hack for > 60
  } else if (!resume) {
    return tl::unexpected(invalid("missing parameter 'mode'"));
  }
  if (q.has("localAudioPlayMode")) {
    auto v = q.get_int("localAudioPlayMode", 0, 1);
    if (!v)
      return tl::unexpected(v.error());
    r.local_audio = *v == 1;
  }
  if (q.has("surroundAudioInfo")) {
    auto v = q.get_int("surroundAudioInfo", 0, UINT32_MAX);
    if (!v)
      return tl::unexpected(v.error());
    const auto info = static_cast<uint32_t>(*v);
    r.audio_channels = static_cast<uint16_t>(info & 0xFFFF);
    r.audio_channel_mask = static_cast<uint16_t>(info >> 16);
    if (r.audio_channels != 2 && r.audio_channels != 6 && r.audio_channels != 8)
      return tl::unexpected(invalid(
          fmt::format("'surroundAudioInfo' asks for {} channels (2, 6 or 8)", r.audio_channels)));
  }
  auto flag = [&](std::string_view k, bool* out) -> Status {
    if (!q.has(k))
      return Status::ok();
    auto v = q.get_int(k, 0, 1);
    if (!v)
      return v.error();
    *out = *v == 1;
    return Status::ok();
  };
  for (auto [k, out] : {std::pair{"sops", &r.sops}, std::pair{"hdrMode", &r.hdr},
                        std::pair{"gcpersist", &r.gamepads_persist}})
    if (auto st = flag(k, out); !st.is_ok())
      return tl::unexpected(st);
  if (q.has("remoteControllersBitmap")) {
    auto v = q.get_int("remoteControllersBitmap", 0, UINT32_MAX);
    if (!v)
      return tl::unexpected(v.error());
    r.gamepad_mask = static_cast<uint32_t>(*v);
  }
  if (q.has("corever")) {
    auto v = q.get_int("corever", 0, 1000);
    if (!v)
      return tl::unexpected(v.error());
    r.corever = static_cast<int>(*v);
  }
  return r;
}

}  // namespace pf::proto::gamestream
