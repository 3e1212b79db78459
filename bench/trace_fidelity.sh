#!/usr/bin/env bash
# trace_fidelity.sh [TRACE_BINARY]: does trace see what strace sees?
#
# Runs one scripted program (a shell that forks children, opens, reads,
# writes, fails a call with ENOENT, pipes, stats a file and execs with a
# fresh environment) under `strace -f -yy` and
# under `trace -f`, then compares, per process in order of appearance, the
# sequence of (syscall, return value).  Addresses (mmap, brk) and pids differ
# between runs and are compared as "an address" / "a pid"; rt_sigreturn is
# left out (where a SIGCHLD lands depends on timing, not on the tracer).  Prints the
# number of calls matched and any difference.  The calls whose arguments
# strace decodes as structs (signal masks, sigaction, stat buffers, rlimits,
# wait status, getdents64 and execve counts, msghdr) must also show the same
# argument text, compared with addresses, pids, inode numbers and fd names
# taken out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
trace=${1:-$here/../build/bin/trace}
work=$(mktemp -d /tmp/fdscope-fidelity.XXXXXX)
trap 'rm -rf "$work"' EXIT
script='exec 3>'"$work"'/f; echo hello >&3; cat '"$work"'/f /nonexistent 2>/dev/null | wc -c >/dev/null; ls /usr/share/doc/bash >/dev/null; stat -c %s '"$work"'/f >/dev/null; env -i A=1 B=2 /bin/true; exit 0'

strace -f -yy -qq -o "$work/strace.out" /bin/sh -c "$script"
"$trace" -f -o "$work/trace.out" -- /bin/sh -c "$script"

python3 - "$work/strace.out" "$work/trace.out" <<'EOF'
import re, sys
STRUCT_CALLS = {"rt_sigprocmask", "rt_sigaction", "rt_sigsuspend", "signalfd4", "stat", "fstat",
                "lstat", "newfstatat", "statx", "prlimit64", "getrlimit", "setrlimit", "wait4",
                "getdents64", "execve", "sendmsg", "recvmsg"}
def norm_args(name, body):
    a = body[body.index("(") + 1:]
    a = re.sub(r"\)\s+=\s+.*$", ")", a)
    a = re.sub(r"<(?:[^<>]|->)*>", "", a)          # fd names
    a = re.sub(r"0x[0-9a-f]+", "ADDR", a)
    a = re.sub(r"\[\d+\]", "[INO]", a)
    if name == "wait4": a = re.sub(r"^\d+", "PID", a)
    # wait4(-1) reaps whichever child ends first (the two ends of a pipe race).
    if name == "wait4" and a.startswith("-1,"): a = re.sub(r"== \w+", "== ?", a)
    return a
def parse(path, strace):
    seqs, order = {}, []
    texts = {}
    pending = {}
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"^(?:\[pid\s+(\d+)\]\s+|(\d+)\s+)?(.*)$", line)
        pid = m.group(1) or m.group(2) or "main"
        body = m.group(3)
        if body.startswith("+++") or body.startswith("---"):
            continue
        if "<unfinished ...>" in body:
            pending[pid] = body.split("(", 1)[0]
            continue
        r = re.match(r"^<\.\.\. (\w+) resumed>.*\)\s+=\s+(.*)$", body)
        text = None
        if r:
            name, ret = r.group(1), r.group(2)
        else:
            r = re.match(r"^(\w+)\(.*\)\s+=\s+(.*)$", body)
            if not r:
                continue
            name, ret = r.group(1), r.group(2)
            if name in STRUCT_CALLS: text = norm_args(name, body)
        if name == "rt_sigreturn":
            continue  # where SIGCHLD lands is timing, not tracing
        ret = ret.split(" <")[0].split("<")[0].strip()
        tok = ret.split()[0] if ret else ret
        if re.match(r"^0x[0-9a-f]+$", tok): tok = "ADDR"
        if name in ("clone", "clone3", "fork", "vfork", "wait4", "getpid", "getppid", "gettid", "set_tid_address", "rt_sigreturn"): tok = "PID" if tok.isdigit() and int(tok) > 0 else tok
        if ret.startswith("-1"): tok = " ".join(ret.split()[:2])
        if pid not in seqs:
            seqs[pid] = []
            order.append(pid)
        seqs[pid].append((name, tok))
        texts[(pid, len(seqs[pid]) - 1)] = text
    return [seqs[p] for p in order], [[texts[(p, j)] for j in range(len(seqs[p]))] for p in order]

s, stext = parse(sys.argv[1], True)
t, ttext = parse(sys.argv[2], False)
# Pair each strace process with the trace process whose calls agree longest
# with it (siblings such as the two ends of a pipe start in either order).
def prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]: n += 1
    return n
free = list(range(len(t)))
pairs = []
for i in range(len(s)):
    if not free: break
    k = max(free, key=lambda j: (prefix(s[i], t[j]), -j))
    free.remove(k)
    pairs.append(k)
t = [t[k] for k in pairs]
ttext = [ttext[k] for k in pairs]
matched, diffs = 0, []
decoded = decoded_same = 0
for i, (a, b) in enumerate(zip(s, t)):
    n = min(len(a), len(b))
    for j in range(n):
        if a[j] == b[j]:
            matched += 1
            x, y = stext[i][j], ttext[i][j]
            if x is not None and y is not None:  # both complete lines of a struct call
                decoded += 1
                if x == y:
                    decoded_same += 1
                else:
                    diffs.append(f"process #{i} call #{j} {a[j][0]} arguments:\n    strace {x}\n    trace  {y}")
        else:
            diffs.append(f"process #{i} call #{j}: strace {a[j]} trace {b[j]}")
            break
    if len(a) != len(b):
        extra = a[n:] or b[n:]
        diffs.append(f"process #{i}: strace {len(a)} calls, trace {len(b)} calls (last: {extra[:3]})")
if len(s) != len(t):
    diffs.append(f"strace saw {len(s)} processes, trace {len(t)}")
print(f"fidelity: {len(s)} processes, {sum(map(len, s))} calls under strace, {matched} matched in order; "
      f"struct arguments: {decoded_same} of {decoded} the same")
for d in diffs[:10]:
    print("  DIFF", d)
sys.exit(1 if diffs else 0)
EOF
