// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/mgmt/access.h"

#include <gtest/gtest.h>

namespace pf::proto::mgmt {
namespace {

TEST(MgmtAccessTest, ThePageForAnyoneTheApiOnlyWithTheToken) {
  const std::string_view token = "s3cret-token";
  EXPECT_EQ(mgmt_access("GET", "/", "", token), MgmtAccess::kWebPage);
  EXPECT_EQ(mgmt_access("GET", "/index.html", "", token), MgmtAccess::kWebPage);
  EXPECT_EQ(mgmt_access("POST", "/", "", token), MgmtAccess::kRefused);
  EXPECT_EQ(mgmt_access("GET", "/api/v1/status", "Bearer s3cret-token", token), MgmtAccess::kApi);
  EXPECT_EQ(mgmt_access("GET", "/api/v1/status", "", token), MgmtAccess::kRefused);
  EXPECT_EQ(mgmt_access("GET", "/api/v1/status", "Bearer s3cret-tokeN", token),
            MgmtAccess::kRefused);
  EXPECT_EQ(mgmt_access("GET", "/api/v1/status", "Bearer s3cret-token ", token),
            MgmtAccess::kRefused);
  EXPECT_EQ(mgmt_access("GET", "/api/v1/status", "bearer s3cret-token", token),
            MgmtAccess::kRefused);
  EXPECT_EQ(mgmt_access("GET", "/index.htm", "Bearer s3cret-token", token), MgmtAccess::kApi);
  // No token configured: nobody gets in, not even with "Bearer ".
  EXPECT_EQ(mgmt_access("GET", "/api/v1/status", "Bearer ", ""), MgmtAccess::kRefused);
}

}  // namespace
}  // namespace pf::proto::mgmt
