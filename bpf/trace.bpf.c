// SPDX-License-Identifier: GPL-2.0
/* trace.bpf.c: the kernel side of fdscope's trace.
 *
 * tp_btf/sys_enter records the arguments of a system call made by a traced
 * process into the thread's task-local storage; tp_btf/sys_exit pairs it with
 * the return value, captures strings, socket addresses and payload bytes from
 * user memory, and pushes one record per completed call into a ring buffer
 * (and/or adds it to per-CPU statistics for -c).  A thread's first sys_exit
 * after clone has no stored entry and is ignored, so orphans never show.
 *
 * Filtering happens here: the traced process set is a hash of tgids
 * (followed across fork when -f is on), the syscall set is a table in
 * read-only data filled in by the loader.  Ring-buffer wake-ups are batched:
 * records are committed without a wake-up unless the buffer is filling up;
 * the reader polls on a short timer.  Every failed reservation is counted in
 * a per-CPU counter that the user side reports.  TCP state changes and the
 * relay USDT probes feed the same ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/usdt.bpf.h>

#include "trace.h"

char LICENSE[] SEC("license") = "GPL";

/* Loader-set configuration (rodata: fixed before load). */
const volatile struct trace_sc_plan sc_plan[TRACE_MAX_SYSCALLS] = {};
const volatile __u8 follow_forks = 0;
const volatile __u8 emit_events = 1;   /* per-call records into the ring buffer */
const volatile __u8 count_stats = 0;   /* -c statistics */
const volatile __u8 trace_all_pids = 0;
const volatile __u32 single_tgid = 0;  /* one target, no -f: compare, skip the hash */
const volatile __u32 snap_len = 32;    /* payload bytes per call */
const volatile __u32 wakeup_bytes = 0; /* force a wake-up beyond this backlog */
const volatile __u8 tcp_events = 0;    /* --tcp: adopt accepted sockets at accept's exit */
/* What the traced calls capture, all together (enum trace_plan_kinds): a
 * capture step no traced call needs is never called, so the verifier never
 * looks at it (global functions are verified only when reachable). */
const volatile __u8 plan_kinds = 0xff;
/* Exit-only mode: no sys_enter hook.  The exit program reads the number and
 * arguments from the task's saved registers (they are unchanged at exit);
 * entry times are unknown (ts_enter 0).  Calls whose plan needs the entry
 * (TRACE_PLAN_EXEC) still come from an entry hook through task storage. */
const volatile __u8 exit_only = 0;

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 8 * 1024 * 1024); /* resized by the loader */
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(map_flags, BPF_F_NO_PREALLOC); /* updated only at attach and fork */
  __uint(max_entries, 16384);
  __type(key, __u32);   /* tgid */
  __type(value, __u8);
} targets SEC(".maps");

struct pending {
  __u64 ts;
  __u64 args[6];
  __s32 nr;
  __u16 exec_len;
  __u16 exec_argc;
  __u32 exec_envc;   /* envp entries + 1 (0: not counted) */
  __u8 exec_buf[TRACE_STR_MAX * 2];
};

struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct pending);
} inflight SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, TRACE_MAX_SYSCALLS);
  __type(key, __u32);
  __type(value, struct trace_sc_stats);
} stats SEC(".maps");

/* Index 0: failed ring-buffer reservations (records lost). */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} lost SEC(".maps");

/* The user's struct msghdr (x86-64 layout). */
struct msghdr_user {
  __u64 name;
  __u32 namelen;
  __u32 pad0;
  __u64 iov;
  __u64 iovlen;
  __u64 control;
  __u64 controllen;
  __s32 flags;
};

/* Scratch space where a record is assembled before bpf_ringbuf_output. */
#define SCRATCH_VAR (TRACE_DATA_MAX * 4)
struct scratch {
  struct trace_syscall_event ev;
  __u8 var[SCRATCH_VAR];
  /* Filled during the iovec/message walk, copied after the payload at the
   * end (their sizes are known only then). */
  struct trace_msg_desc msgs[TRACE_MSG_MAX];
  __u64 iovs[TRACE_IOV_MAX];
  __u32 nmsg, nlen;     /* cap_mmsg's counts */
  /* sendmsg/recvmsg: the msghdr, read once at exit for the address,
   * payload and msg_control captures (msg_ok: the read succeeded). */
  struct msghdr_user msg;
  __u32 msg_ok;
  struct pending pend;  /* exit-only mode: the call, read from the registers */
};

/* One slot per CPU (a plain array: per-CPU values are limited to 32 KiB).
 * sys_exit never nests on one CPU, so a slot has one user at a time. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1); /* set to the number of possible CPUs by the loader */
  __type(key, __u32);
  __type(value, struct scratch);
} scratch_map SEC(".maps");

/* TCP sockets of traced processes: sk -> owner tgid<<32|tid.  Adopted when
 * the owner connects or listens (state change in its own context) or
 * accepts (sys_exit of accept/accept4 looks the new fd up). */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, __u64);
  __type(value, __u64);
} tcp_socks SEC(".maps");

/* v & m in a way the compiler cannot fold away, so the verifier sees the
 * bound right where the value is used (m must be a literal). */
#define BOUND(v, m)                                   \
  ({                                                  \
    __u64 __v = (__u64)(v);                           \
    asm volatile("%0 &= " #m : "+r"(__v));            \
    __v;                                              \
  })

static __always_inline void count_lost(void)
{
  __u32 zero = 0;
  __u64 *n = bpf_map_lookup_elem(&lost, &zero);
  if (n) *n += 1;
}

static __always_inline __u64 wake_flags(void)
{
  if (wakeup_bytes && bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
    return BPF_RB_FORCE_WAKEUP;
  return BPF_RB_NO_WAKEUP;
}

static __always_inline bool is_target(__u32 tgid)
{
  if (trace_all_pids) return true;
  if (single_tgid) return tgid == single_tgid;
  return bpf_map_lookup_elem(&targets, &tgid) != NULL;
}

/* floor(log2(v)) for v > 0, without branches: the bits below the highest
 * one are set, then counted.  A branch per halving (the usual form) made the
 * verifier walk every combination of the six tests: 3,700 instructions and
 * ~3 ms when trace -c loads, against 270 and ~0.6 ms here. */
static __always_inline __u32 log2_u64(__u64 v)
{
  v |= v >> 1;
  v |= v >> 2;
  v |= v >> 4;
  v |= v >> 8;
  v |= v >> 16;
  v |= v >> 32;
  v = v - ((v >> 1) & 0x5555555555555555ULL);
  v = (v & 0x3333333333333333ULL) + ((v >> 2) & 0x3333333333333333ULL);
  v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return (__u32)((v * 0x0101010101010101ULL) >> 56) - 1;
}

/* Four buckets per power of two: 0..3 exact, then (msb-1)*4 + next two bits. */
static __always_inline __u32 hist_bucket(__u64 ns)
{
  if (ns < 4) return (__u32)ns;
  __u32 msb = log2_u64(ns);
  __u32 idx = (msb - 1) * 4 + (__u32)((ns >> (msb - 2)) & 3);
  return idx < TRACE_HIST_BUCKETS ? idx : TRACE_HIST_BUCKETS - 1;
}

/* Counting the pointers of a NULL-terminated array (execve's envp), one
 * entry per bpf_loop step. */
struct ptr_count {
  const __u64 *vec;
  __u32 n;
  __u32 done;
};

static long ptr_count_step(__u64 i, void *ctx)
{
  struct ptr_count *c = ctx;
  __u64 v = 0;
  if (bpf_probe_read_user(&v, sizeof(v), &c->vec[i])) return 1;
  if (!v) {
    c->done = 1;
    return 1;
  }
  c->n++;
  return 0;
}

/* Entry of a system call: from the raw hook (regs) or from a per-syscall
 * tracepoint (args); exactly one of the two is non-NULL and constant at each
 * inlined call site. */
static __always_inline int on_enter(long id, const struct pt_regs *regs, const __u64 *targs)
{
  if (id < 0 || id >= TRACE_MAX_SYSCALLS) return 0;
  __u32 nr = (__u32)id;
  __u8 flags = sc_plan[nr].flags;
  if (!(flags & TRACE_PLAN_TRACED)) return 0;
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  if (!is_target(pid_tgid >> 32)) return 0;

  struct task_struct *task = bpf_get_current_task_btf();
  struct pending *p = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
  if (!p) return 0;
  p->nr = (__s32)nr;
  if (!emit_events) {
    /* -c alone: only the start time matters. */
    p->ts = bpf_ktime_get_ns();
    return 0;
  }
  if (regs) {
    p->args[0] = regs->di;
    p->args[1] = regs->si;
    p->args[2] = regs->dx;
    p->args[3] = regs->r10;
    p->args[4] = regs->r8;
    p->args[5] = regs->r9;
  } else {
    for (int i = 0; i < 6; i++) p->args[i] = targs[i];
  }
  p->exec_len = 0;
  p->exec_argc = 0;
  if ((flags & TRACE_PLAN_EXEC) && emit_events) {
    /* execve replaces the memory image: read path and argv now. */
    __u8 sa = sc_plan[nr].str_arg[0];
    __u8 aa = sc_plan[nr].str_arg[1];
    if (sa < 6 && aa < 6) {
      __u32 off = 0;
      long n = bpf_probe_read_user_str(p->exec_buf, TRACE_STR_MAX, (const void *)p->args[sa]);
      if (n > 0) off = (__u32)n;
      const char *const *argv = (const char *const *)p->args[aa];
      __u16 argc = 0;
      for (int i = 0; i < TRACE_EXEC_ARGS; i++) {
        const char *arg = NULL;
        if (!argv || bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg) break;
        if (off >= TRACE_STR_MAX) break;
        n = bpf_probe_read_user_str(p->exec_buf + BOUND(off, 255), TRACE_STR_MAX / 2, arg);
        if (n <= 0) break;
        off += (__u32)n;
        argc++;
      }
      p->exec_len = (__u16)off;
      p->exec_argc = argc;
    }
    /* strace's "N vars" comment: the environment's size, before it is gone. */
    p->exec_envc = 0;
    __u8 ea = sc_plan[nr].st_arg[0];
    if (sc_plan[nr].st_kind[0] == TRACE_ST_ENVC && ea < 6 && p->args[ea]) {
      struct ptr_count c = {.vec = (const __u64 *)p->args[ea]};
      bpf_loop(65536, ptr_count_step, &c, 0);
      if (c.done) p->exec_envc = c.n + 1;
    }
  }
  p->ts = bpf_ktime_get_ns();
  return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(trace_sys_enter, struct pt_regs *regs, long id)
{
  return on_enter(id, regs, NULL);
}

/* Copies up to len bytes of user memory at src into var[off..]; returns the
 * bytes copied.  Offsets and lengths are masked so the verifier can bound
 * them; callers never pass more than TRACE_DATA_MAX. */
static __always_inline __u32 copy_user(struct scratch *s, __u32 off, const void *src, __u32 len)
{
  if (len > TRACE_DATA_MAX) len = TRACE_DATA_MAX;
  if (len == 0) return 0;
  __u64 o = BOUND(off, 32767);
  __u64 l = BOUND(len, 32767);
  if (bpf_probe_read_user(s->var + o, l, src)) return 0;
  return len;
}

struct iovec_user {
  __u64 base;
  __u64 len;
};


struct mmsghdr_user {
  struct msghdr_user hdr;
  __u32 len;
  __u32 pad;
};

/* State of one iovec walk (the iovec array of one message). */
struct iov_walk {
  struct scratch *s;
  const struct iovec_user *iov;
  __u64 cnt;     /* iovecs in the array */
  __u32 off;     /* where this message's payload starts in var */
  __u32 want;    /* payload bytes still wanted for it */
  __u32 got;
  __u32 nlen;    /* iov lengths recorded so far, all messages together */
  __u32 mylen;   /* ... of them this message's */
};

/* One iovec entry per bpf_loop step (the callback is verified once, not once
 * per entry): record its length while there is room, copy its bytes while
 * the message wants more. */
static long iov_step(__u64 i, void *ctx)
{
  struct iov_walk *w = ctx;
  if (i >= w->cnt) return 1;
  if (w->got >= w->want && w->nlen >= TRACE_IOV_MAX) return 1;
  struct iovec_user v;
  if (bpf_probe_read_user(&v, sizeof(v), &w->iov[i])) return 1;
  if (w->nlen < TRACE_IOV_MAX) {
    w->s->iovs[w->nlen & (TRACE_IOV_MAX - 1)] = v.len;
    w->nlen++;
    w->mylen++;
  }
  if (w->got < w->want) {
    __u32 room = w->want - w->got;
    __u32 chunk = v.len < (__u64)room ? (__u32)v.len : room;
    __u32 n = copy_user(w->s, w->off + w->got, (const void *)v.base, chunk);
    w->got += n;
    if (n != chunk) w->want = w->got; /* unreadable: stop copying */
  }
  return 0;
}

/* Walks one iovec array: payload into var[w->off..], lengths into s->iovs. */
static __always_inline void walk_iov(struct iov_walk *w)
{
  bpf_loop(TRACE_IOV_WALK, iov_step, w, 0);
}

/* State of a sendmmsg/recvmmsg walk. */
struct mmsg_walk {
  struct scratch *s;
  const struct mmsghdr_user *vec;
  __u64 cnt;     /* messages moved (the return value) */
  __u32 off;     /* payload end so far */
  __u32 budget;  /* payload bytes left for all messages */
  __u32 nlen;
  __u32 total;   /* sum of msg_len */
  __u32 nmsg;
};

static long mmsg_step(__u64 k, void *ctx)
{
  struct mmsg_walk *m = ctx;
  if (k >= m->cnt || k >= TRACE_MSG_MAX) return 1;
  struct mmsghdr_user h;
  if (bpf_probe_read_user(&h, sizeof(h), &m->vec[k])) return 1;
  __u32 want = h.len < snap_len ? h.len : snap_len;
  if (want > m->budget) want = m->budget;
  struct iov_walk w = {.s = m->s, .iov = (const struct iovec_user *)h.hdr.iov,
                       .cnt = h.hdr.iovlen, .off = m->off, .want = want, .nlen = m->nlen};
  walk_iov(&w);
  struct trace_msg_desc *d = &m->s->msgs[k & (TRACE_MSG_MAX - 1)];
  d->msg_len = h.len;
  d->data_len = w.got;
  d->iovlen = (__u32)h.hdr.iovlen;
  d->namelen = h.hdr.namelen;
  d->controllen = h.hdr.controllen;
  d->flags = h.hdr.flags;
  d->iov_cnt = (__u16)w.mylen;
  d->pad = 0;
  m->off += w.got;
  m->budget -= w.got;
  m->nlen = w.nlen;
  m->total += h.len;
  m->nmsg = (__u32)k + 1;
  return 0;
}

/* The struct sock behind fd of the current task (NULL if none). */
static __always_inline void adopt_fd_socket(int fd)
{
  struct task_struct *task = bpf_get_current_task_btf();
  struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
  if (!fdt || fd < 0 || (unsigned)fd >= BPF_CORE_READ(fdt, max_fds)) return;
  struct file **fds = BPF_CORE_READ(fdt, fd);
  struct file *f = NULL;
  if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f) return;
  struct socket *sock = (struct socket *)BPF_CORE_READ(f, private_data);
  if (!sock) return;
  struct sock *sk = BPF_CORE_READ(sock, sk);
  if (!sk) return;
  __u64 key = (__u64)sk;
  __u64 owner = bpf_get_current_pid_tgid();
  bpf_map_update_elem(&tcp_socks, &key, &owner, BPF_ANY);
}

/* The capture steps of a call's exit.  They are global functions, so the
 * verifier checks each once with unknown arguments instead of once per path
 * through the others (which made loading the exit program take a quarter of
 * a second).  Each returns the new end of the variable part; a caller masks
 * it before use. */
__noinline int cap_strings(struct scratch *s, struct pending *p, __u32 nr)
{
  if (!s || !p || nr >= TRACE_MAX_SYSCALLS) return 0;
  const volatile struct trace_sc_plan *row = &sc_plan[nr];
  struct trace_syscall_event *ev = &s->ev;
  __u8 flags = row->flags;
  __u32 off = 0;
  if (flags & TRACE_PLAN_EXEC) {
    __u32 n = p->exec_len;
    if (n > sizeof(p->exec_buf)) n = sizeof(p->exec_buf);
    if (n && !bpf_probe_read_kernel(s->var, BOUND(n, 1023), p->exec_buf)) {
      ev->str_len[0] = (__u16)n;
      ev->aux = p->exec_argc;
      off = n;
    }
  } else {
    for (int i = 0; i < 2; i++) {
      __u8 a = row->str_arg[i];
      if (a >= 6) continue;
      long n = bpf_probe_read_user_str(s->var + BOUND(off, 32767), TRACE_STR_MAX,
                                       (const void *)p->args[a]);
      if (n > 0) {
        ev->str_len[i] = (__u16)n;
        off += (__u32)n;
      }
    }
  }

  return off;
}

__noinline int cap_addr(struct scratch *s, struct pending *p, __u32 nr, __u32 off, long ret)
{
  if (!s || !p || nr >= TRACE_MAX_SYSCALLS) return 0;
  const volatile struct trace_sc_plan *row = &sc_plan[nr];
  struct trace_syscall_event *ev = &s->ev;
  __u8 flags = row->flags;
  off &= 1023;
  __u8 dk = row->data_kind;
  __u8 aarg = row->addr_arg;
  __u8 larg = row->addrlen_arg;
  /* sendmsg/recvmsg: the msghdr's msg_name is the address. */
  if (dk == TRACE_DATA_MSG) {
    __u32 alen = s->msg_ok ? s->msg.namelen : 0;
    if (alen > TRACE_ADDR_MAX) alen = TRACE_ADDR_MAX;
    if (s->msg.name && alen && (ret >= 0 || !(flags & TRACE_PLAN_DATA_IN)) &&
        !bpf_probe_read_user(s->var + BOUND(off, 32767), BOUND(alen, 255), (const void *)s->msg.name)) {
      ev->addr_len = (__u16)alen;
      off += alen;
    }
  } else if (aarg < 6 && (larg < 6 || (flags & TRACE_PLAN_FDPAIR)) && p->args[aarg] &&
             (ret >= 0 || !(flags & (TRACE_PLAN_ADDR_PTRLEN | TRACE_PLAN_FDPAIR)))) {
    __u32 alen = 0;
    if (flags & TRACE_PLAN_FDPAIR) {
      alen = 8;
    } else if (larg >= 6) {
      alen = 0;
    } else if (flags & TRACE_PLAN_ADDR_PTRLEN) {
      if (p->args[larg]) bpf_probe_read_user(&alen, sizeof(alen), (const void *)p->args[larg]);
    } else {
      alen = (__u32)p->args[larg];
    }
    if (alen > TRACE_ADDR_MAX) alen = TRACE_ADDR_MAX;
    if (alen && !bpf_probe_read_user(s->var + BOUND(off, 32767), BOUND(alen, 255),
                                     (const void *)p->args[aarg])) {
      ev->addr_len = (__u16)alen;
      off += alen;
    }
  }

  return off;
}

/* sendmmsg/recvmmsg: every message moved (up to TRACE_MSG_MAX), each up to
 * the snap length; returns the payload bytes captured. */
__noinline int cap_mmsg(struct scratch *s, __u64 vec, __u32 off, long ret)
{
  if (!s) return 0;
  off &= 1023;
  struct mmsg_walk mw = {.s = s, .vec = (const struct mmsghdr_user *)vec,
                         .cnt = (__u64)ret, .off = off, .budget = TRACE_DATA_MAX};
  bpf_loop(TRACE_MSG_MAX, mmsg_step, &mw, 0);
  s->nmsg = mw.nmsg;
  s->nlen = mw.nlen;
  s->ev.data_total = mw.total;
  return mw.off - off;
}

__noinline int cap_data(struct scratch *s, struct pending *p, __u32 nr, __u32 off, long ret)
{
  if (!s || !p || nr >= TRACE_MAX_SYSCALLS) return 0;
  const volatile struct trace_sc_plan *row = &sc_plan[nr];
  struct trace_syscall_event *ev = &s->ev;
  __u8 flags = row->flags;
  off &= 1023;
  __u8 dk = row->data_kind;
  __u8 darg = row->data_arg;
  bool have_msg = dk == TRACE_DATA_MSG && s->msg_ok;
  __u32 nmsg = 0, nlen = 0;
  if (dk != TRACE_DATA_NONE && darg < 6) {
    __u32 want = ret > 0 && (__u64)ret < snap_len ? (__u32)ret : (ret > 0 ? snap_len : 0);
    if (want > TRACE_DATA_MAX) want = TRACE_DATA_MAX;
    __u32 got = 0;
    if (dk == TRACE_DATA_BUF) {
      got = copy_user(s, off, (const void *)p->args[darg], want);
      ev->data_total = ret > 0 ? (__u32)ret : 0;
    } else if (dk == TRACE_DATA_MMSG) {
      if ((plan_kinds & TRACE_KIND_MMSG) && ret > 0) {
        got = (__u32)cap_mmsg(s, p->args[darg], off, ret) & 32767;
        nmsg = s->nmsg;
        nlen = s->nlen;
      }
    } else {
      /* readv/writev and the iovec of a msghdr: one walk, one descriptor;
       * lengths are recorded even when the call failed. */
      struct iov_walk w = {.s = s, .off = off, .want = want};
      __u8 carg = row->len_arg;
      if (dk == TRACE_DATA_IOV && carg < 6) {
        w.iov = (const struct iovec_user *)p->args[darg];
        w.cnt = p->args[carg];
      } else if (have_msg) {
        w.iov = (const struct iovec_user *)s->msg.iov;
        w.cnt = s->msg.iovlen;
      }
      if (w.iov) {
        walk_iov(&w);
        got = w.got;
        nlen = w.nlen;
        nmsg = 1;
        struct trace_msg_desc *d = &s->msgs[0];
        d->msg_len = ret > 0 ? (__u32)ret : 0;
        d->data_len = got;
        d->iovlen = (__u32)w.cnt;
        d->namelen = have_msg ? s->msg.namelen : 0;
        d->controllen = have_msg ? s->msg.controllen : 0;
        d->flags = have_msg ? s->msg.flags : 0;
        d->iov_cnt = (__u16)w.mylen;
        d->pad = 0;
      }
      ev->data_total = ret > 0 ? (__u32)ret : 0;
    }
    ev->data_len = (__u16)got;
    off += got;
  }
  if (nmsg || nlen) {
    off = (off + 7) & ~7u;
    if (nmsg > TRACE_MSG_MAX) nmsg = TRACE_MSG_MAX;
    __u32 mb = nmsg * sizeof(struct trace_msg_desc);
    if (mb && !bpf_probe_read_kernel(s->var + BOUND(off, 32767),
                                     BOUND(mb, 1023), s->msgs)) {
      ev->msg_cnt = (__u16)nmsg;
      off += mb;
    }
    if (nlen > TRACE_IOV_MAX) nlen = TRACE_IOV_MAX;
    __u32 lb = nlen * 8;
    if (lb && !bpf_probe_read_kernel(s->var + BOUND(off, 32767), BOUND(lb, 1023), s->iovs)) {
      ev->iov_cnt = (__u16)nlen;
      off += lb;
    }
  }

  return off;
}

/* getdents64: records in the ret bytes the kernel filled, one per step. */
struct dirent_walk {
  __u64 buf;
  __u64 len;
  __u64 pos;
  __u32 n;
};

static long dirent_step(__u64 i, void *ctx)
{
  struct dirent_walk *w = ctx;
  if (w->pos + 19 > w->len) return 1;
  __u16 reclen = 0;
  if (bpf_probe_read_user(&reclen, sizeof(reclen), (const void *)(w->buf + w->pos + 16)) || !reclen)
    return 1;
  w->n++;
  w->pos += reclen;
  return 0;
}

/* One struct capture of a call (plan st_kind[i]): copies at most st_size
 * bytes behind a pointer argument, or writes a count, at var[off..]; returns
 * the bytes written.  A global function, so the verifier checks it once
 * rather than once per slot and per path through the others. */
__noinline int cap_struct(struct scratch *s, struct pending *p, __u32 nr, __u32 slot_off, long ret)
{
  /* slot_off: the slot in bits 16 and up, the offset below (BPF functions
   * take at most five arguments). */
  __u32 i = (__u32)BOUND(slot_off >> 16, 3);
  __u32 off = slot_off & 32767;
  if (!s || !p || nr >= TRACE_MAX_SYSCALLS || i >= TRACE_ST_SLOTS) return 0;
  const volatile struct trace_sc_plan *row = &sc_plan[BOUND(nr, 511)];
  const bool ok = !(ret < 0 && ret >= -4095);
  __u8 k = row->st_kind[i];
  __u8 a = row->st_arg[i];
  if (k == TRACE_ST_NONE || a >= 6) return 0;
  const void *ptr = (const void *)p->args[a];
  __u64 size = row->st_size[i];
  __u8 la = row->st_lenarg[i];
  if (la < 6 && p->args[la] < size) size = p->args[la];
  __u32 n = 0;
  __u32 count = 0;
  bool counted = false;
  if (k == TRACE_ST_IN || (k == TRACE_ST_OUT && ok)) {
    n = (__u32)size;
  } else if (k == TRACE_ST_RET && ok && ret > 0) {
    n = (__u64)ret < size ? (__u32)ret : (__u32)size;
  } else if (k == TRACE_ST_DIRENTS && ok && ret >= 0) {
    struct dirent_walk w = {.buf = (__u64)ptr, .len = (__u64)ret};
    if (ret > 0) bpf_loop(65536, dirent_step, &w, 0);
    count = w.n;
    counted = true;
  } else if (k == TRACE_ST_ENVC) {
    if (p->exec_envc) {
      count = p->exec_envc - 1;
      counted = true;
    }
  } else if (k == TRACE_ST_CMSG && (ok || !(row->flags & TRACE_PLAN_DATA_IN))) {
    /* The msghdr the exit program read (the plan's data argument, as
     * here: sendmsg/recvmsg's second). */
    if (ptr && s->msg_ok && s->msg.control) {
      ptr = (const void *)s->msg.control;
      n = s->msg.controllen < size ? (__u32)s->msg.controllen : (__u32)size;
    }
  }
  if (counted) {
    if (bpf_probe_read_kernel(s->var + BOUND(off, 32767), 4, &count)) return 0;
    return 4;
  }
  if (k == TRACE_ST_SIGMASK_ARG) {
    /* Two reads: the {set pointer, size} pair, then the set it names. */
    __u64 pair[2] = {};
    if (!ptr || bpf_probe_read_user(pair, sizeof(pair), ptr)) return 0;
    if (bpf_probe_read_kernel(s->var + BOUND(off, 32767), sizeof(pair), pair)) return 0;
    if (!pair[0] || bpf_probe_read_user(s->var + BOUND(off + 16, 32767), 8, (const void *)pair[0]))
      return 16;
    return 24;
  }
  if (!n || !ptr || bpf_probe_read_user(s->var + BOUND(off, 32767), BOUND(n, 255), ptr)) return 0;
  return (int)n;
}

static __always_inline bool is_fork_call(__u32 nr)
{
  return nr == 56 /* clone */ || nr == 57 /* fork */ || nr == 58 /* vfork */ ||
         nr == 435 /* clone3 */;
}

/* Exit of a system call.  regs: the task's saved registers (exit-only mode
 * reads the call from them); hook_nr: the number the hook names, or -1. */
static __always_inline int on_exit(void *ctx, long ret, const struct pt_regs *regs, long hook_nr)
{
  struct task_struct *task = bpf_get_current_task_btf();
  struct pending *p = NULL;
  struct scratch *s = NULL;
  __u64 now, start = 0;
  __u32 nr;
  if (exit_only) {
    if (hook_nr < 0) hook_nr = regs ? (long)regs->orig_ax : -1;
    if (hook_nr < 0 || hook_nr >= TRACE_MAX_SYSCALLS) return 0;
    nr = (__u32)hook_nr;
    __u8 fl = sc_plan[nr].flags;
    if (!(fl & TRACE_PLAN_TRACED)) return 0;
    if (!is_target(bpf_get_current_pid_tgid() >> 32)) return 0;
    if (fl & TRACE_PLAN_EXEC) {
      /* The entry hook captured it (path and argv are gone by now). */
      p = bpf_task_storage_get(&inflight, task, 0, 0);
      if (!p || !p->ts) return 0;
      start = p->ts;
      p->ts = 0;
    } else if (ret == 0 && is_fork_call(nr)) {
      return 0; /* a new task's first return: its parent reports the call */
    }
    now = bpf_ktime_get_ns();
    __u32 cpu = bpf_get_smp_processor_id();
    s = bpf_map_lookup_elem(&scratch_map, &cpu);
    if (!s) return 0;
    if (!p) {
      if (!regs) return 0;
      p = &s->pend;
      p->args[0] = regs->di;
      p->args[1] = regs->si;
      p->args[2] = regs->dx;
      p->args[3] = regs->r10;
      p->args[4] = regs->r8;
      p->args[5] = regs->r9;
      p->exec_len = 0;
      p->exec_argc = 0;
      p->exec_envc = 0;
    }
  } else {
    /* One target: a compare spares every other task the storage lookup. */
    if (single_tgid && (bpf_get_current_pid_tgid() >> 32) != single_tgid) return 0;
    p = bpf_task_storage_get(&inflight, task, 0, 0);
    if (!p || !p->ts) return 0; /* not traced, or an exit with no entry (new thread) */
    now = bpf_ktime_get_ns();
    start = p->ts;
    p->ts = 0;
    nr = (__u32)p->nr;
    if (nr >= TRACE_MAX_SYSCALLS) return 0;
    if (count_stats) {
      struct trace_sc_stats *st = bpf_map_lookup_elem(&stats, &nr);
      if (st) {
        __u64 d = now - start;
        st->calls++;
        if (ret < 0 && ret > -4096) st->errors++;
        st->total_ns += d;
        __u32 b = hist_bucket(d);
        if (b < TRACE_HIST_BUCKETS) st->hist[b]++;
      }
    }
  }
  if (nr >= TRACE_MAX_SYSCALLS) return 0;
  /* One pointer to the plan row: it keeps its bounds when spilled. */
  const volatile struct trace_sc_plan *row = &sc_plan[nr];
  if (tcp_events && ret >= 0 && (nr == 43 /* accept */ || nr == 288 /* accept4 */))
    adopt_fd_socket((int)ret);
  if (!emit_events) return 0;

  if (!s) {
    __u32 cpu = bpf_get_smp_processor_id();
    s = bpf_map_lookup_elem(&scratch_map, &cpu);
    if (!s) return 0;
  }
  struct trace_syscall_event *ev = &s->ev;
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  ev->kind = TRACE_EV_SYSCALL;
  ev->nr = (__s32)nr;
  ev->pid = pid_tgid >> 32;
  ev->tid = (__u32)pid_tgid;
  ev->ts_enter = start;
  ev->ts_exit = now;
  for (int i = 0; i < 6; i++) ev->args[i] = p->args[i];
  ev->ret = ret;
  ev->str_len[0] = 0;
  ev->str_len[1] = 0;
  ev->addr_len = 0;
  ev->data_len = 0;
  ev->data_total = 0;
  ev->stack_len = 0;
  ev->aux = 0;
  ev->msg_cnt = 0;
  ev->iov_cnt = 0;
  ev->st_len[0] = ev->st_len[1] = ev->st_len[2] = ev->st_len[3] = 0;

  __u8 flags = row->flags;
  __u32 off = 0;
  /* sendmsg/recvmsg: the msghdr, read once here for cap_addr, cap_data
   * and cap_struct's msg_control. */
  s->msg_ok = 0;
  __u8 marg = row->data_arg;
  if (row->data_kind == TRACE_DATA_MSG && marg < 6 &&
      ((plan_kinds & (TRACE_KIND_ADDR | TRACE_KIND_DATA)) || row->st_kind[0] != TRACE_ST_NONE))
    s->msg_ok = !bpf_probe_read_user(&s->msg, sizeof(s->msg), (const void *)p->args[marg]);
  if (plan_kinds & (TRACE_KIND_STR | TRACE_KIND_EXEC)) off = (__u32)cap_strings(s, p, nr) & 1023;
  if (plan_kinds & TRACE_KIND_ADDR) off = (__u32)cap_addr(s, p, nr, off, ret) & 1023;
  if (plan_kinds & TRACE_KIND_DATA) off = (__u32)cap_data(s, p, nr, off, ret) & 32767;
  /* Struct captures (a call without any pays for this one test). */
  if (row->st_kind[0] != TRACE_ST_NONE) {
    for (__u32 i = 0; i < TRACE_ST_SLOTS; i++) {
      __u32 n = (__u32)cap_struct(s, p, nr, (i << 16) | off, ret) & 255;
      ev->st_len[i & 3] = (__u8)n;
      off = (off + n) & 32767;
    }
  }
  if (flags & TRACE_PLAN_STACK) {
    off = (off + 7) & ~7u;
    long n = bpf_get_stack(ctx, s->var + BOUND(off, 32767), TRACE_STACK_MAX * 8, BPF_F_USER_STACK);
    if (n > 0) {
      ev->stack_len = (__u16)(n / 8);
      off += (__u32)n;
    }
  }

  __u64 size = sizeof(*ev) + BOUND(off, 65535);
  if (bpf_ringbuf_output(&events, s, size, wake_flags())) count_lost();
  return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(trace_sys_exit, struct pt_regs *regs, long ret)
{
  return on_exit(ctx, ret, regs, -1);
}

/* The per-syscall tracepoints (syscalls:sys_enter_NAME / sys_exit_NAME),
 * used instead of the raw hooks for a narrow -e filter: the kernel then
 * calls BPF only for the selected calls.  Layouts from
 * /sys/kernel/tracing/events/syscalls/<event>/format. */
struct syscall_enter_args {
  __u64 common;
  __s32 nr;
  __u32 pad;
  __u64 args[6];
};

struct syscall_exit_args {
  __u64 common;
  __s32 nr;
  __u32 pad;
  __s64 ret;
};

SEC("tracepoint")
int trace_tp_enter(struct syscall_enter_args *ctx)
{
  /* A call with fewer than six arguments has a shorter record, and the
   * kernel refuses programs that load past it: copy with a helper instead
   * (the words past the record are never shown). */
  __u64 a[6] = {};
  bpf_probe_read_kernel(a, sizeof(a), ctx->args);
  return on_enter(ctx->nr, NULL, a);
}

SEC("tracepoint")
int trace_tp_exit(struct syscall_exit_args *ctx)
{
  const struct pt_regs *regs = NULL;
  if (exit_only) regs = (const struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
  return on_exit(ctx, ctx->ret, regs, ctx->nr);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(trace_fork, struct task_struct *parent, struct task_struct *child)
{
  if (trace_all_pids) return 0;
  __u32 ptgid = parent->tgid;
  __u32 ctgid = child->tgid;
  if (ptgid == ctgid) return 0; /* a new thread: covered by the tgid filter */
  if (!follow_forks) return 0;
  if (!bpf_map_lookup_elem(&targets, &ptgid)) return 0;
  __u8 one = 1;
  bpf_map_update_elem(&targets, &ctgid, &one, BPF_ANY);
  struct trace_proc_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_lost();
    return 0;
  }
  e->kind = TRACE_EV_PROC;
  e->what = TRACE_PROC_FORK;
  e->pid = ptgid;
  e->tid = parent->pid;
  e->child_pid = ctgid;
  e->child_tid = child->pid;
  e->ts = bpf_ktime_get_ns();
  e->exit_code = 0;
  e->pad = 0;
  __builtin_memcpy(e->comm, child->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return 0;
}

/* A call that never returns (exit, exit_group, or one in progress when the
 * task was killed): one record with ret 0 so the line is not missing. */
static __always_inline void report_unfinished(struct task_struct *task, __s32 nr,
                                              const __u64 *args, __u64 ts)
{
  struct trace_syscall_event *ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
  if (!ev) {
    count_lost();
    return;
  }
  ev->kind = TRACE_EV_SYSCALL;
  ev->nr = nr;
  ev->pid = task->tgid;
  ev->tid = task->pid;
  ev->ts_exit = bpf_ktime_get_ns();
  ev->ts_enter = ts;
  for (int i = 0; i < 6; i++) ev->args[i] = args[i];
  ev->ret = 0;
  ev->str_len[0] = ev->str_len[1] = 0;
  ev->addr_len = 0;
  ev->data_len = 0;
  ev->data_total = 0;
  ev->stack_len = 0;
  ev->aux = 0;
  ev->msg_cnt = 0;
  ev->iov_cnt = 0;
  ev->st_len[0] = ev->st_len[1] = ev->st_len[2] = ev->st_len[3] = 0;
  bpf_ringbuf_submit(ev, 0);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(trace_exit, struct task_struct *task)
{
  /* exit/exit_group never reach sys_exit: report the pending call here so
   * the line strace prints as "exit_group(0) = ?" is not missing. */
  struct pending *p = bpf_task_storage_get(&inflight, task, 0, 0);
  if (p && p->ts && emit_events) {
    report_unfinished(task, p->nr, p->args, p->ts);
    p->ts = 0;
  } else if (exit_only && emit_events) {
    /* No entry record: an exit or exit_group in progress is in the
     * registers.  (Any other call a dying task was in returned through
     * sys_exit first, and was reported there.) */
    struct pt_regs *r = (struct pt_regs *)bpf_task_pt_regs(task);
    long n = r ? (long)r->orig_ax : -1;
    if ((n == 60 /* exit */ || n == 231 /* exit_group */) &&
        (sc_plan[n].flags & TRACE_PLAN_TRACED) && is_target(task->tgid)) {
      __u64 args[6] = {r->di, r->si, r->dx, r->r10, r->r8, r->r9};
      report_unfinished(task, (__s32)n, args, 0);
    }
  }
  __u32 tgid = task->tgid;
  if (task->pid != tgid) return 0; /* only the thread-group leader ends a process */
  if (trace_all_pids || !bpf_map_lookup_elem(&targets, &tgid)) return 0;
  bpf_map_delete_elem(&targets, &tgid);
  struct trace_proc_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_lost();
    return 0;
  }
  e->kind = TRACE_EV_PROC;
  e->what = TRACE_PROC_EXIT;
  e->pid = tgid;
  e->tid = task->pid;
  e->child_pid = 0;
  e->child_tid = 0;
  e->ts = bpf_ktime_get_ns();
  e->exit_code = task->exit_code;
  e->pad = 0;
  __builtin_memcpy(e->comm, task->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return 0;
}

static __always_inline void fill_tcp_addrs(struct trace_tcp_event *e, const struct sock *sk)
{
  e->family = sk->__sk_common.skc_family;
  e->sport = sk->__sk_common.skc_num;
  e->dport = __builtin_bswap16(sk->__sk_common.skc_dport);
  __builtin_memset(e->saddr, 0, sizeof(e->saddr));
  __builtin_memset(e->daddr, 0, sizeof(e->daddr));
  if (e->family == 2 /* AF_INET */) {
    __builtin_memcpy(e->saddr, &sk->__sk_common.skc_rcv_saddr, 4);
    __builtin_memcpy(e->daddr, &sk->__sk_common.skc_daddr, 4);
  } else {
    bpf_probe_read_kernel(e->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
    bpf_probe_read_kernel(e->daddr, 16, &sk->__sk_common.skc_v6_daddr);
  }
}

/* Which traced process owns sk?  A socket is adopted when it changes state in
 * a traced process's context (connect, listen, close); later changes in
 * softirq context are then attributed to it. */
static __always_inline __u64 tcp_owner(const struct sock *sk, bool adopt)
{
  __u64 key = (__u64)sk;
  __u64 *owner = bpf_map_lookup_elem(&tcp_socks, &key);
  if (owner) return *owner;
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  /* Only a connect (CLOSE -> SYN_SENT) or listen (CLOSE -> LISTEN) is surely
   * the current process's own socket: on loopback the peer's transitions
   * also run in its context. */
  if (!adopt || !is_target(pid_tgid >> 32)) return 0;
  bpf_map_update_elem(&tcp_socks, &key, &pid_tgid, BPF_ANY);
  return pid_tgid;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(trace_tcp_state, const struct sock *sk, const int oldstate, const int newstate)
{
  if (sk->sk_protocol != 6 /* IPPROTO_TCP */) return 0;
  __u64 owner = tcp_owner(sk, oldstate == 7 /* CLOSE */ &&
                                 (newstate == 2 /* SYN_SENT */ || newstate == 10 /* LISTEN */));
  if (!owner) return 0;
  struct trace_tcp_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_lost();
    return 0;
  }
  e->kind = TRACE_EV_TCP;
  e->what = TRACE_TCP_STATE;
  e->pid = owner >> 32;
  e->tid = (__u32)owner;
  e->ts = bpf_ktime_get_ns();
  e->sk = (__u64)sk;
  e->pad = 0;
  e->oldstate = oldstate;
  e->newstate = newstate;
  fill_tcp_addrs(e, sk);
  bpf_ringbuf_submit(e, wake_flags());
  if (newstate == 7 /* TCP_CLOSE */) {
    __u64 key = (__u64)sk;
    bpf_map_delete_elem(&tcp_socks, &key);
  }
  return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(trace_tcp_retransmit, const struct sock *sk, const struct sk_buff *skb)
{
  __u64 owner = tcp_owner(sk, false);
  if (!owner) return 0;
  struct trace_tcp_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_lost();
    return 0;
  }
  e->kind = TRACE_EV_TCP;
  e->what = TRACE_TCP_RETRANSMIT;
  e->pid = owner >> 32;
  e->tid = (__u32)owner;
  e->ts = bpf_ktime_get_ns();
  e->sk = (__u64)sk;
  e->pad = 0;
  e->oldstate = sk->__sk_common.skc_state;
  e->newstate = sk->__sk_common.skc_state;
  fill_tcp_addrs(e, sk);
  bpf_ringbuf_submit(e, wake_flags());
  return 0;
}

/* relay USDT probes.  Every probe is attached to this one program with a
 * cookie naming it (enum trace_usdt_what); arguments are read generically and
 * accept/connect also copy the sockaddr their pointer argument names. */
struct usdt_record {
  struct trace_usdt_event ev;
  __u8 addr[TRACE_ADDR_MAX];
};

SEC("usdt")
int trace_usdt(struct pt_regs *ctx)
{
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  if (!is_target(pid_tgid >> 32)) return 0;
  struct usdt_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
  if (!r) {
    count_lost();
    return 0;
  }
  __u32 what = (__u32)bpf_usdt_cookie(ctx);
  struct trace_usdt_event *e = &r->ev;
  e->kind = TRACE_EV_USDT;
  e->what = what;
  e->pid = pid_tgid >> 32;
  e->tid = (__u32)pid_tgid;
  e->ts = bpf_ktime_get_ns();
  e->addr_len = 0;
  e->pad[0] = e->pad[1] = e->pad[2] = 0;
  int argc = bpf_usdt_arg_cnt(ctx);
  for (int i = 0; i < 6; i++) {
    long v = 0;
    if (i < argc) bpf_usdt_arg(ctx, i, &v);
    e->args[i] = (__u64)v;
  }
  int pa = -1;
  if (what == TRACE_USDT_ACCEPT) pa = 2;
  else if (what == TRACE_USDT_CONNECT) pa = 1;
  if (pa >= 0) {
    __u64 len = e->args[pa + 1];
    if (len > TRACE_ADDR_MAX) len = TRACE_ADDR_MAX;
    if (len && !bpf_probe_read_user(r->addr, len, (const void *)e->args[pa]))
      e->addr_len = (__u16)len;
  }
  bpf_ringbuf_submit(r, wake_flags());
  return 0;
}
