// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

// Announces the host on the local network as `_nvstream._tcp` (SRV port = the
// nvhttp HTTP port, no TXT records; gamestream-protocol.md 1.2) through
// avahi-daemon. If the daemon is not running the publisher logs one clear
// warning and keeps retrying quietly (avahi-client reconnects when it comes
// up); clients can still add the host by IP address.
namespace pf::host::gamestream {

class MdnsPublisher {
 public:
  // `service_type` defaults to GameStream's; punktfunk/1 announces
  // "_punktfunk._udp" with TXT records ("v=1", "id=...", ...).
  static std::unique_ptr<MdnsPublisher> start(const std::string& instance_name,
                                              uint16_t port,
                                              const std::string& service_type = "_nvstream._tcp",
                                              const std::vector<std::string>& txt = {});
  virtual ~MdnsPublisher() = default;
  // True once the service is registered with the daemon.
  virtual bool published() const = 0;
  virtual std::string state() const = 0;
};

}  // namespace pf::host::gamestream
