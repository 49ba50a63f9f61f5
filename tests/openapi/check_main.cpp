// SPDX-License-Identifier: MIT OR Apache-2.0
// pf-openapi-check SPEC PORT TOKEN: every GET operation of the spec without a
// path parameter, asked of a running punktfunk-host on 127.0.0.1:PORT; each
// answer must have a documented status and match its schema. Used by the
// integration tests on the real host (the unit tests cover every operation
// against a fake backend).
#include <cstdio>
#include <string>

#include <httplib.h>

#include "openapi_check.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: pf-openapi-check SPEC PORT TOKEN\n");
    return 2;
  }
  auto spec = pf::openapi::Spec::load(argv[1]);
  if (!spec) {
    std::fprintf(stderr, "pf-openapi-check: %s\n", spec.error().to_string().c_str());
    return 2;
  }
  httplib::SSLClient c("127.0.0.1", std::stoi(argv[2]));
  c.enable_server_certificate_verification(false);
  c.set_bearer_token_auth(argv[3]);
  int checked = 0, bad = 0;
  for (const auto& op : spec->operations()) {
    if (op.method != "get" || op.path.find('{') != std::string::npos)
      continue;
    auto r = c.Get("/api/v1" + op.path);
    if (!r) {
      std::fprintf(stderr, "pf-openapi-check: GET %s: %s\n", op.path.c_str(),
                   httplib::to_string(r.error()).c_str());
      return 1;
    }
    const auto body = nlohmann::json::parse(r->body, nullptr, false);
    ++checked;
    if (body.is_discarded()) {
      std::printf("GET %s -> %d: not JSON\n", op.path.c_str(), r->status);
      ++bad;
      continue;
    }
    for (const auto& problem : spec->check(op.path, "get", r->status, body)) {
      std::printf("%s\n  answer: %s\n", problem.c_str(), body.dump().substr(0, 400).c_str());
      ++bad;
    }
  }
  std::printf("pf-openapi-check: %d GET operations, %d problem(s)\n", checked, bad);
  return bad == 0 && checked > 0 ? 0 : 1;
}
