// SPDX-License-Identifier: MIT OR Apache-2.0
#include "base/file_io.h"

#include "base/clock.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

namespace pf {

namespace fs = std::filesystem;

namespace {

Status io_error(std::string_view what, const fs::path& p) {
  return Status(errno == EACCES ? StatusCode::kPermissionDenied : StatusCode::kUnavailable,
                fmt::format("{} {}: {}", what, p.string(), std::strerror(errno)));
}

}  // namespace

Status write_file_atomic(const fs::path& path, std::string_view content, unsigned mode) {
  const fs::path tmp = path.string() + fmt::format(".tmp{}", getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0)
    return io_error("cannot create", tmp);
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      Status st = io_error("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return st;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    Status st = io_error("cannot flush", tmp);
    ::unlink(tmp.c_str());
    return st;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status st = io_error("cannot rename onto", path);
    ::unlink(tmp.c_str());
    return st;
  }
  // The rename itself is durable once the directory is flushed (a power cut could otherwise bring
  // back the old file after the caller was told the new one is saved).
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return Status::ok();
}

Result<std::string> read_file(const fs::path& path, size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return make_error(StatusCode::kNotFound, fmt::format("{} does not exist", path.string()));
    return tl::unexpected(io_error("cannot open", path));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      Status st = io_error("cannot read", path);
      ::close(fd);
      return tl::unexpected(st);
    }
    if (n == 0)
      break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes) {
      ::close(fd);
      return make_error(StatusCode::kResourceExhausted,
                        fmt::format("{} is larger than {} bytes", path.string(), max_bytes));
    }
  }
  ::close(fd);
  return out;
}

std::string utc_file_stamp() {
  return utc_compact();
}

Result<fs::path> move_aside(const fs::path& path, const std::string& stamp) {
  const std::string base = path.string() + ".damaged-" + stamp;
  for (int n = 1; n < 1000; ++n) {
    const fs::path to = n == 1 ? fs::path(base) : fs::path(fmt::format("{}-{}", base, n));
    struct stat st {};
    if (::lstat(to.c_str(), &st) == 0)
      continue;
    if (::rename(path.c_str(), to.c_str()) != 0)
      return tl::unexpected(io_error("cannot move aside", path));
    return to;
  }
  return make_error(StatusCode::kResourceExhausted,
                    fmt::format("too many damaged copies of {}", path.string()));
}

Result<std::string> move_aside_together(std::initializer_list<fs::path> paths) {
  const std::string stamp = utc_file_stamp();
  std::string moved;
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (!fs::exists(p, ec))
      continue;
    auto to = move_aside(p, stamp);
    if (!to)
      return tl::unexpected(to.error());
    moved += (moved.empty() ? "" : ", ") + to->string();
  }
  return moved;
}

}  // namespace pf
