#!/usr/bin/python3
"""pyzmq's higher-level features on whatever libzmq.so.5 it loads: Poller,
zero-copy sends/receives with MessageTracker (zmq_msg_init_data free
callbacks), every socket option pyzmq knows, zmq.utils.monitor, devices
(ThreadDevice, ProcessDevice, ThreadMonitoredQueue), zmq.asyncio, tornado's
ZMQStream, Context.term/destroy with linger. Prints PASS/FAIL lines and a
SUMMARY line; exits 1 if anything failed. Run by interop/pyzmq-suite."""
import sys, time, threading, asyncio, gc
import zmq, zmq.asyncio
from zmq.devices import ThreadDevice, ProcessDevice, ThreadMonitoredQueue
from zmq.utils.monitor import recv_monitor_message
ok = []
def check(name, cond):
    ok.append((name, bool(cond)))
    print(("PASS " if cond else "FAIL ") + name, flush=True)

ctx = zmq.Context()
# Poller
a = ctx.socket(zmq.PAIR); b = ctx.socket(zmq.PAIR)
port = a.bind_to_random_port("tcp://127.0.0.1"); b.connect(f"tcp://127.0.0.1:{port}")
p = zmq.Poller(); p.register(a, zmq.POLLIN); p.register(b, zmq.POLLIN | zmq.POLLOUT)
ev = dict(p.poll(1000)); check("poller pollout", ev.get(b) == zmq.POLLOUT)
b.send(b"x"); p.modify(b, zmq.POLLIN); ev = dict(p.poll(1000)); check("poller pollin", ev.get(a, 0) & zmq.POLLIN); a.recv()
p.unregister(b); check("poller timeout", dict(p.poll(50)) == {})

# zero-copy + track
msg = b"y" * 100000
tr = b.send(msg, copy=False, track=True)
got = a.recv(copy=False)
check("zero-copy recv", got.bytes == msg)
tr.wait(5); check("tracker done", tr.done)
buf = bytearray(b"z" * 50000)
f = zmq.Frame(buf, track=True)
t2 = f.tracker
b.send(f, copy=False)
r = a.recv(copy=False); check("frame roundtrip", r.bytes == bytes(buf))
del f, r; gc.collect(); t2.wait(5); check("frame tracker done", t2.done)
sm = zmq.Frame(b"small", track=True); t3 = sm.tracker; b.send(sm, copy=False, track=True); a.recv(); del sm; gc.collect(); t3.wait(5); check("small tracker", t3.done)
mp = b.send_multipart([b"a", memoryview(b"b"*70000)], copy=False, track=True); check("multipart recv", a.recv_multipart() == [b"a", b"b"*70000]); mp.wait(5); check("multipart tracker", mp.done)

# all options pyzmq exposes: get every readable one
errs = []
for st in (zmq.PAIR, zmq.PUB, zmq.SUB, zmq.REQ, zmq.REP, zmq.DEALER, zmq.ROUTER, zmq.PULL, zmq.PUSH, zmq.XPUB, zmq.XSUB, zmq.STREAM):
    s = ctx.socket(st)
    for opt in zmq.constants.SocketOption:
        try:
            v = s.get(opt)
        except zmq.ZMQError as e:
            errs.append((st, opt.name, e.errno))
    s.close()
# Only EINVAL (write-only, type-specific or unsupported options) may fail.
check("every option readable or EINVAL", all(e == zmq.EINVAL for _, _, e in errs))
s = ctx.socket(zmq.DEALER)
for opt, val in [(zmq.LINGER, 5), (zmq.SNDHWM, 7), (zmq.RCVHWM, 9), (zmq.ROUTING_ID, b"id"), (zmq.RECONNECT_IVL, 50),
                 (zmq.MAXMSGSIZE, 1 << 20), (zmq.SNDTIMEO, 10), (zmq.RCVTIMEO, 20), (zmq.TCP_KEEPALIVE, 1), (zmq.IMMEDIATE, 1),
                 (zmq.HEARTBEAT_IVL, 100), (zmq.CONNECT_TIMEOUT, 500), (zmq.ZAP_DOMAIN, b"dom"), (zmq.PLAIN_USERNAME, b"u"),
                 (zmq.SOCKS_PROXY, b"127.0.0.1:1080"), (zmq.TOS, 4), (zmq.BACKLOG, 10), (zmq.AFFINITY, 3)]:
    s.set(opt, val); g = s.get(opt)
    if isinstance(val, bytes) and isinstance(g, str): g = g.encode()
    if g != val: errs.append(("setget", opt, val, g))
bad = [e for e in errs if e[0] == "setget"]
check("set/get roundtrip %s" % (bad or ""), not bad)
s.setsockopt_string(zmq.ROUTING_ID, "abc"); check("string opt", s.getsockopt_string(zmq.ROUTING_ID) == "abc")
s.hwm = 55; check("hwm property", s.hwm == 55)
check("fd opt", s.fd > 0 and s.get(zmq.EVENTS) == 0)
s.close()

# monitor
srv = ctx.socket(zmq.REP); mon = srv.get_monitor_socket()
port = srv.bind_to_random_port("tcp://127.0.0.1")
cli = ctx.socket(zmq.REQ); cli.connect(f"tcp://127.0.0.1:{port}")
events = []
deadline = time.time() + 5
while time.time() < deadline and zmq.EVENT_HANDSHAKE_SUCCEEDED not in events:
    if mon.poll(500):
        m = recv_monitor_message(mon); events.append(m["event"])
check("monitor events", zmq.EVENT_LISTENING in events and zmq.EVENT_ACCEPTED in events and zmq.EVENT_HANDSHAKE_SUCCEEDED in events)
cli.send(b"q"); srv.send(srv.recv()); cli.recv()
srv.disable_monitor(); mon.close(); cli.close(); srv.close()

# devices
dev = ThreadDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER)
pin = zmq.Context().socket(zmq.REP); bport = pin.bind_to_random_port("tcp://127.0.0.1")
tmp = ctx.socket(zmq.ROUTER); fport = tmp.bind_to_random_port("tcp://127.0.0.1"); tmp.close(); time.sleep(0.1)
dev.bind_in(f"tcp://127.0.0.1:{fport}"); dev.connect_out(f"tcp://127.0.0.1:{bport}"); dev.setsockopt_in(zmq.LINGER, 0); dev.setsockopt_out(zmq.LINGER, 0); dev.start()
req = ctx.socket(zmq.REQ); req.connect(f"tcp://127.0.0.1:{fport}"); req.send(b"dev")
pin.rcvtimeo = 3000; x = pin.recv(); pin.send(x + b"!"); req.rcvtimeo = 3000
check("thread device", req.recv() == b"dev!")
req.close(); pin.close()

pdev = ProcessDevice(zmq.STREAMER, zmq.PULL, zmq.PUSH)
tmp = ctx.socket(zmq.PULL); i1 = tmp.bind_to_random_port("tcp://127.0.0.1"); i2 = tmp.bind_to_random_port("tcp://127.0.0.1"); tmp.close(); time.sleep(0.1)
pdev.bind_in(f"tcp://127.0.0.1:{i1}"); pdev.bind_out(f"tcp://127.0.0.1:{i2}"); pdev.start()
push = ctx.socket(zmq.PUSH); push.connect(f"tcp://127.0.0.1:{i1}"); pull = ctx.socket(zmq.PULL); pull.connect(f"tcp://127.0.0.1:{i2}")
push.send(b"pd"); pull.rcvtimeo = 5000
try: check("process device", pull.recv() == b"pd")
except zmq.Again: check("process device", False)
push.close(0); pull.close(0); pdev.launcher.terminate()

mq = ThreadMonitoredQueue(zmq.ROUTER, zmq.DEALER, zmq.PUB, b"in", b"out")
tmp = ctx.socket(zmq.PULL); q1 = tmp.bind_to_random_port("tcp://127.0.0.1"); q2 = tmp.bind_to_random_port("tcp://127.0.0.1"); q3 = tmp.bind_to_random_port("tcp://127.0.0.1"); tmp.close(); time.sleep(0.1)
mq.bind_in(f"tcp://127.0.0.1:{q1}"); mq.bind_out(f"tcp://127.0.0.1:{q2}"); mq.bind_mon(f"tcp://127.0.0.1:{q3}"); mq.start()
msub = ctx.socket(zmq.SUB); msub.connect(f"tcp://127.0.0.1:{q3}"); msub.subscribe(b""); time.sleep(0.3)
rq = ctx.socket(zmq.REQ); rq.connect(f"tcp://127.0.0.1:{q1}"); rp = ctx.socket(zmq.REP); rp.connect(f"tcp://127.0.0.1:{q2}")
rq.send(b"mq"); rp.rcvtimeo = 3000; rp.send(rp.recv() + b"?"); rq.rcvtimeo = 3000
check("monitored queue reply", rq.recv() == b"mq?")
msub.rcvtimeo = 2000
m1 = msub.recv_multipart(); check("monitored queue mon in", m1[0] == b"in" and m1[-1] == b"mq")
for s_ in (msub, rq, rp): s_.close(0)

# asyncio
async def amain():
    actx = zmq.asyncio.Context()
    s1 = actx.socket(zmq.PAIR); s2 = actx.socket(zmq.PAIR)
    prt = s1.bind_to_random_port("tcp://127.0.0.1"); s2.connect(f"tcp://127.0.0.1:{prt}")
    await s2.send_multipart([b"as", b"yncio"])
    r = await asyncio.wait_for(s1.recv_multipart(), 5)
    pl = zmq.asyncio.Poller(); pl.register(s1, zmq.POLLIN)
    fut = asyncio.ensure_future(pl.poll(5000)); await asyncio.sleep(0.05); await s2.send(b"p")
    evs = await fut
    await s1.recv()
    s1.close(0); s2.close(0); actx.term()
    return r == [b"as", b"yncio"] and evs and evs[0][1] == zmq.POLLIN
check("asyncio", asyncio.run(amain()))

# tornado eventloop / ZMQStream
from zmq.eventloop.zmqstream import ZMQStream
from tornado.ioloop import IOLoop
async def tmain():
    s1 = ctx.socket(zmq.PAIR); s2 = ctx.socket(zmq.PAIR)
    prt = s1.bind_to_random_port("tcp://127.0.0.1"); s2.connect(f"tcp://127.0.0.1:{prt}")
    st = ZMQStream(s1); got = asyncio.get_event_loop().create_future()
    st.on_recv(lambda m: got.done() or got.set_result(m))
    s2.send_multipart([b"tor", b"nado"])
    r = await asyncio.wait_for(got, 5)
    st.close(); s2.close(0)
    return r == [b"tor", b"nado"]
check("tornado zmqstream", asyncio.run(tmain()))

# term/destroy with linger
a.close(); b.close()
c2 = zmq.Context(); pu = c2.socket(zmq.PUSH); pu.connect("tcp://127.0.0.1:1"); pu.send(b"undeliverable")
t0 = time.time(); c2.destroy(linger=200); dt = time.time() - t0
check("destroy with linger 200", 0.1 < dt < 3 and pu.closed)
c3 = zmq.Context(); pu = c3.socket(zmq.PUSH); pu.linger = 300; pu.connect("tcp://127.0.0.1:1"); pu.send(b"u"); pu.close()
t0 = time.time(); c3.term(); dt = time.time() - t0; check("term waits linger", 0.2 < dt < 3)
c4 = zmq.Context(); s4 = c4.socket(zmq.PULL)
def blocker():
    try: s4.recv()
    except zmq.ContextTerminated: res.append("eterm")
    s4.close()
res = []; th = threading.Thread(target=blocker); th.start(); time.sleep(0.1); c4.term(); th.join(5); check("term wakes recv with ETERM", res == ["eterm"])
ctx.term()
print("SUMMARY", sum(1 for _, v in ok if v), "passed", sum(1 for _, v in ok if not v), "failed")
sys.exit(0 if all(v for _, v in ok) else 1)
