// SPDX-License-Identifier: MIT OR Apache-2.0
// Every connection the host accepts is close-on-exec. cpp-httplib (0.11,
// Debian 12) accepts with plain accept(); this definition, linked into the
// host's executable, takes its place for the whole process and adds
// SOCK_CLOEXEC, so a connection can never leak into a child even in the
// instant between accept and a fork. (Children get nothing but 0-2 anyway:
// child_process.h.)
#include <sys/socket.h>

extern "C" int accept(int fd, sockaddr* addr, socklen_t* len) {
  return ::accept4(fd, addr, len, SOCK_CLOEXEC);
}
