#!/usr/bin/env python3
"""pyzmq: the library under real pyzmq, the way Python programs call it.

Runs each pattern alternately on the reference libzmq and on ours (Debian's
python3-zmq links libzmq.so.5, chosen with LD_LIBRARY_PATH), N times each,
and prints a markdown table of medians and ours / ref.

  perf/pyzmq.py [--runs N] [--patterns a,b] [--ref DIR] [LIBDIR]

Patterns (64 B messages; the sender in a second process unless said):
  inproc     PUSH -> PULL between two Python threads of one process (the GIL
             is handed between them): msg/s and CPU s of the process
  tcp        PUSH -> PULL, recv() (copy): msg/s, CPU s of both processes
  copyfalse  as tcp, recv(copy=False) (a Frame per message)
  multipart  as tcp, send_multipart/recv_multipart of 3 frames
  poller     as tcp, zmq.Poller then recv(NOBLOCK) until EAGAIN
  lat        REQ/REP between two threads: round trip in us
  paced      PUSH -> PULL, 20 messages per millisecond for 2 s: the
             receiving process's CPU s (application thread + I/O threads),
             what a consumer of a moderate stream pays

Needs /usr/bin/python3 with python3-zmq (apt-get install python3-zmq).
Timing only: never a pass/fail test.
"""
import argparse
import os
import statistics
import subprocess
import sys

PY = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))

# One pattern run; prints "value cpu" (value: msg/s, or us for lat).
RUN = r"""
import os, sys, threading, time, zmq
pat, n = sys.argv[1], int(sys.argv[2])
body = b"m" * 64

def cpu():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system

def fork_sender(ep, frames):
    pid = os.fork()
    if pid == 0:
        c = zmq.Context(); s = c.socket(zmq.PUSH); s.connect(ep)
        for _ in range(n):
            if frames == 1:
                s.send(body)
            else:
                s.send_multipart([body] * frames)
        s.close(); c.term(); os._exit(0)
    return pid

ctx = zmq.Context()
if pat == "lat":
    rep = ctx.socket(zmq.REP); rep.bind("tcp://127.0.0.1:*")
    ep = rep.getsockopt(zmq.LAST_ENDPOINT).decode()
    def echo():
        for _ in range(n):
            rep.send(rep.recv())
    t = threading.Thread(target=echo); t.start()
    req = ctx.socket(zmq.REQ); req.connect(ep)
    t0 = time.perf_counter()
    for _ in range(n):
        req.send(body); req.recv()
    dt = time.perf_counter() - t0; t.join()
    print(dt / n * 1e6, cpu()); sys.exit(0)
if pat == "paced":
    push = ctx.socket(zmq.PUSH); push.bind("tcp://127.0.0.1:*")
    ep = push.getsockopt(zmq.LAST_ENDPOINT).decode()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        c = zmq.Context(); s = c.socket(zmq.PULL); s.connect(ep)
        while s.recv() != b"end":
            pass
        t = os.times(); os.write(w, b"%f" % (t.user + t.system)); os._exit(0)
    time.sleep(0.3)
    t0 = time.time()
    while time.time() - t0 < 2.0:
        for _ in range(20):
            push.send(body)
        time.sleep(0.001)
    push.send(b"end"); os.waitpid(pid, 0)
    print(0, float(os.read(r, 64))); sys.exit(0)
pull = ctx.socket(zmq.PULL)
if pat == "inproc":
    pull.bind("inproc://x")
    def send():
        s = ctx.socket(zmq.PUSH); s.connect("inproc://x")
        for _ in range(n):
            s.send(body)
        s.close()
    t = threading.Thread(target=send); t.start()
else:
    pull.bind("tcp://127.0.0.1:*")
    pid = fork_sender(pull.getsockopt(zmq.LAST_ENDPOINT).decode(),
                      3 if pat == "multipart" else 1)
got, t0 = 0, None
if pat == "poller":
    p = zmq.Poller(); p.register(pull, zmq.POLLIN)
    while got < n:
        p.poll()
        while got < n:
            try:
                pull.recv(zmq.NOBLOCK)
            except zmq.Again:
                break
            got += 1
            if t0 is None:
                t0 = time.perf_counter()
else:
    while got < n:
        if pat == "multipart":
            pull.recv_multipart()
        else:
            pull.recv(copy=(pat != "copyfalse"))
        got += 1
        if t0 is None:
            t0 = time.perf_counter()
dt = time.perf_counter() - t0
if pat == "inproc":
    t.join()
else:
    os.waitpid(pid, 0)
print((n - 1) / dt, cpu())
"""

PATTERNS = {
    # name: (count, unit of the value, better)
    "inproc": (300_000, "msg/s", "higher"),
    "tcp": (300_000, "msg/s", "higher"),
    "copyfalse": (200_000, "msg/s", "higher"),
    "multipart": (100_000, "msg/s", "higher"),
    "poller": (200_000, "msg/s", "higher"),
    "lat": (10_000, "us", "lower"),
    "paced": (0, "-", "-"),
}


def run(lib, pat, count):
    env = dict(os.environ, LD_LIBRARY_PATH=lib)
    out = subprocess.run([PY, "-c", RUN, pat, str(count)], env=env,
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        sys.exit("%s on %s failed: %s" % (pat, lib, out.stderr.strip()[-400:]))
    value, cpu = out.stdout.split()
    return float(value), float(cpu)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("libdir", nargs="?", default=os.path.join(HERE, "..", "target", "release"))
    ap.add_argument("--ref", default="/usr/lib/x86_64-linux-gnu")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--patterns", default=",".join(PATTERNS))
    a = ap.parse_args()
    unknown = [p for p in a.patterns.split(",") if p not in PATTERNS]
    if unknown:
        ap.error("unknown pattern(s) %s; known: %s" % (",".join(unknown), ",".join(PATTERNS)))
    libs = {"ref": a.ref, "ours": os.path.abspath(a.libdir)}
    print("| pattern | ref | ours | ours ÷ ref | CPU s ref / ours |")
    print("| --- | --- | --- | --- | --- |")
    for pat in a.patterns.split(","):
        count, unit, _ = PATTERNS[pat]
        res = {"ref": [], "ours": []}
        for i in range(a.runs):
            for who in (("ref", "ours") if i % 2 == 0 else ("ours", "ref")):
                res[who].append(run(libs[who], pat, count))
        med = {k: (statistics.median(v for v, _ in r), statistics.median(c for _, c in r))
               for k, r in res.items()}
        if pat == "paced":
            print("| paced (receiver CPU s) | %.3f | %.3f | %.2f× | |" % (
                med["ref"][1], med["ours"][1], med["ours"][1] / med["ref"][1]))
            continue
        print("| %s (%s) | %.4g | %.4g | %.2f× | %.2f / %.2f |" % (
            pat, unit, med["ref"][0], med["ours"][0], med["ours"][0] / med["ref"][0],
            med["ref"][1], med["ours"][1]))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
