// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/audio/pw_default_sink.h"

#include <sys/wait.h>

#include <cstdio>
#include <regex>

#include "base/log.h"

namespace pf::host {
namespace {

constexpr const char* kKey = "default.configured.audio.sink";

std::string run(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (!p) {
    *status = -1;
    return out;
  }
  char buf[512];
  while (std::fgets(buf, sizeof buf, p))
    out += buf;
  const int rc = pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

bool plain_name(const std::string& s) {
  return !s.empty() && s.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "0123456789._-:") == std::string::npos;
}

Status set_default(const std::string& name) {
  if (!plain_name(name))
    return Status(StatusCode::kInvalidArgument, "unusual sink name: " + name);
  int status = 0;
  run(std::string("pw-metadata -n default 0 ") + kKey + " '{ \"name\": \"" + name +
          "\" }' Spa:String:JSON",
      &status);
  if (status != 0)
    return Status(StatusCode::kUnavailable,
                  "cannot set the default sink (pw-metadata from pipewire-bin missing?)");
  return Status::ok();
}

}  // namespace

std::optional<std::string> DefaultSinkGuard::configured_default() {
  int status = 0;
  const std::string out = run(std::string("pw-metadata -n default 0 ") + kKey, &status);
  // update: id:0 key:'default.configured.audio.sink' value:'{"name":"x"}' type:'Spa:String:JSON'
  static const std::regex re(R"re(value:'\{\s*"name"\s*:\s*"([^"]+)"\s*\}')re");
  std::smatch m;
  if (status != 0 || !std::regex_search(out, m, re))
    return std::nullopt;
  return m[1].str();
}

Result<std::unique_ptr<DefaultSinkGuard>> DefaultSinkGuard::make_default(
    const std::string& sink_name) {
  std::unique_ptr<DefaultSinkGuard> g(new DefaultSinkGuard());
  g->previous_ = configured_default();
  if (Status st = set_default(sink_name); !st.is_ok())
    return tl::unexpected(st);
  log_info("audio: '{}' is the default sink while streaming (was {})", sink_name,
           g->previous_.value_or("unset"));
  return g;
}

DefaultSinkGuard::~DefaultSinkGuard() {
  int status = 0;
  if (previous_) {
    if (!set_default(*previous_).is_ok())
      log_warn("audio: could not restore the default sink '{}'", *previous_);
  } else {
    run(std::string("pw-metadata -n default -d 0 ") + kKey, &status);
  }
}

}  // namespace pf::host
