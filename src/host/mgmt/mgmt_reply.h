// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "base/status.h"

// The management API's JSON answers (mgmt_server.cpp, mgmt_routes.cpp).
namespace pf::host::mgmt {

inline void reply(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

inline void error(httplib::Response& res, int status, const std::string& message) {
  reply(res, status, nlohmann::json{{"error", message}});
}

// A backend's error as the HTTP status the spec documents for it.
inline void error(httplib::Response& res, const Status& st) {
  switch (st.code()) {
    case StatusCode::kInvalidArgument:
      return error(res, 400, st.message());
    case StatusCode::kNotFound:
      return error(res, 404, st.message());
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:  // a state the user must change first
      return error(res, 409, st.message());
    default:
      return error(res, 500, st.message());
  }
}

}  // namespace pf::host::mgmt
