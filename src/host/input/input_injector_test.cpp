// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/input/input_injector.h"

#include <gtest/gtest.h>

namespace pf::host {
namespace {

TEST(TextKeysymTest, LatinOneAsIsTheRestAsUnicodeKeysymsAndNoControlCharacters) {
  EXPECT_EQ(text_keysym('a'), 0x61u);
  EXPECT_EQ(text_keysym(0xE9), 0xE9u);           // é
  EXPECT_EQ(text_keysym(0x20AC), 0x010020ACu);   // €
  EXPECT_EQ(text_keysym(0x1F600), 0x0101F600u);  // an emoji
  for (uint32_t bad : {0x00u, 0x09u, 0x1Fu, 0x7Fu, 0x9Fu, 0xD800u, 0xDFFFu, 0x110000u})
    EXPECT_EQ(text_keysym(bad), 0u) << std::hex << bad;
}

}  // namespace
}  // namespace pf::host
