// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

// `punktfunk-client discover`: browses mDNS/DNS-SD for _punktfunk._udp
// through avahi-daemon (protocol section 1) and resolves what it finds.
// Thread model: a blocking call on the caller's thread.
namespace pf::client {

struct DiscoveredHost {
  std::string name;           // TXT name= (else the service instance name)
  std::string address;        // "ip:port" (IPv6 in brackets)
  std::string id;             // TXT id= (first 16 hex digits of the fingerprint)
  std::string fingerprint;    // TXT fp=
  bool pairing_open = false;  // TXT pair=1
};

// Browses for `seconds`; kUnavailable if avahi-daemon is not running.
Result<std::vector<DiscoveredHost>> discover_hosts(double seconds);

}  // namespace pf::client
