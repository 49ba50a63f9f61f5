// SPDX-License-Identifier: MIT OR Apache-2.0
// Any bytes as an nvhttp XML reply: parse must not crash or recurse without
// bound; a parsed document's text re-emitted through XmlReply parses again to
// the same text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/check.h"
#include "proto/gamestream/xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pf::proto::gamestream;
  auto doc = parse_xml(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!doc)
    return 0;
  XmlReply r(200);
  for (const auto& c : doc->children)
    r.add("v", c.text);
  auto again = parse_xml(r.str());
  PF_CHECK(again.has_value());
  PF_CHECK(again->children.size() == doc->children.size());
  for (size_t i = 0; i < doc->children.size(); ++i)
    PF_CHECK(again->children[i].text == doc->children[i].text);
  return 0;
}
