#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Floods a QUIC port with first Initials from many spoofed source ports.

quic_initial_flood.py --port P [--packets 50000] [--ports 1000] [--host 127.0.0.1]

Each packet is a well-formed QUIC v1 Initial header (random 8-byte DCID and SCID, no token)
padded to 1200 bytes of noise, sent from a raw socket with a source port taken in turn from
--ports ports nobody listens on: what an attacker who cannot see the answers can send. Needs
CAP_NET_RAW (root). Loopback only: any other --host is refused. Prints
`flood: N packets from M source ports in S s` when done.
"""
import argparse
import ipaddress
import os
import socket
import struct
import sys
import time


def initial() -> bytes:
    head = bytes([0xC3, 0, 0, 0, 1, 8]) + os.urandom(8) + bytes([8]) + os.urandom(8) + b"\x00"
    rest = 1200 - len(head) - 2
    return head + bytes([0x40 | (rest >> 8), rest & 0xFF]) + os.urandom(rest)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--packets", type=int, default=50000)
    ap.add_argument("--ports", type=int, default=1000)
    a = ap.parse_args()
    if not ipaddress.ip_address(a.host).is_loopback:
        print("quic_initial_flood: loopback only", file=sys.stderr)
        return 2
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    # A few distinct payloads reused: the header's random DCID is what makes each one a new
    # connection attempt, and os.urandom per packet would make the sender the bottleneck.
    payloads = [initial() for _ in range(64)]
    start = time.monotonic()
    for i in range(a.packets):
        sport = 40000 + i % a.ports
        body = payloads[i % len(payloads)]
        body = body[:6] + os.urandom(8) + body[14:]  # a fresh DCID each time
        udp = struct.pack("!HHHH", sport, a.port, 8 + len(body), 0) + body
        s.sendto(udp, (a.host, 0))
    took = time.monotonic() - start
    print(f"flood: {a.packets} packets from {min(a.ports, a.packets)} source ports in {took:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
