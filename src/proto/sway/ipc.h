// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

// sway's IPC (sway-ipc(7), i3's wire format): every message is the magic
// "i3-ipc", a 32-bit payload length and a 32-bit type, both in the host's
// byte order (the socket is local), then the payload (JSON). Sans-I/O: the
// host's SwayIpc client (host/vdisplay/sway_ipc.h) owns the socket.
// Thread model: free functions and a value-type decoder, one thread each.
namespace pf::proto::sway {

enum class MessageType : uint32_t {
  kRunCommand = 0,
  kGetOutputs = 3,
  kGetVersion = 7,
};

inline constexpr std::string_view kMagic = "i3-ipc";
inline constexpr size_t kHeaderSize = 14;  // magic + length + type
// A reply larger than this is refused (GET_TREE of a huge session is the
// biggest thing sway sends; outputs and command replies are a few kB).
inline constexpr uint32_t kMaxPayload = 16u << 20;

std::string encode_message(MessageType type, std::string_view payload);

struct Message {
  uint32_t type = 0;  // a reply carries its request's type; events have bit 31 set
  std::string payload;
};

// Accumulates bytes from the socket and yields whole messages.
class Decoder {
 public:
  // Appends received bytes.
  void feed(std::string_view bytes);
  // The next whole message; nullopt when more bytes are needed. A bad magic
  // or an oversized length is an error that stays (the stream is lost).
  Result<std::optional<Message>> next();

 private:
  std::string buf_;
  Status broken_;
};

// One output from GET_OUTPUTS (the fields the host uses).
struct Output {
  std::string name;  // "HEADLESS-1", "DP-2", ...
  bool active = false;
  bool focused = false;       // holds the seat's keyboard focus
  int width = 0, height = 0;  // current mode
  int refresh_mhz = 0;        // current mode, millihertz
  int x = 0, y = 0;           // position in the layout
};

// GET_OUTPUTS reply -> outputs; malformed JSON or a reply of the wrong shape
// is kDataLoss with what was wrong.
Result<std::vector<Output>> parse_outputs(std::string_view json);

// RUN_COMMAND reply ([{"success": bool, "error": "..."}, ...], one entry per
// command) -> ok, or the first failure with sway's error text.
Status parse_command_reply(std::string_view json);

// GET_VERSION reply -> "1.7" (human_readable).
Result<std::string> parse_version(std::string_view json);

// sway command text for a custom mode: "output NAME mode --custom WxH@FHz".
// Names are quoted so a name with spaces or quotes stays one argument; the
// name must not contain control characters (kInvalidArgument).
Result<std::string> output_command(std::string_view name, std::string_view rest);

}  // namespace pf::proto::sway
