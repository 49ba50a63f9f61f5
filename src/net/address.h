// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace pf::net {

// An IPv4 or IPv6 socket address (numeric; no name resolution). Value type.
class Address {
 public:
  Address() = default;
  // "127.0.0.1:9000", "[::1]:9000", or a bare host with `default_port`.
  static Result<Address> parse(std::string_view text, uint16_t default_port = 0);
  static Address loopback_v4(uint16_t port);
  static Address any_v4(uint16_t port);
  static Address from_sockaddr(const sockaddr* sa, socklen_t len);

  const sockaddr* sockaddr_ptr() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t length() const { return length_; }
  int family() const { return storage_.ss_family; }
  uint16_t port() const;
  std::string to_string() const;
  bool valid() const { return length_ != 0; }
  // The same IP address (any port).
  bool same_host(const Address& other) const;

  friend bool operator==(const Address& a, const Address& b);

 private:
  sockaddr_storage storage_{};
  socklen_t length_ = 0;
};

}  // namespace pf::net
