"""Byte-level helpers for the hostile-peer suite: ZMTP 1.0/2.0/3.x framing,
NULL/PLAIN/CURVE handshakes played from Python, ZWS 2.0 over WebSocket.

Written for this project from the RFCs: 13 (ZMTP 1.0), 15 (ZMTP 2.0),
23 (ZMTP 3.0), 37 (ZMTP 3.1), 24 (PLAIN), 26 (CurveZMQ), 45 (ZWS 2.0) and
RFC 6455 (WebSocket). CURVE boxes use the system libsodium through ctypes
(libsodium23 comes with the reference libzmq), so no Python package is
needed. Every blocking call has a timeout; none waits forever.
"""

import base64
import ctypes
import ctypes.util
import hashlib
import os
import select
import socket
import struct
import time

MORE, LONG, COMMAND = 0x01, 0x02, 0x04


class Closed(Exception):
    """The peer closed (or reset) the connection."""


def u64(n):
    return struct.pack(">Q", n)


def connect(port, timeout=5.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def recv_exact(s, n, timeout=5.0):
    """n bytes, or Closed if the peer closes first, or TimeoutError."""
    buf = bytearray()
    deadline = time.monotonic() + timeout
    while len(buf) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("waited %.1fs for %d bytes, got %d" % (timeout, n, len(buf)))
        s.settimeout(left)
        try:
            chunk = s.recv(n - len(buf))
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            raise Closed()
        if not chunk:
            raise Closed()
        buf += chunk
    return bytes(buf)


def wait_closed(s, timeout):
    """Reads and discards until the peer closes. Returns the seconds it took,
    or None if the connection is still open after `timeout` seconds."""
    t0 = time.monotonic()
    deadline = t0 + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            r, _, _ = select.select([s], [], [], left)
        except (ValueError, OSError):
            return time.monotonic() - t0
        if not r:
            return None
        try:
            s.setblocking(False)
            data = s.recv(1 << 20)
        except (BlockingIOError, InterruptedError):
            continue
        except (ConnectionResetError, BrokenPipeError, OSError):
            return time.monotonic() - t0
        if not data:
            return time.monotonic() - t0


def is_closed_now(s):
    """Non-blocking: True iff EOF or a reset is pending (after discarding
    whatever the peer sent)."""
    try:
        s.setblocking(False)
        while True:
            d = s.recv(65536)
            if not d:
                return True
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True


def stream(s, total, chunk=1 << 20, stall=5.0, mask=None):
    """Sends up to `total` bytes of filler. Returns (bytes_sent, outcome) where
    outcome is 'all' (everything went out), 'dropped' (the peer closed or
    reset the connection) or 'stalled' (no progress for `stall` seconds: the
    peer stopped reading, i.e. applies back-pressure)."""
    block = bytes(chunk) if mask is None else mask
    sent = 0
    s.settimeout(stall)
    try:
        while sent < total:
            n = min(len(block), total - sent)
            s.sendall(block[:n])
            sent += n
    except socket.timeout:
        return sent, "stalled"
    except (BrokenPipeError, ConnectionResetError, OSError):
        return sent, "dropped"
    return sent, "all"


def send(s, data):
    """sendall that reports a closed peer as Closed."""
    try:
        s.settimeout(10)
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        raise Closed()


# ---------------------------------------------------------------- ZMTP 3.x

def greeting(mechanism=b"NULL", minor=1, as_server=0):
    """The 64-byte ZMTP 3.x greeting."""
    return (b"\xff" + bytes(8) + b"\x7f" + bytes([3, minor])
            + mechanism.ljust(20, b"\0") + bytes([as_server]) + bytes(31))


def frame(body, command=False, more=False, force_long=False):
    flags = (COMMAND if command else 0) | (MORE if more else 0)
    if len(body) > 255 or force_long:
        return bytes([flags | LONG]) + u64(len(body)) + body
    return bytes([flags, len(body)]) + body


def frame_header(length, command=False):
    """A long-frame header announcing `length` bytes (any 64-bit value)."""
    return bytes([LONG | (COMMAND if command else 0)]) + u64(length)


def props(pairs):
    """ZMTP metadata: name-length(1) name value-length(4) value."""
    out = b""
    for name, value in pairs:
        out += bytes([len(name)]) + name + struct.pack(">I", len(value)) + value
    return out


def command_body(name, data=b""):
    return bytes([len(name)]) + name + data


def ready(socket_type=b"DEALER", extra=()):
    return command_body(b"READY", props([(b"Socket-Type", socket_type)] + list(extra)))


def read_frame(s, timeout=5.0):
    """(flags, body) of the next ZMTP 3.x frame."""
    flags = recv_exact(s, 1, timeout)[0]
    if flags & LONG:
        size = struct.unpack(">Q", recv_exact(s, 8, timeout))[0]
    else:
        size = recv_exact(s, 1, timeout)[0]
    if size > 1 << 26:
        raise ValueError("peer announced a %d-byte frame" % size)
    return flags, recv_exact(s, size, timeout)


def read_greeting(s, timeout=5.0):
    g = recv_exact(s, 64, timeout)
    if g[0] != 0xFF or g[9] != 0x7F:
        raise ValueError("not a ZMTP 3 greeting: %r" % g[:12])
    return g


def null_handshake(s, minor=1, socket_type=b"DEALER"):
    """Plays a NULL client: greeting + READY, reads the server's."""
    send(s, greeting(b"NULL", minor))
    read_greeting(s)
    send(s, frame(ready(socket_type), command=True))
    flags, body = read_frame(s)
    if not flags & COMMAND or not body.startswith(b"\x05READY"):
        raise ValueError("expected READY, got %r" % body[:20])


def null_server_handshake(s, socket_type=b"ROUTER"):
    """Plays a NULL server towards a connecting client."""
    send(s, greeting(b"NULL", 1, as_server=0))
    read_greeting(s)
    read_frame(s)  # the client's READY
    send(s, frame(ready(socket_type), command=True))


# ---------------------------------------------------------------- PLAIN

def plain_hello(user=b"admin", password=b"secret"):
    return command_body(b"HELLO", bytes([len(user)]) + user + bytes([len(password)]) + password)


def plain_handshake_to_initiate(s, user=b"admin", password=b"secret"):
    """PLAIN client up to (not including) INITIATE; returns after WELCOME."""
    send(s, greeting(b"PLAIN"))
    read_greeting(s)
    send(s, frame(plain_hello(user, password), command=True))
    flags, body = read_frame(s)
    if not body.startswith(b"\x07WELCOME"):
        raise ValueError("expected WELCOME, got %r" % body[:20])


# ---------------------------------------------------------------- CURVE

_sodium = None


def sodium():
    global _sodium
    if _sodium is None:
        name = ctypes.util.find_library("sodium") or "libsodium.so.23"
        lib = ctypes.CDLL(name)
        if lib.sodium_init() < 0:
            raise OSError("sodium_init failed")
        _sodium = lib
    return _sodium


def keypair():
    pk, sk = ctypes.create_string_buffer(32), ctypes.create_string_buffer(32)
    sodium().crypto_box_keypair(pk, sk)
    return pk.raw, sk.raw


def box(msg, nonce, pk, sk):
    """crypto_box_easy: 16-byte MAC then ciphertext (CurveZMQ's Box)."""
    out = ctypes.create_string_buffer(len(msg) + 16)
    rc = sodium().crypto_box_easy(out, msg, ctypes.c_ulonglong(len(msg)), nonce, pk, sk)
    if rc != 0:
        raise ValueError("crypto_box_easy failed")
    return out.raw


def unbox(c, nonce, pk, sk):
    out = ctypes.create_string_buffer(max(len(c) - 16, 1))
    rc = sodium().crypto_box_open_easy(out, c, ctypes.c_ulonglong(len(c)), nonce, pk, sk)
    if rc != 0:
        raise ValueError("cannot open box")
    return out.raw[: len(c) - 16]


class Curve:
    """A CurveZMQ client (RFC 26) whose every step can be replaced by a
    malformed one. server_pk: the server's permanent public key (32 bytes)."""

    def __init__(self, server_pk):
        self.S = server_pk
        self.C, self.c = keypair()  # permanent
        self.Ct, self.ct = keypair()  # transient
        self.nonce = 1
        self.St = None
        self.cookie = None

    def hello(self):
        n = u64(self.nonce)
        b = box(bytes(64), b"CurveZMQHELLO---" + n, self.S, self.ct)
        self.nonce += 1
        return command_body(b"HELLO", b"\x01\x00" + bytes(72) + self.Ct + n + b)

    def welcome(self, body):
        if not body.startswith(b"\x07WELCOME") or len(body) != 168:
            raise ValueError("expected WELCOME, got %r" % body[:20])
        plain = unbox(body[24:], b"WELCOME-" + body[8:24], self.S, self.ct)
        self.St, self.cookie = plain[:32], plain[32:128]

    def initiate(self, metadata=None, vouch=None, cookie=None):
        if metadata is None:
            metadata = props([(b"Socket-Type", b"DEALER")])
        vn = os.urandom(16)
        if vouch is None:
            vouch = box(self.Ct + self.S, b"VOUCH---" + vn, self.St, self.c)
        n = u64(self.nonce)
        self.nonce += 1
        b = box(self.C + vn + vouch + metadata, b"CurveZMQINITIATE" + n, self.St, self.ct)
        return command_body(b"INITIATE", (cookie or self.cookie) + n + b)

    def ready(self, body):
        if not body.startswith(b"\x05READY"):
            raise ValueError("expected READY, got %r" % body[:30])
        return unbox(body[14:], b"CurveZMQREADY---" + body[6:14], self.St, self.ct)

    def message(self, data, more=False, nonce=None):
        n = u64(self.nonce if nonce is None else nonce)
        if nonce is None:
            self.nonce += 1
        b = box(bytes([1 if more else 0]) + data, b"CurveZMQMESSAGEC" + n, self.St, self.ct)
        return command_body(b"MESSAGE", n + b)

    def open_message(self, body):
        if not body.startswith(b"\x07MESSAGE"):
            raise ValueError("expected MESSAGE, got %r" % body[:20])
        plain = unbox(body[16:], b"CurveZMQMESSAGES" + body[8:16], self.St, self.ct)
        return plain[0], plain[1:]

    def handshake(self, s, metadata=None):
        """Greeting, HELLO, WELCOME, INITIATE, READY. Returns the bytes this
        client sent (for replay)."""
        sent = greeting(b"CURVE")
        send(s, sent)
        read_greeting(s)
        h = frame(self.hello(), command=True)
        send(s, h)
        self.welcome(read_frame(s)[1])
        i = frame(self.initiate(metadata), command=True)
        send(s, i)
        self.ready(read_frame(s)[1])
        return sent, h, i


# ---------------------------------------------------------------- WebSocket

def ws_upgrade(s, path="/hostile", protocol="ZWS2.0/NULL,ZWS2.0", host="127.0.0.1"):
    """Client upgrade; returns the response head. Raises ValueError unless 101."""
    key = base64.b64encode(os.urandom(16)).decode()
    req = ("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Protocol: %s\r\n"
           "Sec-WebSocket-Version: 13\r\n\r\n" % (path, host, key, protocol))
    send(s, req.encode())
    head = b""
    deadline = time.monotonic() + 5
    while b"\r\n\r\n" not in head:
        head += recv_exact(s, 1, max(0.01, deadline - time.monotonic()))
        if len(head) > 8192:
            raise ValueError("response head too long")
    if not head.startswith(b"HTTP/1.1 101"):
        raise ValueError("upgrade refused: %r" % head[:40])
    want = base64.b64encode(hashlib.sha1(
        (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
    if want not in head:
        raise ValueError("bad Sec-WebSocket-Accept")
    return head


def ws_frame(payload, opcode=0x2, mask=True, length=None):
    """A final WebSocket frame from a client (masked). `length` overrides the
    announced payload length (for hostile frames)."""
    n = len(payload) if length is None else length
    head = bytes([0x80 | opcode])
    mbit = 0x80 if mask else 0
    if n < 126:
        head += bytes([mbit | n])
    elif n < 1 << 16:
        head += bytes([mbit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([mbit | 127]) + u64(n)
    if not mask:
        return head + payload
    key = os.urandom(4)
    masked = bytes(b ^ key[i & 3] for i, b in enumerate(payload))
    return head + key + masked


def zws(body, command=False, more=False):
    """A ZWS 2.0 message: one WebSocket binary frame, flags byte first."""
    flags = (0x02 if command else 0) | (0x01 if more else 0)
    return ws_frame(bytes([flags]) + body)


def ws_read(s, timeout=5.0):
    """(opcode, payload) of the next (unmasked, server) frame."""
    h = recv_exact(s, 2, timeout)
    n = h[1] & 0x7F
    if n == 126:
        n = struct.unpack(">H", recv_exact(s, 2, timeout))[0]
    elif n == 127:
        n = struct.unpack(">Q", recv_exact(s, 8, timeout))[0]
    if n > 1 << 26:
        raise ValueError("peer announced a %d-byte ws frame" % n)
    key = recv_exact(s, 4, timeout) if h[1] & 0x80 else None
    p = recv_exact(s, n, timeout)
    if key:
        p = bytes(b ^ key[i & 3] for i, b in enumerate(p))
    return h[0] & 0x0F, p


def ws_null_handshake(s):
    ws_upgrade(s)
    send(s, zws(ready(), command=True))
    op, p = ws_read(s)
    if op != 2 or not p[1:].startswith(b"\x05READY"):
        raise ValueError("expected ZWS READY, got %r" % p[:20])


