// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "host/core/host_options.h"

// The options of `punktfunk-host run` (docs/configuration.md): declared on
// the command line, then host.toml and --set applied through each option's
// own checks (the command line beats the file, --set beats both).
namespace pf::host {

// Choices kept as the words the user wrote until the options are final.
struct RunChoices {
  std::string display_backend = "xvfb", input = "auto", native_source = "display",
              gamestream_source = "display", audio_capture = "sink";
};

void add_run_options(CLI::App& app, HostOptions& run, RunChoices& c);
// host.toml (`config_file` when given, else `default_file`), then the --set
// entries; false after printing what is wrong (the host must not start).
bool apply_host_config(CLI::App& app,
                       HostOptions& run,
                       const std::string& config_file,
                       const std::filesystem::path& default_file,
                       const std::vector<std::string>& set_options);
// The choices into the options, once parsing is done.
void finish_run_options(HostOptions& run, const RunChoices& c);

}  // namespace pf::host
