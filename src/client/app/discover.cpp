// SPDX-License-Identifier: MIT OR Apache-2.0
#include "client/app/discover.h"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/simple-watch.h>

#include <chrono>
#include <cstring>

namespace pf::client {
namespace {

struct Browse {
  AvahiClient* client = nullptr;
  std::vector<DiscoveredHost> found;
};

std::string txt_value(AvahiStringList* txt, const char* key) {
  AvahiStringList* item = avahi_string_list_find(txt, key);
  if (!item)
    return {};
  char *k = nullptr, *v = nullptr;
  if (avahi_string_list_get_pair(item, &k, &v, nullptr) != 0)
    return {};
  std::string out = v ? v : "";
  avahi_free(k);
  avahi_free(v);
  return out;
}

void on_resolved(AvahiServiceResolver* r,
                 AvahiIfIndex,
                 AvahiProtocol,
                 AvahiResolverEvent event,
                 const char* name,
                 const char*,
                 const char*,
                 const char*,
                 const AvahiAddress* address,
                 uint16_t port,
                 AvahiStringList* txt,
                 AvahiLookupResultFlags,
                 void* data) {
  auto* b = static_cast<Browse*>(data);
  if (event == AVAHI_RESOLVER_FOUND && address) {
    char ip[AVAHI_ADDRESS_STR_MAX] = {};
    avahi_address_snprint(ip, sizeof ip, address);
    DiscoveredHost h;
    h.name = txt_value(txt, "name");
    if (h.name.empty())
      h.name = name;
    h.address = address->proto == AVAHI_PROTO_INET6
                    ? "[" + std::string(ip) + "]:" + std::to_string(port)
                    : std::string(ip) + ":" + std::to_string(port);
    h.id = txt_value(txt, "id");
    h.fingerprint = txt_value(txt, "fp");
    h.pairing_open = txt_value(txt, "pair") == "1";
    bool dup = false;
    for (const auto& f : b->found)
      dup = dup || (f.address == h.address && f.id == h.id);
    if (!dup)
      b->found.push_back(std::move(h));
  }
  avahi_service_resolver_free(r);
}

void on_browse(AvahiServiceBrowser*,
               AvahiIfIndex interface,
               AvahiProtocol protocol,
               AvahiBrowserEvent event,
               const char* name,
               const char* type,
               const char* domain,
               AvahiLookupResultFlags,
               void* data) {
  auto* b = static_cast<Browse*>(data);
  if (event == AVAHI_BROWSER_NEW)
    avahi_service_resolver_new(b->client, interface, protocol, name, type, domain,
                               AVAHI_PROTO_UNSPEC, static_cast<AvahiLookupFlags>(0), on_resolved,
                               b);
}

}  // namespace

Result<std::vector<DiscoveredHost>> discover_hosts(double seconds) {
  AvahiSimplePoll* poll = avahi_simple_poll_new();
  if (!poll)
    return make_error(StatusCode::kInternal, "mDNS: out of memory");
  Browse b;
  int err = 0;
  b.client = avahi_client_new(avahi_simple_poll_get(poll), static_cast<AvahiClientFlags>(0),
                              nullptr, nullptr, &err);
  if (!b.client) {
    avahi_simple_poll_free(poll);
    return make_error(StatusCode::kUnavailable,
                      std::string("mDNS needs avahi-daemon (") + avahi_strerror(err) +
                          "); add hosts by address instead: punktfunk-client pair IP");
  }
  AvahiServiceBrowser* sb =
      avahi_service_browser_new(b.client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, "_punktfunk._udp",
                                nullptr, static_cast<AvahiLookupFlags>(0), on_browse, &b);
  if (sb) {
    const auto end = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
    while (std::chrono::steady_clock::now() < end) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            end - std::chrono::steady_clock::now())
                            .count();
      if (avahi_simple_poll_iterate(
              poll, static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(left, 100)))) != 0)
        break;
    }
    avahi_service_browser_free(sb);
  }
  avahi_client_free(b.client);
  avahi_simple_poll_free(poll);
  return b.found;
}

}  // namespace pf::client
