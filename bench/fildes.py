#!/usr/bin/env python3
"""INSTREAM against FILDES on one clamd's Unix socket: clamd's CPU per scan and the client's, for unique files.

FILDES (clamd reads a file descriptor passed over the socket, nothing copied) was issue 23's candidate for mount targets.
This measures what it would save before any worker code is written: the same sizes, the same concurrency, unique content
per file (clamd answers a repeat from its clean cache), run alternately on one clamd.

  python3 bench/fildes.py SOCKET CLAMD_PID SIZE COUNT instream|fildes CONNECTIONS

Prints one line: scans per second, clamd's CPU per scan (from /proc), this client's CPU per scan, and any answer that was
not OK. The files are written to a temporary directory first and removed at the end.
"""
import os
import socket
import struct
import sys
import tempfile
import threading
import time


def clamd_cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def answer(conn):
    reply = b""
    while not reply.endswith(b"\0"):
        chunk = conn.recv(4096)
        if not chunk:
            break
        reply += chunk
    return reply


def scan(sock_path, path, mode):
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(60)
        conn.connect(sock_path)
        if mode == "instream":
            conn.sendall(b"zINSTREAM\0")
            with open(path, "rb") as file:
                while chunk := file.read(65536):
                    conn.sendall(struct.pack(">I", len(chunk)) + chunk)
            conn.sendall(b"\0\0\0\0")
        else:
            fd = os.open(path, os.O_RDONLY)
            try:
                conn.sendall(b"zFILDES\0")
                socket.send_fds(conn, [b"\0"], [fd])
            finally:
                os.close(fd)
        return answer(conn)


def main():
    sock_path, pid, size, count, mode, connections = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
    if mode not in ("instream", "fildes"):
        sys.exit("mode is instream or fildes")
    run = os.urandom(4).hex()
    with tempfile.TemporaryDirectory(prefix="scanworker-fildes-") as folder:
        paths = []
        for i in range(count):
            path = f"{folder}/{i}"
            stamp = f"bench {mode} {run} {i}\n".encode()
            with open(path, "wb") as file:
                file.write(stamp + os.urandom(size - len(stamp)))
            paths.append(path)
        # One scan first, outside the measure: the answer's form, and any first-use cost.
        first = scan(sock_path, paths[0], mode)
        if not first.endswith(b"OK\0"):
            sys.exit(f"clamd answered {first!r}")
        pending = iter(paths[1:])
        lock = threading.Lock()
        bad = []

        def work():
            while True:
                with lock:
                    path = next(pending, None)
                if path is None:
                    return
                reply = scan(sock_path, path, mode)
                if not reply.endswith(b"OK\0"):
                    bad.append(reply)

        cpu_before, clock_before, own_before = clamd_cpu_seconds(pid), time.monotonic(), os.times()
        threads = [threading.Thread(target=work) for _ in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cpu_after, clock_after, own_after = clamd_cpu_seconds(pid), time.monotonic(), os.times()
        n = count - 1
        own = (own_after.user + own_after.system) - (own_before.user + own_before.system)
        print(f"{mode} {size} B x {n}, {connections} connections: {n / (clock_after - clock_before):.0f}/s, "
              f"clamd {1000 * (cpu_after - cpu_before) / n:.2f} ms per scan, client {1000 * own / n:.2f} ms per scan, "
              f"{len(bad)} not OK {bad[:1]}")


if __name__ == "__main__":
    main()
