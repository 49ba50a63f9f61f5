// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <filesystem>
#include <string>

#include "base/status.h"

namespace pf::host::gamestream {

// The host's GameStream identity: an RSA-2048 key and self-signed certificate
// (the one HTTPS presents and pairing hands out as `plaincert`) and a stable
// unique id (a UUID clients key their host record on). Created on first run
// under the state directory (host-cert.pem, host-key.pem 0600, host-id).
struct HostIdentity {
  std::string cert_pem;
  std::string key_pem;
  std::string unique_id;

  static Result<HostIdentity> load_or_create(const std::filesystem::path& state_dir);
};

// A random version-4 UUID, lowercase.
std::string random_uuid();

}  // namespace pf::host::gamestream
