// SPDX-License-Identifier: MIT OR Apache-2.0
#include "net/address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace pf::net {

namespace {
Result<uint16_t> parse_port(std::string_view s) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > 65535)
    return make_error(StatusCode::kInvalidArgument, fmt::format("bad port '{}'", s));
  return static_cast<uint16_t>(v);
}
}  // namespace

Result<Address> Address::parse(std::string_view text, uint16_t default_port) {
  std::string host;
  uint16_t port = default_port;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos)
      return make_error(StatusCode::kInvalidArgument, fmt::format("missing ']' in '{}'", text));
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        return make_error(StatusCode::kInvalidArgument, fmt::format("bad address '{}'", text));
      auto p = parse_port(rest.substr(1));
      if (!p)
        return tl::unexpected(p.error());
      port = *p;
    }
  } else if (text.find(':') != text.rfind(':')) {
    host = text;  // bare IPv6
  } else if (const size_t colon = text.find(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    auto p = parse_port(text.substr(colon + 1));
    if (!p)
      return tl::unexpected(p.error());
    port = *p;
  } else {
    host = text;
  }
  Address a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage_);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage_);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    a.length_ = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    a.length_ = sizeof(sockaddr_in6);
  } else {
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("'{}' is not a numeric IPv4 or IPv6 address", host));
  }
  return a;
}

Address Address::loopback_v4(uint16_t port) {
  return *parse("127.0.0.1", port);
}

Address Address::any_v4(uint16_t port) {
  return *parse("0.0.0.0", port);
}

Address Address::from_sockaddr(const sockaddr* sa, socklen_t len) {
  Address a;
  if (len > 0 && len <= sizeof(a.storage_)) {
    std::memcpy(&a.storage_, sa, len);
    a.length_ = len;
  }
  return a;
}

uint16_t Address::port() const {
  if (family() == AF_INET)
    return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (family() == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  return 0;
}

std::string Address::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, buf, sizeof buf);
    return fmt::format("{}:{}", buf, port());
  }
  if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, buf,
              sizeof buf);
    return fmt::format("[{}]:{}", buf, port());
  }
  return "(none)";
}

bool Address::same_host(const Address& other) const {
  if (family() != other.family())
    return false;
  if (family() == AF_INET)
    return reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr ==
           reinterpret_cast<const sockaddr_in*>(&other.storage_)->sin_addr.s_addr;
  if (family() == AF_INET6)
    return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr,
                       &reinterpret_cast<const sockaddr_in6*>(&other.storage_)->sin6_addr,
                       sizeof(in6_addr)) == 0;
  return false;
}

bool operator==(const Address& a, const Address& b) {
  return a.length_ == b.length_ && std::memcmp(&a.storage_, &b.storage_, a.length_) == 0;
}

}  // namespace pf::net
