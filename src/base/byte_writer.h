// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "base/endian.h"

namespace pf {

// Bounds-checked writer into a caller-owned fixed buffer (no allocation, so it
// is usable on the hot path). A write that does not fit writes nothing, returns
// false and sets a sticky failure flag. Thread model: not thread-safe.
class ByteWriter {
 public:
  explicit ByteWriter(std::span<uint8_t> out) : out_(out) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return out_.size() - pos_; }
  bool ok() const { return ok_; }
  // The bytes written so far.
  std::span<const uint8_t> written() const { return out_.first(pos_); }

  bool u8(uint8_t v) {
    if (!need(1))
      return false;
    out_[pos_++] = v;
    return true;
  }
  bool u16_le(uint16_t v) { return write_le(v); }
  bool u32_le(uint32_t v) { return write_le(v); }
  bool u64_le(uint64_t v) { return write_le(v); }
  bool u16_be(uint16_t v) { return write_be(v); }
  bool u32_be(uint32_t v) { return write_be(v); }
  bool u64_be(uint64_t v) { return write_be(v); }
  bool i32_le(int32_t v) { return write_le(static_cast<uint32_t>(v)); }

  bool bytes(std::span<const uint8_t> data) {
    if (!need(data.size()))
      return false;
    if (!data.empty())
      std::memcpy(out_.data() + pos_, data.data(), data.size());
    pos_ += data.size();
    return true;
  }
  bool zeros(size_t n) {
    if (!need(n))
      return false;
    if (n)
      std::memset(out_.data() + pos_, 0, n);
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
  bool write_le(T v) {
    if (!need(sizeof(T)))
      return false;
    const T le = little_endian(v);
    std::memcpy(out_.data() + pos_, &le, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool write_be(T v) {
    if (!need(sizeof(T)))
      return false;
    const T be = big_endian(v);
    std::memcpy(out_.data() + pos_, &be, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }

  std::span<uint8_t> out_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace pf
