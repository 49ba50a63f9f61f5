#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Datagrams a hostile neighbour sends at a host's UDP ports, on loopback only.

udp_noise.py --port P [--port P2 ...] [--enet-port P] [--packets N] [--sources K] [--seconds S]

For every --port: N datagrams of random length (1..1500) and content, from K source sockets
(K source ports) in turn. For --enet-port: N ENet CONNECTs as libenet writes them (peer 0xFFF,
sent time, CONNECT with acknowledge) each with a random connect data, from the same K sockets:
without the host's gate each new source port would take an ENet peer slot. The datagrams are
spread over S seconds (default 5). Prints what it sent.
"""
import argparse
import os
import random
import socket
import struct
import sys
import time


def enet_connect(data: int) -> bytes:
    # header: peer 0xFFF with the sent-time flag, sent time; command: CONNECT | ACKNOWLEDGE,
    # channel 0xFF, reliable sequence 1; body: outgoing peer, session ids, mtu, window, channels,
    # bandwidths, throttle (interval, acceleration, deceleration), connect id, data.
    header = struct.pack(">HH", 0x8000 | 0x0FFF, random.getrandbits(16))
    command = struct.pack(">BBH", 0x82, 0xFF, 1)
    body = struct.pack(">HBBIIIIIIIIII", 0, 0xFF, 0xFF, 1400, 32768, 48, 0, 0, 5000, 2, 2,
                       random.getrandbits(32), data)
    return header + command + body


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, action="append", default=[], help="random datagrams here")
    ap.add_argument("--enet-port", type=int, help="ENet CONNECTs with random connect data here")
    ap.add_argument("--packets", type=int, default=20000, help="per port")
    ap.add_argument("--sources", type=int, default=500, help="source sockets (ports)")
    ap.add_argument("--seconds", type=float, default=5.0)
    a = ap.parse_args()
    if not a.host.startswith("127."):
        print("udp_noise.py: loopback only", file=sys.stderr)
        return 2
    targets = [(p, "random") for p in a.port] + ([(a.enet_port, "enet")] if a.enet_port else [])
    if not targets:
        ap.error("nothing to send to: give --port or --enet-port")
    socks = []
    for _ in range(a.sources):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setblocking(False)
        s.bind((a.host, 0))
        socks.append(s)
    total = a.packets * len(targets)
    gap = a.seconds / max(1, total)
    sent = dropped = 0
    start = time.monotonic()
    for i in range(a.packets):
        for port, kind in targets:
            d = enet_connect(random.getrandbits(32)) if kind == "enet" else os.urandom(random.randint(1, 1500))
            try:
                socks[(sent + dropped) % len(socks)].sendto(d, (a.host, port))
                sent += 1
            except (BlockingIOError, ConnectionRefusedError):
                dropped += 1
        # paced: the whole run takes about --seconds
        ahead = start + (i + 1) * len(targets) * gap - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    for s in socks:
        s.close()
    print(f"sent {sent} datagrams to {len(targets)} port(s) from {len(socks)} source ports in "
          f"{time.monotonic() - start:.1f} s ({dropped} not sent)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
