// SPDX-License-Identifier: MIT OR Apache-2.0
#include "fec/erasures.h"

#include <fmt/format.h>

namespace pf::fec {

Status check_shard_pointers(size_t k,
                            size_t m,
                            const uint8_t* const* data,
                            uint8_t* const* parity) {
  if (data == nullptr || parity == nullptr)
    return Status(StatusCode::kInvalidArgument, "null shard array");
  for (size_t i = 0; i < k; ++i)
    if (data[i] == nullptr)
      return Status(StatusCode::kInvalidArgument, fmt::format("data shard {} is null", i));
  for (size_t j = 0; j < m; ++j)
    if (parity[j] == nullptr)
      return Status(StatusCode::kInvalidArgument, fmt::format("parity shard {} is null", j));
  return Status::ok();
}

Status check_erasures(size_t k,
                      size_t m,
                      uint8_t* const* shards,
                      std::span<const uint8_t> present,
                      size_t* lost_data) {
  *lost_data = 0;
  if (shards == nullptr)
    return Status(StatusCode::kInvalidArgument, "null shard array");
  if (present.size() != k + m)
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("present mask has {} entries, need k+m={}", present.size(), k + m));
  size_t have = 0, lost = 0;
  for (size_t i = 0; i < k + m; ++i) {
    have += present[i] ? 1 : 0;
    if (i < k && !present[i])
      ++lost;
    if (shards[i] == nullptr && (present[i] || i < k))
      return Status(StatusCode::kInvalidArgument,
                    fmt::format("shard {} is null ({})", i, present[i] ? "present" : "to rebuild"));
  }
  if (lost != 0 && have < k)
    return Status(StatusCode::kDataLoss,
                  fmt::format("only {} of the {} shards needed arrived", have, k));
  *lost_data = lost;
  return Status::ok();
}

}  // namespace pf::fec
