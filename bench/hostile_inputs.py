#!/usr/bin/env python3
"""Throws the hostile inputs of issue 11 at a running worker's REST facade and prints its RSS after each.

    hostile_inputs.py <port> <worker pid> <scan root>

Standard library only. Each step prints: name, HTTP status (or what the server did), VmRSS and VmHWM in MiB.
"""
import itertools
import os
import socket
import sys
import time
import urllib.parse

port, pid, root = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def rss():
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


def report(step, outcome):
    now, peak = rss()
    print(f"| {step} | {outcome} | {now} | {peak} |", flush=True)


def request(raw, body_chunks=(), timeout=120):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(raw)
        for chunk in body_chunks:
            conn.sendall(chunk)
        answer = b""
        while b"\r\n" not in answer:
            data = conn.recv(4096)
            if not data:
                break
            answer += data
        return answer.split(b"\r\n", 1)[0].decode(errors="replace") or "(closed)"


def multipart(boundary, body, chunked=False):
    head = (f"POST /v2/scan HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n")
    if isinstance(body, bytes):
        return request(head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    chunks = (b"%x\r\n%s\r\n" % (len(c), c) for c in body)
    return request(head.encode() + b"Transfer-Encoding: chunked\r\n\r\n", itertools.chain(chunks, [b"0\r\n\r\n"]), timeout=600)


print("| step | answer | RSS MiB | peak RSS MiB |\n|---|---|---|---|")
report("start", "-")
walk = urllib.parse.quote(os.path.join(root, "hostile"))
report("/scanPath over links to / and .., a cycle, dotfiles",
       request(f"GET /scanPath?path={walk} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()))
bad = [b"--b\r\nContent-Disposition form-data; filename=\"a\"\r\n\r\nx\r\n--b--\r\n",
       b"--b\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(20)) + b"\r\nx\r\n--b--\r\n",
       b"p" * 200_000 + b"\r\n--b\r\n\r\nx\r\n--b--\r\n"]
answers = set()
for i in range(300):
    answers.add(multipart("b", bad[i % len(bad)]))
answers.add(multipart("b" * 5000, b"--" + b"b" * 5000 + b"\r\n\r\nx\r\n"))
report("300 malformed multipart bodies and a 5,000-character boundary", ", ".join(sorted(answers)))
parts = (b"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n" for _ in range(50_000))
report("50,000 parts in one request", multipart("b", parts))


def oversize():
    yield b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big\"\r\n\r\n"
    block = b"\x00" * (1 << 20)
    for _ in range(1024):
        yield block
    yield b"\r\n--b--\r\n"


report("a 1 GiB part over MAX_FILE_SIZE, streamed", multipart("b", oversize()))
idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(300)]
for i, conn in enumerate(idle):
    if i % 2:
        conn.sendall(b"PRI * HT")
report("300 idle or half-sent connections open", "held")
started = time.monotonic()
closed = 0
for conn in idle:
    conn.settimeout(60)
    try:
        if conn.recv(1) == b"":
            closed += 1
    except OSError:
        closed += 1
    conn.close()
report(f"... closed by the server after {time.monotonic() - started:.0f} s", f"{closed} of 300 closed")
