// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

// The management API's OpenAPI 3.1 document (docs/api/openapi.yaml) as a
// test oracle: its operations, and whether an answer's JSON matches the
// schema the document gives for that status. The JSON Schema subset the spec
// uses: type (also lists of types), enum, required, properties,
// additionalProperties, items, pattern, minLength/maxLength,
// minimum/maximum, maxProperties and $ref within the document. A keyword
// outside the subset is reported, not ignored, so the check cannot silently
// pass. Thread model: a value type.
namespace pf::openapi {

struct Operation {
  std::string path;    // "/devices/{id}"
  std::string method;  // "get", "post", "patch", "delete"
  std::set<int> statuses;
};

class Spec {
 public:
  static Result<Spec> load(const std::string& yaml_file);
  std::vector<Operation> operations() const;
  // Problems of `body` as the answer `status` to (path, method); empty when
  // it matches. An undocumented status is a problem; a documented one without
  // a JSON schema takes any JSON.
  std::vector<std::string> check(const std::string& path,
                                 const std::string& method,
                                 int status,
                                 const nlohmann::json& body) const;
  const nlohmann::json& document() const { return doc_; }

 private:
  nlohmann::json doc_;
};

// `value` against `schema` (resolving "$ref" in `root`); problems are
// prefixed with `where` (a JSON pointer-like path).
void validate(const nlohmann::json& value,
              const nlohmann::json& schema,
              const nlohmann::json& root,
              const std::string& where,
              std::vector<std::string>& problems);

}  // namespace pf::openapi
