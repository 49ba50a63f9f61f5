// SPDX-License-Identifier: MIT OR Apache-2.0
#include "host/gamestream/apps.h"

#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "host/config/paths.h"

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
  l.apps_.push_back(App{app_id_for("Desktop"), "Desktop", "", "", false});
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
  toml::table t;
  try {
    t = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return make_error(StatusCode::kInvalidArgument,
                      fmt::format("{}:{}: {}", source, e.source().begin.line, e.description()));
  }
  AppList l;
  const toml::array* arr = t["app"].as_array();
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

}  // namespace pf::host::gamestream
