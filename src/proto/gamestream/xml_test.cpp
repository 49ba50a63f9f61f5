// SPDX-License-Identifier: MIT OR Apache-2.0
#include "proto/gamestream/xml.h"

#include <gtest/gtest.h>

namespace pf::proto::gamestream {
namespace {

TEST(XmlTest, ReplyHasStatusOnRootAndEscapes) {
  XmlReply r(200);
  r.add("hostname", "a<b & \"c\"").add("HttpsPort", 47984);
  r.open("App").add("AppTitle", "Desktop").add("ID", 881448767).close("App");
  const std::string s = r.str();
  EXPECT_EQ(s.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0), 0u);
  EXPECT_NE(s.find("<root status_code=\"200\">"), std::string::npos);
  EXPECT_NE(s.find("<hostname>a&lt;b &amp; &quot;c&quot;</hostname>"), std::string::npos);
  auto doc = parse_xml(s);
  ASSERT_TRUE(doc) << doc.error().to_string();
  EXPECT_EQ(doc->name, "root");
  EXPECT_EQ(*doc->attribute("status_code"), "200");
  EXPECT_EQ(*doc->child_text("hostname"), "a<b & \"c\"");
  EXPECT_EQ(*doc->child_text("HttpsPort"), "47984");
  ASSERT_NE(doc->child("App"), nullptr);
  EXPECT_EQ(*doc->child("App")->child_text("ID"), "881448767");
}

TEST(XmlTest, ErrorReplyCarriesMessage) {
  auto doc = parse_xml(XmlReply(401, "The client is not authorized").str());
  ASSERT_TRUE(doc);
  EXPECT_EQ(*doc->attribute("status_code"), "401");
  EXPECT_EQ(*doc->attribute("status_message"), "The client is not authorized");
}

TEST(XmlTest, ParsesOtherShapes) {
  auto doc = parse_xml("<!-- c --><root a='1' b=\"x\"><x/><y>t<!-- c --></y></root>\n");
  ASSERT_TRUE(doc) << doc.error().to_string();
  EXPECT_EQ(doc->children.size(), 2u);
  EXPECT_EQ(*doc->child_text("y"), "t");
}

TEST(XmlTest, RejectsMalformedWithOffset) {
  for (const char* bad : {"", "<", "<root>", "<root></toor>", "<root a=1></root>",
                          "<root>&bogus;</root>", "<root></root>junk", "<?xml", "<a><b></a>"}) {
    auto doc = parse_xml(bad);
    EXPECT_FALSE(doc) << bad;
    if (!doc) {
      EXPECT_NE(doc.error().message().find("offset"), std::string::npos) << bad;
    }
  }
  std::string deep;
  for (int i = 0; i < 40; ++i)
    deep += "<a>";
  EXPECT_FALSE(parse_xml(deep));
}

}  // namespace
}  // namespace pf::proto::gamestream
