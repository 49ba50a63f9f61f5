// SPDX-License-Identifier: MIT OR Apache-2.0
// Every connection the host accepts is close-on-exec. cpp-httplib (0.11,
// Debian 12) accepts with plain accept(); this definition, linked into the
// host's executable, takes its place for the whole process and adds
// SOCK_CLOEXEC, so a connection can never leak into a child even in the
// instant between accept and a fork. (Children get nothing but 0-2 anyway:
// child_process.h.) It also tells the connection gate (host/net) which
// connection cpp-httplib is about to hand it.
#include <sys/socket.h>

#include "host/net/connection_gate.h"

// Default visibility (the project builds with hidden) and exported from the
// executable (--export-dynamic-symbol=accept), or the call inside
// libcpp-httplib.so binds to glibc's accept().
extern "C" __attribute__((visibility("default"))) int accept(int fd,
                                                             sockaddr* addr,
                                                             socklen_t* len) {
  const int conn = ::accept4(fd, addr, len, SOCK_CLOEXEC);
  if (conn >= 0)
    pf::host::note_accepted_fd(conn);
  return conn;
}
