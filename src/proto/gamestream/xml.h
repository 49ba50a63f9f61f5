// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

// nvhttp replies are small XML documents: `<root status_code="200">` with
// flat children, or a list of `<App>` elements. The writer produces exactly
// that; the reader parses any such reply (the test client and tools use it,
// and it is fuzzed) without entities beyond the five predefined ones.
namespace pf::proto::gamestream {

std::string xml_escape(std::string_view text);

class XmlReply {
 public:
  explicit XmlReply(int status_code = 200, std::string_view status_message = {});
  XmlReply& add(std::string_view name, std::string_view text);
  XmlReply& add(std::string_view name, int64_t value);
  XmlReply& open(std::string_view name);  // nested element, e.g. <App>
  XmlReply& close(std::string_view name);
  std::string str() const;

 private:
  std::string body_;
  int status_code_;
  std::string status_message_;
};

struct XmlElement {
  std::string name;
  std::map<std::string, std::string, std::less<>> attributes;
  std::string text;
  std::vector<XmlElement> children;

  const XmlElement* child(std::string_view name) const;
  // The text of the first child with this name.
  std::optional<std::string_view> child_text(std::string_view name) const;
  std::optional<std::string_view> attribute(std::string_view name) const;
};

// Parses one document (optional <?xml?> prolog and comments). Limits: 1 MiB,
// depth 16, 10 000 elements. kInvalidArgument with the offset on malformed input.
Result<XmlElement> parse_xml(std::string_view document);

}  // namespace pf::proto::gamestream
