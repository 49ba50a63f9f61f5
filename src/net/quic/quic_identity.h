// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <filesystem>
#include <string>

#include "net/quic/quic.h"

// The long-lived punktfunk/1 identity of a host or client (protocol section
// 1): an ECDSA P-256 key and self-signed certificate, created on first use
// and kept in `dir` as native-cert.pem and native-key.pem (mode 0600).
// Thread model: free function; two processes racing on a fresh directory may
// both create one (the last rename wins, consistently for both files' readers
// only after a restart).
namespace pf::net {

Result<QuicIdentity> load_or_create_identity(const std::filesystem::path& dir,
                                             const std::string& common_name);

}  // namespace pf::net
