// SPDX-License-Identifier: MIT OR Apache-2.0
// punktfunk-client: the reference client (milestone M4; see docs/implementation-plan.md).
#include <cstdio>

#include <CLI/CLI.hpp>

#include "punktfunk_core.h"

int main(int argc, char** argv) {
  CLI::App app{"punktfunk-client: reference client for punktfunk/1"};
  app.set_version_flag("--version", std::string("punktfunk-client ") + PUNKTFUNK_VERSION);
  auto* info = app.add_subcommand("info", "print the core library's ABI version");
  app.require_subcommand(0, 1);
  CLI11_PARSE(app, argc, argv);
  if (info->parsed() || app.get_subcommands().empty()) {
    std::printf("punktfunk-client %s, core ABI %u.%u\n", PUNKTFUNK_VERSION,
                punktfunk_abi_version() >> 16, punktfunk_abi_version() & 0xffffu);
    std::printf("discover/pair/stream are not implemented yet (milestone M4).\n");
  }
  return 0;
}
