// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace pf {

// One status code set for the whole code base. Values are stable: the C ABI
// (PunktfunkStatus) mirrors them one to one, so never renumber; append only.
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,
  kOutOfRange = 2,
  kNotFound = 3,
  kAlreadyExists = 4,
  kPermissionDenied = 5,
  kResourceExhausted = 6,
  kFailedPrecondition = 7,
  kUnavailable = 8,
  kUnimplemented = 9,
  kDataLoss = 10,
  kTimeout = 11,
  kInternal = 12,
  kCancelled = 13,
};
inline constexpr int kStatusCodeCount = 14;

// Stable lowercase name of a code, e.g. "invalid_argument".
std::string_view status_code_name(StatusCode code);

// A status is a code plus one human sentence that tells the user what went
// wrong and, where possible, what to do about it. Thread model: a value type.
class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid_argument: shard size must be a multiple of 64"
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Recoverable failures are returned, never thrown: Result<T> holds a T or a Status.
template <typename T>
using Result = tl::expected<T, Status>;

inline tl::unexpected<Status> make_error(StatusCode code, std::string message) {
  return tl::unexpected<Status>(Status(code, std::move(message)));
}

}  // namespace pf
