"""A Jupyter kernel round trip, as a notebook does it: start a kernel
(Debian's python3-ipykernel, over Debian's python3-jupyter-client), execute
code and read its stdout, interrupt a long cell, execute again, shut down.
Client and kernel load whatever libzmq.so.5 the environment gives them
(LD_LIBRARY_PATH); both report theirs on the first line.

    python3 clients/jupyter_roundtrip.py
Exits non-zero on the first failed step, naming it. Every wait is bounded.
"""
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

TIMEOUT = 60


def loaded_libzmq():
    for line in open("/proc/self/maps"):
        if "libzmq.so" in line:
            return line.split()[-1]
    return "?"


def run(kc, code, expect=None, timeout=TIMEOUT):
    """Executes code; returns (reply content, output): stdout text, and
    "=value" for an execute_result. With `expect`, reads iopub on past the
    idle status until that output has come (ipykernel may flush stdout
    after reporting idle). A request the kernel aborted (ipykernel aborts
    what arrives just after an error, such as an interrupt) is sent again,
    as a user would run the cell again."""
    for _attempt in range(5):
        msg_id = kc.execute(code)
        out = []
        idle = False
        reply = None
        deadline = time.monotonic() + timeout
        while True:
            if idle and reply is None:
                reply = kc.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.1))
                if reply["parent_header"].get("msg_id") != msg_id:
                    reply = None
                    continue
            if reply is not None and (
                reply["content"]["status"] != "ok" or expect is None or "".join(out) == expect
            ):
                break
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no idle status (or not the output %r) for %r" % (expect, code))
            try:
                m = kc.get_iopub_msg(timeout=min(left, 1))
            except queue.Empty:
                continue
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "stream" and m["content"]["name"] == "stdout":
                out.append(m["content"]["text"])
            if m["msg_type"] == "execute_result":
                out.append("=" + m["content"]["data"]["text/plain"])
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                idle = True
        if reply["content"]["status"] != "aborted":
            return reply["content"], "".join(out)
    return reply["content"], "".join(out)


def step(name, ok, detail=""):
    print("%s: %s%s" % ("ok" if ok else "FAIL", name, (" (%s)" % detail) if detail else ""))
    if not ok:
        sys.exit(1)


def main():
    import zmq

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=TIMEOUT)
    try:
        reply, out = run(
            kc,
            "import zmq\n"
            "print(zmq.zmq_version(), [l.split()[-1] for l in open('/proc/self/maps') if 'libzmq.so' in l][0])",
        )
        print("client: libzmq %s %s; kernel: libzmq %s" % (zmq.zmq_version(), loaded_libzmq(), out.strip()))
        step("kernel starts and reports its libzmq", reply["status"] == "ok" and out.strip() != "")
        reply, out = run(kc, "print(6 * 7)", expect="42\n")
        step("execute, read stdout", reply["status"] == "ok" and out == "42\n", repr(out))
        # Interrupt a cell that would run for a minute.
        msg_id = kc.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(60)")
        busy = False
        deadline = time.monotonic() + TIMEOUT
        while not busy and time.monotonic() < deadline:
            try:
                m = kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
                busy = True
        step("long cell started", busy)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=TIMEOUT)
        c = reply["content"]
        step("interrupt ends the cell with KeyboardInterrupt", c["status"] == "error" and c.get("ename") == "KeyboardInterrupt", c.get("ename"))
        # An execute_result, not stdout: after an interrupt ipykernel
        # sometimes loses the next stdout flush, on any libzmq.
        reply, out = run(kc, "'still' + ' here'", expect="='still here'")
        step("kernel alive after the interrupt", reply["status"] == "ok" and out == "='still here'", repr(out))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    step("kernel shut down", not km.is_alive())
    print("jupyter: round trip passed")


if __name__ == "__main__":
    main()
