// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/mdns.h"

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/thread-watch.h>

#include <atomic>
#include <mutex>

#include "base/log.h"

namespace pf::host::gamestream {

namespace {

class AvahiPublisher final : public MdnsPublisher {
 public:
  AvahiPublisher(std::string name, uint16_t port, std::string type, std::vector<std::string> txt)
      : name_(std::move(name)), port_(port), type_(std::move(type)), txt_(std::move(txt)) {}

  ~AvahiPublisher() override {
    if (poll_)
      avahi_threaded_poll_stop(poll_);
    if (client_)
      avahi_client_free(client_);  // also frees the entry group
    if (poll_)
      avahi_threaded_poll_free(poll_);
    if (alt_name_)
      avahi_free(alt_name_);
  }

  bool start() {
    poll_ = avahi_threaded_poll_new();
    if (!poll_)
      return false;
    int error = 0;
    client_ = avahi_client_new(avahi_threaded_poll_get(poll_), AVAHI_CLIENT_NO_FAIL,
                               &AvahiPublisher::on_client, this, &error);
    if (!client_) {
      log_warn("mDNS: cannot create an Avahi client ({}); add the host by IP address",
               avahi_strerror(error));
      return false;
    }
    avahi_threaded_poll_start(poll_);
    return true;
  }

  bool published() const override { return published_.load(); }
  std::string state() const override {
    std::lock_guard lock(mu_);
    return state_;
  }

 private:
  void set_state(std::string s) {
    std::lock_guard lock(mu_);
    state_ = std::move(s);
  }

  static void on_client(AvahiClient* c, AvahiClientState s, void* self) {
    static_cast<AvahiPublisher*>(self)->client_changed(c, s);
  }
  static void on_group(AvahiEntryGroup* g, AvahiEntryGroupState s, void* self) {
    static_cast<AvahiPublisher*>(self)->group_changed(g, s);
  }

  void client_changed(AvahiClient* c, AvahiClientState s) {
    switch (s) {
      case AVAHI_CLIENT_S_RUNNING:
        warned_ = false;
        create_service(c);
        break;
      case AVAHI_CLIENT_CONNECTING:
        published_ = false;
        set_state("avahi-daemon not running");
        if (!warned_) {
          warned_ = true;
          log_warn(
              "mDNS: avahi-daemon is not running, so Moonlight will not find this host by itself; "
              "start avahi-daemon or add the host in Moonlight by its IP address");
        }
        break;
      case AVAHI_CLIENT_S_COLLISION:
      case AVAHI_CLIENT_S_REGISTERING:
        published_ = false;
        if (group_)
          avahi_entry_group_reset(group_);
        break;
      case AVAHI_CLIENT_FAILURE:
        published_ = false;
        set_state("avahi client failed");
        log_warn("mDNS: Avahi client failure: {}", avahi_strerror(avahi_client_errno(c)));
        break;
    }
  }

  void create_service(AvahiClient* c) {
    if (!group_)
      group_ = avahi_entry_group_new(c, &AvahiPublisher::on_group, this);
    if (!group_)
      return;
    if (!avahi_entry_group_is_empty(group_))
      return;
    const char* name = alt_name_ ? alt_name_ : name_.c_str();
    AvahiStringList* txt = nullptr;
    for (auto it = txt_.rbegin(); it != txt_.rend(); ++it)
      txt = avahi_string_list_add(txt, it->c_str());
    int r = avahi_entry_group_add_service_strlst(group_, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                 static_cast<AvahiPublishFlags>(0), name,
                                                 type_.c_str(), nullptr, nullptr, port_, txt);
    avahi_string_list_free(txt);
    if (r == AVAHI_ERR_COLLISION) {
      rename();
      return create_service(c);
    }
    if (r < 0 || avahi_entry_group_commit(group_) < 0)
      log_warn("mDNS: cannot publish {}: {}", type_, avahi_strerror(r));
  }

  void rename() {
    char* next = avahi_alternative_service_name(alt_name_ ? alt_name_ : name_.c_str());
    if (alt_name_)
      avahi_free(alt_name_);
    alt_name_ = next;
    log_info("mDNS: name taken, now announcing as '{}'", alt_name_);
  }

  void group_changed(AvahiEntryGroup* g, AvahiEntryGroupState s) {
    if (s == AVAHI_ENTRY_GROUP_ESTABLISHED) {
      published_ = true;
      set_state("published");
      log_info("mDNS: announcing '{}' as {} on port {}", alt_name_ ? alt_name_ : name_, type_,
               port_);
    } else if (s == AVAHI_ENTRY_GROUP_COLLISION) {
      rename();
      avahi_entry_group_reset(g);
      create_service(avahi_entry_group_get_client(g));
    } else if (s == AVAHI_ENTRY_GROUP_FAILURE) {
      published_ = false;
      log_warn("mDNS: publishing failed: {}",
               avahi_strerror(avahi_client_errno(avahi_entry_group_get_client(g))));
    }
  }

  std::string name_;
  uint16_t port_;
  std::string type_;
  std::vector<std::string> txt_;
  char* alt_name_ = nullptr;
  AvahiThreadedPoll* poll_ = nullptr;
  AvahiClient* client_ = nullptr;
  AvahiEntryGroup* group_ = nullptr;
  std::atomic<bool> published_{false};
  bool warned_ = false;
  mutable std::mutex mu_;
  std::string state_ = "starting";
};

}  // namespace

std::unique_ptr<MdnsPublisher> MdnsPublisher::start(const std::string& name,
                                                    uint16_t port,
                                                    const std::string& service_type,
                                                    const std::vector<std::string>& txt) {
  auto p = std::make_unique<AvahiPublisher>(name, port, service_type, txt);
  if (!p->start())
    return nullptr;
  return p;
}

}  // namespace pf::host::gamestream
