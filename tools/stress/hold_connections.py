#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Holds TCP connections open against listeners, as a careless or hostile LAN
neighbour does: `--idle N` connections that send nothing and `--slow M` that
send half a request head (HTTP) or a third of a TLS ClientHello, from source
address --from (a loopback address such as 127.0.0.2), to each --port on
--to. Prints "holding N" once they are open, holds them --seconds (or until
SIGTERM), then closes them. Loopback and test namespaces only: it refuses a
target that is not a loopback address."""
import argparse
import ipaddress
import os
import random
import signal
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--to", default="127.0.0.1")
    ap.add_argument("--from", dest="src", default="127.0.0.2")
    ap.add_argument("--port", type=int, action="append", required=True)
    ap.add_argument("--tls-port", type=int, action="append", default=[],
                    help="ports whose slow connections send part of a TLS ClientHello")
    ap.add_argument("--idle", type=int, default=0)
    ap.add_argument("--slow", type=int, default=0)
    ap.add_argument("--garbage", type=int, default=0,
                    help="connections per port that send 1-8192 random bytes (then stay open)")
    ap.add_argument("--seconds", type=float, default=30)
    a = ap.parse_args()
    if not ipaddress.ip_address(a.to).is_loopback:
        sys.exit("hold_connections: only loopback targets")
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    socks, failed = [], 0
    for port in a.port + a.tls_port:
        tls = port in a.tls_port
        for i in range(a.idle + a.slow + a.garbage):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.bind((a.src, 0))
                s.settimeout(3)
                s.connect((a.to, port))
                if i >= a.idle + a.slow:
                    s.send(os.urandom(random.randint(1, 8192)))
                elif i >= a.idle:
                    s.send(b"\x16\x03\x01\x02\x00\x01" if tls else b"GET / HTTP/1.1\r\nHo")
                socks.append(s)
            except OSError:
                failed += 1
                s.close()
    print(f"holding {len(socks)} ({failed} not connected or refused)", flush=True)
    end = time.monotonic() + a.seconds
    while not stop and time.monotonic() < end:
        time.sleep(0.1)
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
