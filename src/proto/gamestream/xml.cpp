// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/xml.h"

#include <fmt/format.h>

namespace pf::proto::gamestream {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

XmlReply::XmlReply(int status_code, std::string_view status_message)
    : status_code_(status_code), status_message_(status_message) {}

XmlReply& XmlReply::add(std::string_view name, std::string_view text) {
  body_ += fmt::format("<{0}>{1}</{0}>", name, xml_escape(text));
  return *this;
}

XmlReply& XmlReply::add(std::string_view name, int64_t value) {
  body_ += fmt::format("<{0}>{1}</{0}>", name, value);
  return *this;
}

XmlReply& XmlReply::open(std::string_view name) {
  body_ += fmt::format("<{}>", name);
  return *this;
}

XmlReply& XmlReply::close(std::string_view name) {
  body_ += fmt::format("</{}>", name);
  return *this;
}

std::string XmlReply::str() const {
  std::string root = fmt::format("<root status_code=\"{}\"", status_code_);
  if (!status_message_.empty())
    root += fmt::format(" status_message=\"{}\"", xml_escape(status_message_));
  return fmt::format("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{}>{}</root>\n", root, body_);
}

const XmlElement* XmlElement::child(std::string_view n) const {
  for (const auto& c : children)
    if (c.name == n)
      return &c;
  return nullptr;
}

std::optional<std::string_view> XmlElement::child_text(std::string_view n) const {
  const XmlElement* c = child(n);
  if (!c)
    return std::nullopt;
  return std::string_view(c->text);
}

std::optional<std::string_view> XmlElement::attribute(std::string_view n) const {
  auto it = attributes.find(n);
  if (it == attributes.end())
    return std::nullopt;
  return std::string_view(it->second);
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<XmlElement> document() {
    skip_misc();
    if (s_.substr(pos_, 5) == "<?xml") {
      const size_t end = s_.find("?>", pos_);
      if (end == std::string_view::npos)
        return fail("unterminated XML declaration");
      pos_ = end + 2;
    }
    skip_misc();
    auto root = element(0);
    if (!root)
      return root;
    skip_misc();
    if (pos_ != s_.size())
      return fail("content after the root element");
    return root;
  }

 private:
  tl::unexpected<Status> fail(std::string_view what) const {
    return tl::unexpected(
        Status(StatusCode::kInvalidArgument, fmt::format("XML: {} at offset {}", what, pos_)));
  }
  bool at(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  void skip_space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
      ++pos_;
  }
  // Whitespace and comments.
  void skip_misc() {
    for (;;) {
      skip_space();
      if (s_.substr(pos_, 4) != "<!--")
        return;
      const size_t end = s_.find("-->", pos_ + 4);
      pos_ = end == std::string_view::npos ? s_.size() : end + 3;
    }
  }
  static bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':';
  }
  std::string_view name() {
    const size_t start = pos_;
    while (pos_ < s_.size() && name_char(s_[pos_]))
      ++pos_;
    return s_.substr(start, pos_ - start);
  }
  Result<std::string> unescape(std::string_view t) const {
    std::string out;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] != '&') {
        out.push_back(t[i]);
        continue;
      }
      const size_t semi = t.find(';', i);
      if (semi == std::string_view::npos)
        return fail("unterminated entity");
      const std::string_view e = t.substr(i + 1, semi - i - 1);
      if (e == "amp")
        out.push_back('&');
      else if (e == "lt")
        out.push_back('<');
      else if (e == "gt")
        out.push_back('>');
      else if (e == "quot")
        out.push_back('"');
      else if (e == "apos")
        out.push_back('\'');
      else
        return fail("unknown entity");
      i = semi;
    }
    return out;
  }

  Result<XmlElement> element(int depth) {
    if (depth > 16)
      return fail("nesting deeper than 16");
    if (++elements_ > 10'000)
      return fail("more than 10000 elements");
    if (!at('<'))
      return fail("expected '<'");
    ++pos_;
    XmlElement e;
    e.name = name();
    if (e.name.empty())
      return fail("expected an element name");
    for (;;) {
      skip_space();
      if (at('/')) {
        ++pos_;
        if (!at('>'))
          return fail("expected '>' after '/'");
        ++pos_;
        return e;
      }
      if (at('>')) {
        ++pos_;
        break;
      }
      std::string attr(name());
      if (attr.empty())
        return fail("expected an attribute name");
      skip_space();
      if (!at('='))
        return fail("expected '='");
      ++pos_;
      skip_space();
      if (!at('"') && !at('\''))
        return fail("expected a quoted attribute value");
      const char quote = s_[pos_++];
      const size_t end = s_.find(quote, pos_);
      if (end == std::string_view::npos)
        return fail("unterminated attribute value");
      auto value = unescape(s_.substr(pos_, end - pos_));
      if (!value)
        return tl::unexpected(value.error());
      pos_ = end + 1;
      e.attributes.emplace(std::move(attr), std::move(*value));
    }
    // Content: text and child elements until the matching end tag.
    for (;;) {
      const size_t lt = s_.find('<', pos_);
      if (lt == std::string_view::npos)
        return fail("missing end tag");
      auto text = unescape(s_.substr(pos_, lt - pos_));
      if (!text)
        return tl::unexpected(text.error());
      e.text += *text;
      pos_ = lt;
      if (s_.substr(pos_, 4) == "<!--") {
        skip_misc();
        continue;
      }
      if (s_.substr(pos_, 2) == "</") {
        pos_ += 2;
        if (name() != e.name)
          return fail("mismatched end tag");
        skip_space();
        if (!at('>'))
          return fail("expected '>'");
        ++pos_;
        return e;
      }
      auto child = element(depth + 1);
      if (!child)
        return child;
      e.children.push_back(std::move(*child));
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  size_t elements_ = 0;
};

}  // namespace

Result<XmlElement> parse_xml(std::string_view document) {
  if (document.size() > (1u << 20))
    return make_error(StatusCode::kInvalidArgument, "XML document larger than 1 MiB");
  return Parser(document).document();
}

}  // namespace pf::proto::gamestream
