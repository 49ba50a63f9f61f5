// SPDX-License-Identifier: MIT OR Apache-2.0
#include "openapi_check.h"

#include <regex>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace pf::openapi {

using nlohmann::json;

namespace {

json to_json(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n)
        o[kv.first.as<std::string>()] = to_json(kv.second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& e : n)
        a.push_back(to_json(e));
      return a;
    }
    case YAML::NodeType::Scalar: {
      const std::string s = n.Scalar();
      if (n.Tag() == "!")  // quoted: a string, whatever it looks like
        return s;
      if (s == "true" || s == "false")
        return s == "true";
      if (s == "null" || s == "~")
        return nullptr;
      if (std::regex_match(s, std::regex(R"(-?[0-9]+)")))
        return std::stoll(s);
      if (std::regex_match(s, std::regex(R"(-?[0-9]+\.[0-9]+)")))
        return std::stod(s);
      return s;
    }
    default:
      return nullptr;
  }
}

const json& resolve(const json& node, const json& root) {
  const json* n = &node;
  for (int hops = 0; n->is_object() && n->contains("$ref") && hops < 16; ++hops) {
    const std::string ref = (*n)["$ref"].get<std::string>();
    n = &root.at(json::json_pointer(ref.substr(1)));  // "#/components/..." -> "/components/..."
  }
  return *n;
}

bool has_type(const json& v, const std::string& t) {
  if (t == "object")
    return v.is_object();
  if (t == "array")
    return v.is_array();
  if (t == "string")
    return v.is_string();
  if (t == "integer")
    return v.is_number_integer() ||
           (v.is_number_float() && v.get<double>() == static_cast<double>(v.get<int64_t>()));
  if (t == "number")
    return v.is_number();
  if (t == "boolean")
    return v.is_boolean();
  if (t == "null")
    return v.is_null();
  return false;
}

const std::set<std::string> kKnown = {
    "type",    "enum",        "required",  "properties", "additionalProperties",
    "items",   "pattern",     "minLength", "maxLength",  "minimum",
    "maximum", "description", "$ref",      "default",    "maxProperties"};

}  // namespace

void validate(const json& value,
              const json& schema_in,
              const json& root,
              const std::string& where,
              std::vector<std::string>& problems) {
  const json& schema = resolve(schema_in, root);
  if (!schema.is_object()) {
    problems.push_back(where + ": the schema is not an object");
    return;
  }
  for (const auto& [k, _] : schema.items())
    if (!kKnown.count(k))
      problems.push_back(
          fmt::format("{}: schema keyword '{}' is not checked by this test", where, k));
  if (schema.contains("type")) {
    std::vector<std::string> types;
    if (schema["type"].is_array())
      for (const auto& t : schema["type"])
        types.push_back(t.get<std::string>());
    else
      types.push_back(schema["type"].get<std::string>());
    if (std::none_of(types.begin(), types.end(),
                     [&](const std::string& t) { return has_type(value, t); })) {
      problems.push_back(
          fmt::format("{}: {} is not of type {}", where, value.dump(), schema["type"].dump()));
      return;
    }
  }
  if (schema.contains("enum") &&
      std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end())
    problems.push_back(
        fmt::format("{}: {} is not one of {}", where, value.dump(), schema["enum"].dump()));
  if (value.is_string()) {
    const std::string s = value.get<std::string>();
    if (schema.contains("pattern") &&
        !std::regex_search(s, std::regex(schema["pattern"].get<std::string>())))
      problems.push_back(
          fmt::format("{}: '{}' does not match {}", where, s, schema["pattern"].dump()));
    if (schema.contains("minLength") && s.size() < schema["minLength"].get<size_t>())
      problems.push_back(
          fmt::format("{}: '{}' is shorter than {}", where, s, schema["minLength"].dump()));
    if (schema.contains("maxLength") && s.size() > schema["maxLength"].get<size_t>())
      problems.push_back(
          fmt::format("{}: '{}' is longer than {}", where, s, schema["maxLength"].dump()));
  }
  if (value.is_number()) {
    if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>())
      problems.push_back(
          fmt::format("{}: {} is below {}", where, value.dump(), schema["minimum"].dump()));
    if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>())
      problems.push_back(
          fmt::format("{}: {} is above {}", where, value.dump(), schema["maximum"].dump()));
  }
  if (value.is_object()) {
    if (schema.contains("required"))
      for (const auto& r : schema["required"])
        if (!value.contains(r.get<std::string>()))
          problems.push_back(
              fmt::format("{}: lacks the required '{}'", where, r.get<std::string>()));
    if (schema.contains("maxProperties") && value.size() > schema["maxProperties"].get<size_t>())
      problems.push_back(
          fmt::format("{}: more than {} members", where, schema["maxProperties"].dump()));
    for (const auto& [k, v] : value.items()) {
      if (schema.contains("properties") && schema["properties"].contains(k)) {
        validate(v, schema["properties"][k], root, where + "/" + k, problems);
      } else if (schema.contains("additionalProperties")) {
        const json& ap = schema["additionalProperties"];
        if (ap.is_boolean()) {
          if (!ap.get<bool>())
            problems.push_back(fmt::format("{}: '{}' is not in the schema", where, k));
        } else {
          validate(v, ap, root, where + "/" + k, problems);
        }
      }
    }
  }
  if (value.is_array() && schema.contains("items"))
    for (size_t i = 0; i < value.size(); ++i)
      validate(value[i], schema["items"], root, fmt::format("{}/{}", where, i), problems);
}

Result<Spec> Spec::load(const std::string& yaml_file) {
  Spec s;
  try {
    s.doc_ = to_json(YAML::LoadFile(yaml_file));
  } catch (const std::exception& e) {
    return make_error(StatusCode::kInvalidArgument, yaml_file + ": " + e.what());
  }
  if (!s.doc_.is_object() || !s.doc_.contains("paths") || !s.doc_["paths"].is_object())
    return make_error(StatusCode::kInvalidArgument, yaml_file + ": no paths");
  return s;
}

std::vector<Operation> Spec::operations() const {
  std::vector<Operation> out;
  for (const auto& [path, item] : doc_["paths"].items())
    for (const char* m : {"get", "post", "patch", "put", "delete"})
      if (item.contains(m)) {
        Operation op{path, m, {}};
        const json responses = item[m].value("responses", json::object());
        for (const auto& [code, _] : responses.items())
          op.statuses.insert(std::stoi(code));
        out.push_back(std::move(op));
      }
  return out;
}

std::vector<std::string> Spec::check(const std::string& path,
                                     const std::string& method,
                                     int status,
                                     const json& body) const {
  std::vector<std::string> problems;
  const std::string where = fmt::format("{} {} -> {}", method, path, status);
  const json& op = doc_["paths"][path][method];
  const std::string code = std::to_string(status);
  if (!op.contains("responses") || !op["responses"].contains(code)) {
    problems.push_back(where + ": status not documented");
    return problems;
  }
  const json& response = resolve(op["responses"][code], doc_);
  if (!response.contains("content"))
    return problems;
  const json& content = response["content"];
  if (!content.contains("application/json") || !content["application/json"].contains("schema"))
    return problems;
  validate(body, content["application/json"]["schema"], doc_, where, problems);
  return problems;
}

}  // namespace pf::openapi
