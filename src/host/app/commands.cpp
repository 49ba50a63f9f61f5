// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/app/commands.h"

#include <cstdio>

#include "base/file_io.h"
#include "host/app/control.h"
#include "host/app/doctor.h"
#include "host/gamestream/client_store.h"
#include "host/mgmt/mgmt_server.h"
#include "host/native/native_service.h"
#include "proto/native/peer_list.h"

namespace pf::host {

namespace gs = gamestream;
namespace nat = native;
namespace pn = proto::native;

int cmd_doctor() {
  int available = 0;
  for (const auto& p : run_probes()) {
    std::printf("%-9s %-8s %-13s %s\n", p.subsystem.c_str(), p.backend.c_str(),
                p.available ? "available" : "unavailable", p.reason.c_str());
    available += p.available ? 1 : 0;
  }
  for (const auto& p : run_codec_probes())
    std::printf("%-9s %-8s %-13s %s\n", p.subsystem.c_str(), p.backend.c_str(),
                p.available ? "real time" : "too slow", p.reason.c_str());
  return available > 0 ? 0 : 1;
}

int cmd_pin(const std::string& pin, const Paths& paths) {
  if (pin.size() != 4 || pin.find_first_not_of("0123456789") != std::string::npos) {
    std::fprintf(stderr, "punktfunk-host: a PIN is 4 digits, got '%s'\n", pin.c_str());
    return 2;
  }
  auto answer = control_request(paths.control_socket(), "pin " + pin);
  if (!answer) {
    std::fprintf(stderr, "punktfunk-host: %s\n", answer.error().message().c_str());
    return 1;
  }
  std::printf("%s\n", answer->c_str());
  return answer->rfind("ok", 0) == 0 ? 0 : 1;
}

int cmd_pair(const Paths& paths) {
  auto answer = control_request(paths.control_socket(), "native-pin");
  if (!answer) {
    std::fprintf(stderr, "punktfunk-host: %s (is the host running?)\n",
                 answer.error().message().c_str());
    return 1;
  }
  if (answer->rfind("ok ", 0) != 0) {
    std::fprintf(stderr, "punktfunk-host: %s\n", answer->c_str());
    return 1;
  }
  const std::string pin = answer->substr(3);
  std::printf(
      "PIN %s (valid for 120 s and one attempt).\n"
      "On the client: punktfunk-client pair <this host's address> --pin %s\n",
      pin.c_str(), pin.c_str());
  return 0;
}

int cmd_devices(bool remove, const std::string& who, const Paths& paths) {
  const auto file = nat::paired_devices_file(paths.state);
  if (remove) {
    // A running host also closes the device's live session.
    if (auto answer = control_request(paths.control_socket(), "native-unpair " + who)) {
      std::printf("%s\n", answer->c_str());
      return answer->rfind("ok", 0) == 0 ? 0 : 1;
    }
  }
  auto loaded = nat::load_paired_devices(file);
  if (!loaded) {
    std::fprintf(stderr, "punktfunk-host: %s\n", loaded.error().to_string().c_str());
    return 1;
  }
  pn::PeerList list = std::move(loaded->list);
  if (remove) {
    const size_t n = list.remove(who);
    if (n == 0) {
      std::fprintf(stderr, "punktfunk-host: no paired device matches '%s'\n", who.c_str());
      return 1;
    }
    if (auto st = write_file_atomic(file, list.serialize(), 0600); !st.is_ok()) {
      std::fprintf(stderr, "punktfunk-host: %s\n", st.to_string().c_str());
      return 1;
    }
    std::printf("unpaired %zu device(s)\n", n);
    return 0;
  }
  if (list.peers().empty()) {
    std::printf("no paired punktfunk devices (%s); pair one with `punktfunk-host pair`\n",
                file.c_str());
    return 0;
  }
  std::printf("%-16s  %-20s  %s\n", "ID", "PAIRED (UTC)", "NAME");
  for (const auto& p : list.peers())
    std::printf("%-16s  %-20s  %s\n", p.id().c_str(), p.paired_at.c_str(), p.name.c_str());
  return 0;
}

int cmd_token(const Paths& paths, bool url, uint16_t port) {
  if (auto st = paths.ensure(); !st.is_ok()) {
    std::fprintf(stderr, "punktfunk-host: %s\n", st.to_string().c_str());
    return 1;
  }
  auto token = mgmt::load_or_create_token(paths.state / "mgmt-token");
  if (!token) {
    std::fprintf(stderr, "punktfunk-host: %s\n", token.error().to_string().c_str());
    return 1;
  }
  if (url) {
    // The port of the running host if there is one, else the configured one.
    if (auto answer = control_request(paths.control_socket(), "mgmt-port");
        answer && answer->rfind("ok ", 0) == 0)
      port = static_cast<uint16_t>(std::stoi(answer->substr(3)));
    // The token rides in the fragment, which browsers never send anywhere.
    std::printf("https://127.0.0.1:%u/#token=%s\n", port, token->c_str());
  } else
    std::printf("%s\n", token->c_str());
  return 0;
}

int cmd_clients(bool unpair, const std::string& who, const Paths& paths) {
  auto store = gs::ClientStore::open(paths.state / "clients.json");
  if (!store) {
    std::fprintf(stderr, "punktfunk-host: %s\n", store.error().to_string().c_str());
    return 1;
  }
  if (unpair) {
    auto n = (*store)->remove(who);
    if (!n) {
      std::fprintf(stderr, "punktfunk-host: %s\n", n.error().to_string().c_str());
      return 1;
    }
    if (*n == 0) {
      std::fprintf(stderr, "punktfunk-host: no paired client matches '%s'\n", who.c_str());
      return 1;
    }
    std::printf("unpaired %zu client(s)\n", *n);
    return 0;
  }
  const auto list = (*store)->list();
  if (list.empty()) {
    std::printf("no paired clients (%s)\n", (paths.state / "clients.json").c_str());
    return 0;
  }
  std::printf("%-16s  %-20s  %s\n", "ID", "PAIRED (UTC)", "NAME");
  for (const auto& c : list)
    std::printf("%-16s  %-20s  %s\n", c.id.c_str(), c.paired_at.c_str(), c.name.c_str());
  return 0;
}

}  // namespace pf::host
