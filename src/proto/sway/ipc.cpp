// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/sway/ipc.h"

#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pf::proto::sway {

namespace {

using nlohmann::json;

Result<json> parse_json(std::string_view text, const char* what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return make_error(StatusCode::kDataLoss, fmt::format("sway sent a {} that is not JSON", what));
  return j;
}

int int_field(const json& o, const char* key) {
  const auto it = o.find(key);
  if (it == o.end() || !it->is_number_integer())
    return 0;
  const auto v = it->get<int64_t>();
  return v < -(1 << 30) || v > (1 << 30) ? 0 : static_cast<int>(v);
}

}  // namespace

std::string encode_message(MessageType type, std::string_view payload) {
  std::string out(kMagic);
  const uint32_t len = static_cast<uint32_t>(payload.size());
  const uint32_t t = static_cast<uint32_t>(type);
  out.append(reinterpret_cast<const char*>(&len), 4);
  out.append(reinterpret_cast<const char*>(&t), 4);
  out.append(payload);
  return out;
}

void Decoder::feed(std::string_view bytes) {
  if (broken_.is_ok())
    buf_.append(bytes);
}

Result<std::optional<Message>> Decoder::next() {
  if (!broken_.is_ok())
    return tl::unexpected(broken_);
  if (buf_.size() < kHeaderSize)
    return std::optional<Message>();
  if (std::string_view(buf_).substr(0, kMagic.size()) != kMagic) {
    broken_ = Status(StatusCode::kDataLoss, "sway IPC: a message without the i3-ipc magic");
    buf_.clear();
    return tl::unexpected(broken_);
  }
  uint32_t len = 0, type = 0;
  std::memcpy(&len, buf_.data() + 6, 4);
  std::memcpy(&type, buf_.data() + 10, 4);
  if (len > kMaxPayload) {
    broken_ = Status(StatusCode::kResourceExhausted,
                     fmt::format("sway IPC: a {} byte message (at most {})", len, kMaxPayload));
    buf_.clear();
    return tl::unexpected(broken_);
  }
  if (buf_.size() < kHeaderSize + len)
    return std::optional<Message>();
  Message m{type, buf_.substr(kHeaderSize, len)};
  buf_.erase(0, kHeaderSize + len);
  return std::optional<Message>(std::move(m));
}

Result<std::vector<Output>> parse_outputs(std::string_view text) {
  auto j = parse_json(text, "output list");
  if (!j)
    return tl::unexpected(j.error());
  if (!j->is_array())
    return make_error(StatusCode::kDataLoss, "sway's output list is not a JSON array");
  std::vector<Output> out;
  for (const auto& o : *j) {
    if (!o.is_object())
      return make_error(StatusCode::kDataLoss, "sway's output list holds a non-object");
    const auto name = o.find("name");
    if (name == o.end() || !name->is_string() || name->get_ref<const std::string&>().empty())
      return make_error(StatusCode::kDataLoss, "sway listed an output without a name");
    Output v;
    v.name = name->get<std::string>();
    const auto active = o.find("active");
    v.active = active != o.end() && active->is_boolean() && active->get<bool>();
    const auto focused = o.find("focused");
    v.focused = focused != o.end() && focused->is_boolean() && focused->get<bool>();
    if (const auto mode = o.find("current_mode"); mode != o.end() && mode->is_object()) {
      v.width = int_field(*mode, "width");
      v.height = int_field(*mode, "height");
      v.refresh_mhz = int_field(*mode, "refresh");
    }
    if (const auto rect = o.find("rect"); rect != o.end() && rect->is_object()) {
      v.x = int_field(*rect, "x");
      v.y = int_field(*rect, "y");
    }
    out.push_back(std::move(v));
  }
  return out;
}

Status parse_command_reply(std::string_view text) {
  auto j = parse_json(text, "command reply");
  if (!j)
    return j.error();
  if (!j->is_array() || j->empty())
    return Status(StatusCode::kDataLoss, "sway's command reply is not a list of results");
  for (const auto& r : *j) {
    const auto ok = r.is_object() ? r.find("success") : r.end();
    if (!r.is_object() || ok == r.end() || !ok->is_boolean())
      return Status(StatusCode::kDataLoss, "sway's command reply has an entry without success");
    if (!ok->get<bool>()) {
      const auto err = r.find("error");
      return Status(StatusCode::kFailedPrecondition,
                    fmt::format("sway refused the command: {}", err != r.end() && err->is_string()
                                                                    ? err->get<std::string>()
                                                                    : std::string("(no reason)")));
    }
  }
  return Status::ok();
}

Result<std::string> parse_version(std::string_view text) {
  auto j = parse_json(text, "version");
  if (!j)
    return tl::unexpected(j.error());
  const auto v = j->is_object() ? j->find("human_readable") : j->end();
  if (!j->is_object() || v == j->end() || !v->is_string())
    return make_error(StatusCode::kDataLoss, "sway's version reply has no human_readable");
  return v->get<std::string>();
}

Result<std::string> output_command(std::string_view name, std::string_view rest) {
  if (name.empty())
    return make_error(StatusCode::kInvalidArgument, "an output needs a name");
  std::string quoted = "\"";
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return make_error(StatusCode::kInvalidArgument, "an output name with a control character");
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return fmt::format("output {} {}", quoted, rest);
}

}  // namespace pf::proto::sway
