#!/usr/bin/env python3
"""Asks a Kafka broker for its metadata (Metadata v1 request) and checks that it lists itself.

Used by scripts/local-cluster as the readiness check: a KRaft broker appears in metadata only once
it is unfenced, i.e. ready to host partitions, which a mere TCP connect would not tell.
Usage: kafka_probe.py HOST PORT   (exit 0 and prints the brokers when ready)
"""
import socket
import struct
import sys


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("broker closed the connection")
        buf += chunk
    return buf


def read_string(buf, pos):
    (length,) = struct.unpack_from(">h", buf, pos)
    pos += 2
    if length < 0:
        return None, pos
    return buf[pos:pos + length].decode(), pos + length


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    client_id = b"local-cluster-probe"
    correlation_id = 0x5EED
    # Header v1: api_key=3 (Metadata), api_version=1, correlation_id, client_id.
    # Body v1: topics = null array (-1): no topics, so the request creates none.
    body = struct.pack(">hhih", 3, 1, correlation_id, len(client_id)) + client_id
    body += struct.pack(">i", -1)
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.settimeout(5)
        sock.sendall(struct.pack(">i", len(body)) + body)
        (size,) = struct.unpack(">i", read_exact(sock, 4))
        resp = read_exact(sock, size)
    (got_id, n_brokers) = struct.unpack_from(">ii", resp, 0)
    if got_id != correlation_id:
        sys.exit(f"unexpected correlation id {got_id}")
    pos = 8
    brokers = []
    for _ in range(n_brokers):
        (node_id,) = struct.unpack_from(">i", resp, pos)
        b_host, pos = read_string(resp, pos + 4)
        (b_port,) = struct.unpack_from(">i", resp, pos)
        _rack, pos = read_string(resp, pos + 4)
        brokers.append((node_id, b_host, b_port))
    if not any(b[1] == host and b[2] == port for b in brokers):
        sys.exit(f"broker not yet in its own metadata: {brokers}")
    print(" ".join(f"{n}@{h}:{p}" for n, h, p in brokers))


if __name__ == "__main__":
    main()
