#!/usr/bin/env python3
"""sockmap_checks.py: the correctness experiments for the sockmap relay
(sockmap_relay.c, relay issue 5).  Each case builds two loopback TCP
connections, peerA <-> relayA and relayB <-> peerB, hands relayA/relayB to
`sockmap_relay sockmap FD_A FD_B`, pushes random data through in one or both
directions and compares sha256 and lengths at the far ends.
  (a) pre   data that peerA sent before the relay put relayA into the map
  (b) eof   half-close and the drain before shutdown(B), many small and
            large transfers; with SMR_DRAIN=0 as the control
  (c) slow  a slow reader behind B: how much the kernel holds meanwhile
  (d) rst   a reset from either peer in the middle of a transfer, and the
            byte counts the BPF side reports
Usage: sockmap_checks.py PATH/TO/sockmap_relay [CASE...]   (root needed)
Prints one line per case: PASS/FAIL and the figures. """
import hashlib, os, random, socket, struct, subprocess, sys, threading, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "/tmp/fdscope-sockmap/sockmap_relay"
ONLY = set(sys.argv[2:])


def pair():
    l = socket.socket()
    l.bind(("127.0.0.1", 0))
    l.listen(1)
    c = socket.create_connection(l.getsockname())
    s, _ = l.accept()
    l.close()
    return c, s


def payload(n, seed):
    r = random.Random(seed)
    return r.randbytes(n)


class Reader(threading.Thread):
    def __init__(self, sock, delay=0.0, chunk=1 << 16):
        super().__init__(daemon=True)
        self.sock, self.delay, self.chunk = sock, delay, chunk
        self.h, self.n, self.err, self.done = hashlib.sha256(), 0, None, False

    def run(self):
        try:
            while True:
                b = self.sock.recv(self.chunk)
                if not b:
                    break
                self.h.update(b)
                self.n += len(b)
                if self.delay:
                    time.sleep(self.delay)
        except OSError as e:
            self.err = e.strerror
        self.done = True


class Writer(threading.Thread):
    def __init__(self, sock, data, shut=True, rst_after=None):
        super().__init__(daemon=True)
        self.sock, self.data, self.shut, self.rst_after = sock, data, shut, rst_after
        self.sent, self.err = 0, None

    def run(self):
        try:
            mv = memoryview(self.data)
            while self.sent < len(self.data):
                if self.rst_after is not None and self.sent >= self.rst_after:
                    self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.sock.close()
                    return
                self.sent += self.sock.send(mv[self.sent:self.sent + (1 << 16)])
            if self.shut:
                self.sock.shutdown(socket.SHUT_WR)
        except OSError as e:
            self.err = e.strerror


def run_case(a2b, b2a=0, pre=0, slow=0.0, env=None, rst=None, timeout=30, watch=False, early=False, pause=0.0):
    """Returns a dict: ok flags, relay rc, stats line, memory figures.
    The peers start writing (and half-closing) once the relay has set up,
    unless early=True: then they start at once, as a client that sends and
    shuts down before the relay has its sockets in the map.  pause: seconds
    to wait after the relay is ready before the peers write the rest (the
    bytes peerB got by then are reported as got_in_pause)."""
    peerA, relayA = pair()
    relayB, peerB = pair()
    da, db = payload(a2b, 1), payload(b2a, 2)
    if pre:
        peerA.sendall(da[:pre])
        time.sleep(0.05)  # let it land in relayA's receive queue
    e = dict(os.environ, SMR_STATS="1", SMR_READY="1")
    e.update(env or {})
    if watch:
        e["SMR_WATCH"] = "200"
    p = subprocess.Popen([BIN, "sockmap", str(relayA.fileno()), str(relayB.fileno())],
                         pass_fds=(relayA.fileno(), relayB.fileno()), env=e,
                         stderr=subprocess.PIPE, text=True)
    relayA.close()
    relayB.close()
    if not early:
        line = p.stderr.readline()  # "ready", or the reason it fell back
        if line.strip() != "ready":
            early_msg = line.strip()
    got_in_pause = None
    rB = Reader(peerB, delay=slow, chunk=(1 << 14) if slow else (1 << 16))
    rA = Reader(peerA)
    wA = Writer(peerA, da[pre:], rst_after=rst.get("A") if rst else None)
    wB = Writer(peerB, db)
    if rst and "B" in rst:  # peerB reads for rst["B"] seconds, then resets
        def reset_b():
            peerB.settimeout(0.05)
            end = time.time() + rst["B"]
            while time.time() < end:
                try:
                    if not peerB.recv(1 << 12):
                        break
                    time.sleep(0.005)
                except (socket.timeout, OSError):
                    pass
            peerB.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            peerB.close()
            rB.done = True
        rB.start = lambda: None  # the reset thread reads instead
        threading.Thread(target=reset_b, daemon=True).start()
    if rst and "A" in rst:  # a reader blocked on peerA would delay its RST
        rA.start, rA.done = (lambda: None), True
    rB.start()
    rA.start()
    if pause:
        time.sleep(pause)
        got_in_pause = rB.n
    wA.start()
    wB.start()
    peak_backlog = 0
    t0 = time.time()
    while time.time() - t0 < timeout and not (rB.done and rA.done) and p.poll() is None:
        time.sleep(0.05)
        # bytes peerA has handed to the kernel that peerB has not read yet,
        # minus what the two socket buffers can hold, is the psock queue
        peak_backlog = max(peak_backlog, wA.sent + pre - rB.n)
    try:
        p.wait(timeout=max(1, timeout - (time.time() - t0)))
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    for t in (rB, rA):
        if t.is_alive():
            t.join(2)
    err = p.stderr.read()
    for s in (peerA, peerB):
        try:
            s.close()
        except OSError:
            pass
    return dict(rc=p.returncode,
                a2b_ok=rB.n == a2b and rB.h.digest() == hashlib.sha256(da).digest(),
                b2a_ok=rA.n == b2a and rA.h.digest() == hashlib.sha256(db).digest(),
                got_b=rB.n, got_a=rA.n, errB=rB.err, errA=rA.err, wA_err=wA.err,
                elapsed=time.time() - t0, backlog=peak_backlog, stderr=err.strip(), got_in_pause=got_in_pause)


def report(name, ok, detail):
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
    return ok


def want(case):
    return not ONLY or case in ONLY


def main():
    allok = True
    if want("eof"):
        # (b) drain: many transfers, small and large, both directions
        sizes = [1, 2, 100, 1000, 4096, 65535, 65536, 65537, 1 << 20, 7_000_001, 64 << 20]
        bad = []
        for i in range(40):
            n, m = sizes[i % len(sizes)], sizes[(i * 7) % len(sizes)] if i % 2 else 0
            r = run_case(n, m)
            if not (r["a2b_ok"] and r["b2a_ok"] and r["rc"] == 0):
                bad.append((n, m, r))
        allok &= report("eof+drain, 40 transfers 1 B..64 MiB, half of them bidirectional",
                        not bad, f"{len(bad)} bad" + (f": {bad[0]}" if bad else ""))
        lost = 0
        for i in range(20):
            n = sizes[i % len(sizes)]
            r = run_case(n, 0, env={"SMR_DRAIN": "0"})
            lost += not r["a2b_ok"]
        report("control: same without the drain wait (SMR_DRAIN=0)", True,
               f"{lost}/20 transfers damaged (lost tail / reset) without the drain")
    if want("pre"):
        # (a) data queued on relayA before the insert
        r = run_case(3_000_000, 0, pre=200_000, pause=0.5)
        allok &= report("pre-insert 200 kB, 0.5 s pause, then 2.8 MB more, with the SO_RCVLOWAT kick",
                        r["a2b_ok"] and r["rc"] == 0 and r["got_in_pause"] == 200_000,
                        f"got {r['got_in_pause']} during the pause, {r['got_b']} in all, sha ok={r['a2b_ok']}")
        r = run_case(3_000_000, 0, pre=200_000, pause=0.5, env={"SMR_KICK": "0"})
        report("control: the same without the kick", True,
               f"got {r['got_in_pause']} during the pause, {r['got_b']} in all, sha ok={r['a2b_ok']}")
        r = run_case(50_000, 0, pre=50_000, early=True)
        allok &= report("early FIN: peers send and shut down before the insert (CLOSE_WAIT)",
                        r["a2b_ok"] and r["rc"] == 0, f"got {r['got_b']} ok={r['a2b_ok']}; {r['stderr']}")
        r = run_case(2_000_000, 1_000_000, early=True)
        allok &= report("early: both peers write at once, both directions",
                        r["a2b_ok"] and r["b2a_ok"] and r["rc"] == 0, f"ok={r['a2b_ok']},{r['b2a_ok']}; {r['stderr']}")
    if want("slow"):
        # (c) slow reader: 64 MiB through a reader of ~16 KiB per 5 ms (~3 MB/s)
        r = run_case(64 << 20, 0, slow=0.005, timeout=60, watch=True)
        watch = [l for l in r["stderr"].splitlines() if l.startswith("watch")]
        allok &= report("slow reader behind B, 64 MiB", r["a2b_ok"] and r["rc"] == 0,
                        f"ok={r['a2b_ok']} {r['elapsed']:.1f}s, peak bytes written by A's peer but not yet read "
                        f"by B's peer: {r['backlog'] / 1048576:.1f} MiB; relay watch: "
                        + " | ".join(watch[1:4] + watch[-1:]))
    if want("rst"):
        # (d) reset from B's peer mid-transfer, then from A's peer
        for uni in ("0", "1"):
            r = run_case(64 << 20, 0, rst={"B": 0.3}, timeout=15, env={"SMR_UNI": uni})
            allok &= report(f"RST from B's slow peer during A->B (SMR_UNI={uni})", r["rc"] == 1 and r["elapsed"] < 14,
                            f"relay rc={r['rc']} in {r['elapsed']:.1f}s, A's peer: {r['wA_err']}; {r['stderr']}")
        r = run_case(64 << 20, 0, rst={"A": 8 << 20}, timeout=15)
        allok &= report("RST from A's peer after 8 MiB", r["rc"] == 1 and r["elapsed"] < 14,
                        f"relay rc={r['rc']} in {r['elapsed']:.1f}s, B's peer got {r['got_b']} ({r['errB']}); "
                        f"{r['stderr']}")
        r = run_case(5_000_000, 3_000_000)
        allok &= report("byte counts from the BPF side", r["a2b_ok"] and r["b2a_ok"] and
                        "a2b=5000000 b2a=3000000" in r["stderr"], r["stderr"])
    return 0 if allok else 1


if __name__ == "__main__":
    sys.exit(main())
