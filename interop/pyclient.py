"""A real client: pyzmq, run by interop/run with LD_LIBRARY_PATH=LIBDIR.

    pyclient.py req ENDPOINT SYNCFILE LIBDIR   against `peer echo rep bind`
    pyclient.py sub ENDPOINT SYNCFILE LIBDIR   against `peer ticker pub bind`
    pyclient.py curve-req ENDPOINT SYNCFILE LIBDIR
                                against `peer curve-echo rep bind` (CURVE
                                server with peer.c's fixed SERVER key pair)

Checks that pyzmq really loaded LIBDIR's libzmq.so.5, then exchanges
messages and checks them; exits non-zero with a message on any difference.
"""
import os
import sys
import time

import zmq


def die(msg):
    sys.exit(f"pyclient {sys.argv[1]}: {msg}")


def loaded_libzmq():
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "libzmq.so" in line:
                return os.path.realpath(line.split()[-1])
    return "?"


# peer.c's SERVER_PUB: the CURVE server key of `peer curve-*`.
CURVE_SERVER_PUB = b"vS9$WSwR3[y6QBs-O[^Bv&&N$u^:kj[:V6IVG3Yu"


def req(ctx, endpoint, curve=False):
    s = ctx.socket(zmq.REQ)
    s.setsockopt(zmq.LINGER, 1000)
    if curve:
        public, secret = zmq.curve_keypair()
        if zmq.curve_public(secret) != public:
            die("zmq.curve_public does not give back the key pair's public key")
        s.curve_serverkey = CURVE_SERVER_PUB
        s.curve_publickey = public
        s.curve_secretkey = secret
        if s.get(zmq.MECHANISM) != zmq.CURVE:
            die("ZMQ_MECHANISM is not ZMQ_CURVE")
    s.connect(endpoint)
    requests = [
        [b"hello"],
        [b"a", b"", b"b"],
        [b""],
        [bytes(range(255))],
        [bytes(i % 251 for i in range(256))],
        [os.urandom((1 << 20) + 3)],
    ] + [[b"small %d" % i] for i in range(200)]
    for i, frames in enumerate(requests):
        s.send_multipart(frames)
        if not s.poll(5000):
            die(f"no reply to request {i}")
        reply = s.recv_multipart()
        if reply != frames:
            die(f"request {i}: reply differs ({len(reply)} frames, "
                f"sizes {[len(f) for f in reply]})")
    s.send(b"quit")
    if s.recv() != b"bye":
        die("no bye")
    print(f"{len(requests)} round trips ok")
    s.close()


def sub(ctx, endpoint, sync):
    s = ctx.socket(zmq.SUB)
    s.setsockopt(zmq.SUBSCRIBE, b"A")
    s.setsockopt(zmq.RCVHWM, 0)
    s.connect(endpoint)
    hellos = 0
    got = []
    while True:
        if not s.poll(5000):
            die(f"nothing received after {len(got)} messages")
        frames = s.recv_multipart()
        if frames == [b"Ahello"] and not got:
            if hellos == 0:
                open(sync, "w").close()
            hellos += 1
            continue
        if frames == [b"AEND"]:
            break
        got.append(frames)
    want = []
    for i in range(1000):
        t = b"A%d" % i
        want.append([t, b"", b"tail"] if i % 100 == 0 else [t])
    if got != want:
        bad = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w),
                   min(len(got), len(want)))
        die(f"got {len(got)} messages, want 1000; first difference at "
            f"{bad}: {got[bad] if bad < len(got) else None!r}")
    print(f"1000 published messages ok after {hellos} hellos")
    s.close()


def main():
    mode, endpoint, sync, libdir = sys.argv[1:5]
    lib = loaded_libzmq()
    print(f"pyzmq {zmq.pyzmq_version()} on libzmq {zmq.zmq_version()} "
          f"from {lib}")
    if lib != os.path.realpath(os.path.join(libdir, "libzmq.so.5")):
        die(f"pyzmq loaded {lib}, not the libzmq.so.5 of {libdir}")
    ctx = zmq.Context()
    if mode == "req":
        req(ctx, endpoint)
    elif mode == "curve-req":
        req(ctx, endpoint, curve=True)
    elif mode == "sub":
        sub(ctx, endpoint, sync)
    else:
        die("mode must be req, curve-req or sub")
    # The peer's end-of-scenario barrier (see peer.c).
    open(sync + ".done-connect", "w").close()
    deadline = time.monotonic() + 5
    while not os.path.exists(sync + ".done-bind"):
        if time.monotonic() > deadline:
            die("the peer never finished")
        time.sleep(0.005)
    ctx.term()


if __name__ == "__main__":
    main()
