#!/usr/bin/env python3
"""Host end of the template/clone identity protocol for template-clone-test.sh (docs/kestrel.md, "Template mode").

  template_host.py template IDENT_SOCK QMP_SOCK STATE_FILE TIMEOUT_S
      waits for {"type":"warm"} on the identity port, then pauses the VM and saves its device state only
      (x-ignore-shared: the RAM stays in the shared file), then quits QEMU. Prints the seconds to warm.
  template_host.py clone IDENT_SOCK QMP_SOCK STATE_FILE TIMEOUT_S CMDLINE MAC HOSTNAME [BAD_LINE]
      restores a clone started with -incoming defer, resumes it, optionally sends BAD_LINE first (expects a
      "failed" answer), then the identity; answers the guest's time requests at once with the host clock until
      "applied"; prints the seconds from resume to "applied" and exits 1 on "failed".
"""
import base64
import json
import os
import socket
import sys
import time


def connect(path, timeout):
    deadline = time.time() + timeout
    while True:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            return s
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)


class Qmp:
    def __init__(self, path):
        self.f = connect(path, 30).makefile("rw")
        self.f.readline()
        self.cmd("qmp_capabilities")

    def cmd(self, name, args=None):
        self.f.write(json.dumps({"execute": name, **({"arguments": args} if args else {})}) + "\n")
        self.f.flush()
        while True:
            r = json.loads(self.f.readline())
            if "error" in r:
                sys.exit(f"qmp {name}: {r['error']}")
            if "return" in r:
                return r["return"]


def lines(sock, deadline):
    buf = b""
    while True:
        sock.settimeout(max(0.1, deadline - time.time()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            sys.exit("timed out waiting for the guest on the identity port")
        if not chunk:
            sys.exit("identity port closed")
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield json.loads(line)


def template(ident, qmp, state, timeout):
    t0 = time.time()
    sock = connect(ident, 30)
    for m in lines(sock, t0 + timeout):
        if m.get("type") == "warm":
            break
    print(f"{time.time() - t0:.2f}")
    q = Qmp(qmp)
    q.cmd("migrate-set-capabilities", {"capabilities": [{"capability": "x-ignore-shared", "state": True}]})
    q.cmd("stop")
    q.cmd("migrate", {"uri": "exec:cat > " + state})
    while True:
        status = q.cmd("query-migrate").get("status")
        if status == "completed":
            break
        if status == "failed":
            sys.exit("template: migration failed")
        time.sleep(0.02)
    q.cmd("quit")


def clone(ident, qmp, state, timeout, cmdline, mac, hostname, bad=None):
    sock = connect(ident, 30)  # before resume: the guest sees its host end connected
    q = Qmp(qmp)
    q.cmd("migrate-set-capabilities", {"capabilities": [{"capability": "x-ignore-shared", "state": True}]})
    q.cmd("migrate-incoming", {"uri": "exec:cat " + state})
    while q.cmd("query-status")["status"] == "inmigrate":
        time.sleep(0.02)
    q.cmd("cont")
    t0 = time.time()
    stream = lines(sock, t0 + timeout)
    if bad:
        sock.sendall(bad.encode() + b"\n")
        m = next(m for m in stream if m.get("type") != "warm")
        if m.get("type") != "failed":
            sys.exit(f"clone: a bad line was answered with {m}")
        print(f"bad line answered: {m['error']}", file=sys.stderr)
    identity = {"type": "identity", "cmdline": cmdline, "mac": mac, "hostname": hostname,
                "time_unix_ms": int(time.time() * 1000), "entropy": base64.b64encode(os.urandom(64)).decode()}
    sock.sendall(json.dumps(identity).encode() + b"\n")
    for m in stream:
        if m.get("type") == "time_request":  # the guest's clock exchange: answer at once
            answer = {"type": "time", "seq": m.get("seq"), "time_unix_ms": int(time.time() * 1000)}
            sock.sendall(json.dumps(answer).encode() + b"\n")
            continue
        if m.get("type") == "applied":
            print(f"{time.time() - t0:.2f}")
            return
        if m.get("type") == "failed":
            sys.exit(f"clone: identity failed: {m.get('error')}")


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "template":
        template(a[1], a[2], a[3], float(a[4]))
    elif a[0] == "clone":
        clone(a[1], a[2], a[3], float(a[4]), a[5], a[6], a[7], a[8] if len(a) > 8 else None)
    else:
        sys.exit(__doc__)
