#!/usr/bin/env python3
"""storm: server memory and stalls under a connect/close storm.

One ROUTER (pyzmq, on whichever libzmq.so.5 LD_LIBRARY_PATH selects) binds
tcp://127.0.0.1:*; this script then opens and closes N raw tcp connections
to it in batches of B (all of a batch connected, then all closed) and reads
the server's VmRSS from /proc before, after, and after a settle pause. A
well-behaved DEALER checks after every batch that the server still answers;
the slowest of those round trips, and the slowest batch (connect, close,
round trip), are reported: a stall shows there.

  perf/storm.py LIBDIR|system [--n 5000] [--batch 100] [--mode bare|greet|full]
                [--backlog K] [--settle SEC]

mode: bare = connect and close; greet = send the ZMTP 3.1 greeting first;
full = greeting and a READY (a complete NULL handshake as a DEALER).
Prints one line: RESULT lib=... mode=... n=... rss_before_kib=...
rss_after_kib=... rss_settled_kib=... growth_kib=... slowest_rtt_ms=...
slowest_batch_ms=...
"""
import argparse
import os
import socket
import subprocess
import sys
import time

SERVER = r"""
import sys, zmq
ctx = zmq.Context()
r = ctx.socket(zmq.ROUTER)
r.setsockopt(zmq.LINGER, 0)
if int(sys.argv[1]) > 0:
    r.setsockopt(zmq.BACKLOG, int(sys.argv[1]))
r.bind("tcp://127.0.0.1:*")
print(r.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
while True:
    frames = r.recv_multipart()
    if frames[-1] == b"quit":
        break
    r.send_multipart(frames)
r.close()
ctx.term()
"""


def greeting():
    g = bytearray(64)
    g[0] = 0xFF
    g[9] = 0x7F
    g[10] = 3
    g[11] = 1
    g[12:16] = b"NULL"
    return bytes(g)


def ready():
    body = b"\x05READY" + b"\x0bSocket-Type" + (6).to_bytes(4, "big") + b"DEALER"
    return bytes([0x04, len(body)]) + body


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lib")
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--mode", choices=["bare", "greet", "full"], default="bare")
    ap.add_argument("--settle", type=float, default=2.0)
    ap.add_argument("--backlog", type=int, default=0, help="ZMQ_BACKLOG (0: default)")
    a = ap.parse_args()
    env = dict(os.environ)
    if a.lib != "system":
        env["LD_LIBRARY_PATH"] = os.path.abspath(a.lib)
    import zmq  # the client side always runs on the reference

    srv = subprocess.Popen(
        ["/usr/bin/python3", "-c", SERVER, str(a.backlog)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        ep = srv.stdout.readline().strip()
        host, port = ep[len("tcp://"):].rsplit(":", 1)
        ctx = zmq.Context()
        probe = ctx.socket(zmq.DEALER)
        probe.setsockopt(zmq.LINGER, 0)
        probe.setsockopt(zmq.RCVTIMEO, 20000)
        probe.connect(ep)

        def roundtrip():
            t = time.monotonic()
            probe.send(b"ping")
            if probe.recv() != b"ping":
                raise SystemExit("wrong echo")
            return (time.monotonic() - t) * 1000

        roundtrip()
        time.sleep(0.5)
        before = rss_kib(srv.pid)
        hello = greeting() + (ready() if a.mode == "full" else b"")
        slowest = 0.0
        slowest_batch = 0.0
        done = 0
        while done < a.n:
            k = min(a.batch, a.n - done)
            t0 = time.monotonic()
            socks = []
            for _ in range(k):
                s = socket.create_connection((host, int(port)))
                if a.mode != "bare":
                    s.sendall(hello if a.mode == "full" else greeting())
                socks.append(s)
            for s in socks:
                s.close()
            done += k
            slowest = max(slowest, roundtrip())
            slowest_batch = max(slowest_batch, (time.monotonic() - t0) * 1000)
        after = rss_kib(srv.pid)
        time.sleep(a.settle)
        roundtrip()
        settled = rss_kib(srv.pid)
        probe.send(b"quit")
        probe.close()
        ctx.term()
        srv.wait(timeout=30)
        print(
            f"RESULT lib={a.lib} mode={a.mode} n={a.n} batch={a.batch} backlog={a.backlog} "
            f"rss_before_kib={before} rss_after_kib={after} "
            f"rss_settled_kib={settled} growth_kib={settled - before} "
            f"slowest_rtt_ms={slowest:.1f} slowest_batch_ms={slowest_batch:.1f}"
        )
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()


if __name__ == "__main__":
    sys.exit(main())
