// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/apps.h"

#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "base/log.h"
#include "host/config/paths.h"
#include "proto/config/toml_text.h"

namespace pf::host::gamestream {

uint32_t app_id_for(std::string_view title) {
  uint32_t h = 2166136261u;
  for (unsigned char c : title) {
    h ^= c;
    h *= 16777619u;
  }
  h &= 0x7FFFFFFF;
  return h == 0 ? 1 : h;
}

AppList AppList::builtin() {
  AppList l;
  // HDR where the host streams it (NvHttpConfig::hdr_encode): the desktop's picture.
  l.apps_.push_back(App{app_id_for("Desktop"), "Desktop", "", "", true});
  return l;
}

const App* AppList::find(uint32_t id) const {
  for (const auto& a : apps_)
    if (a.id == id)
      return &a;
  return nullptr;
}

Result<AppList> AppList::load(const std::filesystem::path& file) {
  auto text = read_file(file, 1 << 20);
  if (!text) {
    if (text.error().code() == StatusCode::kNotFound)
      return builtin();
    return tl::unexpected(text.error());
  }
  return parse(*text, file.string());
}

Result<AppList> AppList::parse(std::string_view text, std::string_view source) {
  auto t = proto::config::parse_toml(text, source);
  if (!t)
    return tl::unexpected(t.error());
  AppList l;
  const toml::array* arr = (*t)["app"].as_array();
  if (!arr)
    return builtin();
  std::set<uint32_t> ids;
  size_t n = 0;
  for (const auto& node : *arr) {
    ++n;
    const toml::table* a = node.as_table();
    const auto where = [&](std::string_view what) {
      return Status(StatusCode::kInvalidArgument, fmt::format("{}: app #{}: {}", source, n, what));
    };
    if (!a)
      return tl::unexpected(where("is not a table"));
    App app;
    auto title = (*a)["title"].value<std::string>();
    if (!title || title->empty())
      return tl::unexpected(where("needs a non-empty 'title'"));
    app.title = *title;
    app.command = (*a)["command"].value_or(std::string());
    app.image = (*a)["image"].value_or(std::string());
    app.hdr = (*a)["hdr"].value_or(false);
    if (auto id = (*a)["id"].value<int64_t>()) {
      if (*id <= 0 || *id > INT32_MAX)
        return tl::unexpected(where("'id' must be within 1..2147483647"));
      app.id = static_cast<uint32_t>(*id);
    } else {
      app.id = app_id_for(app.title);
    }
    if (!ids.insert(app.id).second)
      return tl::unexpected(where(fmt::format("id {} is used twice", app.id)));
    l.apps_.push_back(std::move(app));
  }
  if (l.apps_.empty())
    return builtin();
  return l;
}

Result<App> AppList::add(App app) {
  if (app.title.empty())
    return make_error(StatusCode::kInvalidArgument, "an app needs a title");
  if (app.id == 0)
    app.id = app_id_for(app.title);
  if (app.id > INT32_MAX)
    return make_error(StatusCode::kInvalidArgument, "an app id is within 1..2147483647");
  if (find(app.id))
    return make_error(
        StatusCode::kAlreadyExists,
        fmt::format("an app with id {} exists already ('{}')", app.id, find(app.id)->title));
  apps_.push_back(app);
  return app;
}

bool AppList::remove(uint32_t id) {
  return std::erase_if(apps_, [id](const App& a) { return a.id == id; }) > 0;
}

std::string AppList::to_toml() const {
  toml::array arr;
  for (const auto& a : apps_) {
    toml::table t;
    t.insert("title", a.title);
    if (!a.command.empty())
      t.insert("command", a.command);
    if (!a.image.empty())
      t.insert("image", a.image);
    if (a.hdr)
      t.insert("hdr", true);
    if (a.id != app_id_for(a.title))
      t.insert("id", static_cast<int64_t>(a.id));
    arr.push_back(std::move(t));
  }
  toml::table root;
  root.insert("app", std::move(arr));
  std::ostringstream out;
  out << "# The apps Moonlight clients see (docs/linux-setup.md). Written by punktfunk-host;\n"
         "# edits by hand are read while it runs.\n\n"
      << toml::toml_formatter(root) << "\n";
  return out.str();
}

Result<std::unique_ptr<AppStore>> AppStore::open(const std::filesystem::path& file) {
  auto list = AppList::load(file);
  if (!list)
    return tl::unexpected(list.error());
  std::unique_ptr<AppStore> s(new AppStore());
  s->file_ = file;
  s->list_ = std::move(*list);
  std::error_code ec;
  s->mtime_ = std::filesystem::last_write_time(file, ec);
  return s;
}

std::unique_ptr<AppStore> AppStore::fixed(AppList list) {
  std::unique_ptr<AppStore> s(new AppStore());
  s->list_ = std::move(list);
  return s;
}

void AppStore::reload_if_changed_locked() {
  if (file_.empty())
    return;
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(file_, ec);
  if (ec) {
    if (mtime_ != std::filesystem::file_time_type{}) {  // removed: the built-in list
      list_ = AppList::builtin();
      mtime_ = {};
    }
    return;
  }
  if (mtime == mtime_)
    return;
  auto list = AppList::load(file_);
  mtime_ = mtime;  // report a broken file once, not on every request
  if (!list) {
    log_warn("{}; keeping the {} app(s) loaded before", list.error().message(),
             list_.apps().size());
    return;
  }
  list_ = std::move(*list);
  log_info("apps: {} ({} re-read)", list_.apps().size(), file_.string());
}

Status AppStore::save_locked() {
  if (file_.empty())
    return Status::ok();
  if (Status st = write_file_atomic(file_, list_.to_toml(), 0644); !st.is_ok())
    return st;
  std::error_code ec;
  mtime_ = std::filesystem::last_write_time(file_, ec);
  return Status::ok();
}

AppList AppStore::list() {
  std::lock_guard lock(mu_);
  reload_if_changed_locked();
  return list_;
}

Result<App> AppStore::add(App app) {
  std::lock_guard lock(mu_);
  reload_if_changed_locked();
  AppList next = list_;
  auto added = next.add(std::move(app));
  if (!added)
    return added;
  std::swap(list_, next);
  if (Status st = save_locked(); !st.is_ok()) {
    std::swap(list_, next);  // not saved: not added
    return tl::unexpected(st);
  }
  return added;
}

Status AppStore::remove(uint32_t id) {
  std::lock_guard lock(mu_);
  reload_if_changed_locked();
  AppList next = list_;
  if (!next.remove(id))
    return Status(StatusCode::kNotFound, fmt::format("no app with id {}", id));
  if (next.apps().empty())
    return Status(StatusCode::kFailedPrecondition,
                  "the last app cannot be removed (clients need one to launch)");
  std::swap(list_, next);
  if (Status st = save_locked(); !st.is_ok()) {
    std::swap(list_, next);
    return st;
  }
  return Status::ok();
}

}  // namespace pf::host::gamestream
