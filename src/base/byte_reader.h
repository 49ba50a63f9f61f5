// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "base/endian.h"

namespace pf {

// Bounds-checked reader over a borrowed byte span. Every read either returns a
// value and advances, or returns nullopt, leaves the position unchanged and sets
// a sticky failure flag, so a parser can do several reads and check `ok()` once.
// Never reads out of bounds, never allocates. Thread model: not thread-safe;
// one reader per parse.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> data) : data_(data) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  // False once any read has failed.
  bool ok() const { return ok_; }

  std::optional<uint8_t> u8() {
    if (!need(1))
      return std::nullopt;
    return data_[pos_++];
  }
  std::optional<uint16_t> u16_le() { return read_le<uint16_t>(); }
  std::optional<uint32_t> u32_le() { return read_le<uint32_t>(); }
  std::optional<uint64_t> u64_le() { return read_le<uint64_t>(); }
  std::optional<uint16_t> u16_be() { return read_be<uint16_t>(); }
  std::optional<uint32_t> u32_be() { return read_be<uint32_t>(); }
  std::optional<uint64_t> u64_be() { return read_be<uint64_t>(); }
  std::optional<int32_t> i32_le() {
    auto v = u32_le();
    if (!v)
      return std::nullopt;
    return static_cast<int32_t>(*v);
  }

  // A view of the next n bytes (no copy).
  std::optional<std::span<const uint8_t>> bytes(size_t n) {
    if (!need(n))
      return std::nullopt;
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  // Everything left; never fails.
  std::span<const uint8_t> rest() {
    auto out = data_.subspan(pos_);
    pos_ = data_.size();
    return out;
  }
  bool skip(size_t n) {
    if (!need(n))
      return false;
    pos_ += n;
    return true;
  }

 private:
  bool need(size_t n) {
    if (n > remaining()) {
      ok_ = false;
      return false;
    }
    return true;
  }
  template <typename T>
  std::optional<T> read_le() {
    if (!need(sizeof(T)))
      return std::nullopt;
    T v;
    std::memcpy(&v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return little_endian(v);
  }
  template <typename T>
  std::optional<T> read_be() {
    if (!need(sizeof(T)))
      return std::nullopt;
    T v;
    std::memcpy(&v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return big_endian(v);
  }

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace pf
