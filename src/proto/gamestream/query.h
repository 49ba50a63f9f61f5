// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

// URL query strings of nvhttp requests ("uniqueid=...&uuid=...&phrase=...").
namespace pf::proto::gamestream {

// Decoded key -> value. A repeated key keeps its first value.
class QueryParams {
 public:
  static constexpr size_t kMaxBytes = 64 * 1024;
  static constexpr size_t kMaxParams = 128;

  // Percent-decodes keys and values ('+' is a space). kInvalidArgument for
  // inputs over the limits or with a broken %-escape.
  static Result<QueryParams> parse(std::string_view query);

  std::optional<std::string_view> get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
  // The value as a decimal integer within [lo, hi], or an error naming the key.
  Result<int64_t> get_int(std::string_view key, int64_t lo, int64_t hi) const;
  size_t size() const { return params_.size(); }
  void set(std::string key, std::string value) {
    params_.emplace(std::move(key), std::move(value));
  }

 private:
  std::map<std::string, std::string, std::less<>> params_;
};

}  // namespace pf::proto::gamestream
