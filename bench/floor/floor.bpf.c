// SPDX-License-Identifier: GPL-2.0
/* floor.bpf.c: the reference costs ("floors") trace is measured against in
 * bench/trace_syscalls.sh.  Three minimal programs, each filtered on one
 * target tgid held in rodata:
 *   floor_count:    tp_btf/sys_enter, one per-CPU counter increment.
 *   floor_lat_enter/floor_lat_exit: the least a latency summary needs: the
 *                   entry time in task storage, at exit one per-CPU add of
 *                   the duration (no per-syscall table, no histogram).
 *   floor_pcpu_enter/floor_pcpu_exit: the latency floor with the entry time
 *                   in a per-CPU slot tagged with the thread id instead of
 *                   task storage (a call that blocks and migrates is lost:
 *                   a bound for what a slot design could save, not a design).
 *   floor_empty_enter/floor_empty_exit: return at once, no filter: what the
 *                   syscall tracepoint slow path alone costs (every task
 *                   then takes it: the work flag is global), the floor of any
 *                   design built on sys_enter/sys_exit or syscalls:*.
 *   floor_rb_enter/floor_rb_exit: pair entry and exit per thread and push one
 *                   small record per call into a ring buffer, with a wake-up
 *                   per record (batch == 0) or none (batch == 1; the reader
 *                   polls on a timer). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;
const volatile __u8 batch = 0;

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 3);
  __type(key, __u32);
  __type(value, __u64);
} counts SEC(".maps"); /* 0: calls, 1: lost records, 2: total ns */

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 8 * 1024 * 1024);
} rb SEC(".maps");

struct start {
  __u64 ts;
  __u64 nr;
};

struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct start);
} starts SEC(".maps");

struct rec {
  __u64 ts;
  __u64 dur;
  __u32 tid;
  __u32 nr;
  __s64 ret;
};

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_count, struct pt_regs *regs, long id)
{
  if ((bpf_get_current_pid_tgid() >> 32) != target_tgid) return 0;
  __u32 k = 0;
  __u64 *c = bpf_map_lookup_elem(&counts, &k);
  if (c) *c += 1;
  return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_empty_enter, struct pt_regs *regs, long id)
{
  return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_empty_exit, struct pt_regs *regs, long ret)
{
  return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_rb_enter, struct pt_regs *regs, long id)
{
  if ((bpf_get_current_pid_tgid() >> 32) != target_tgid) return 0;
  struct start *s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0,
                                         BPF_LOCAL_STORAGE_GET_F_CREATE);
  if (!s) return 0;
  s->nr = id;
  s->ts = bpf_ktime_get_ns();
  return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_rb_exit, struct pt_regs *regs, long ret)
{
  struct start *s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0, 0);
  if (!s || !s->ts) return 0;
  __u64 now = bpf_ktime_get_ns();
  struct rec *r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
  if (!r) {
    __u32 k = 1;
    __u64 *c = bpf_map_lookup_elem(&counts, &k);
    if (c) *c += 1;
    s->ts = 0;
    return 0;
  }
  r->ts = s->ts;
  r->dur = now - s->ts;
  r->tid = (__u32)bpf_get_current_pid_tgid();
  r->nr = (__u32)s->nr;
  r->ret = ret;
  s->ts = 0;
  bpf_ringbuf_submit(r, batch ? BPF_RB_NO_WAKEUP : 0);
  return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_lat_enter, struct pt_regs *regs, long id)
{
  if ((bpf_get_current_pid_tgid() >> 32) != target_tgid) return 0;
  struct start *s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0,
                                         BPF_LOCAL_STORAGE_GET_F_CREATE);
  if (s) s->ts = bpf_ktime_get_ns();
  return 0;
}

/* The latency floors' bookkeeping at exit: one call (counts[0]) and its
 * duration (counts[2]). */
static __always_inline void account_call(__u64 d)
{
  __u32 k = 0;
  __u64 *c = bpf_map_lookup_elem(&counts, &k);
  if (c) *c += 1;
  k = 2;
  c = bpf_map_lookup_elem(&counts, &k);
  if (c) *c += d;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_lat_exit, struct pt_regs *regs, long ret)
{
  struct start *s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0, 0);
  if (!s || !s->ts) return 0;
  account_call(bpf_ktime_get_ns() - s->ts);
  s->ts = 0;
  return 0;
}

struct slot {
  __u64 ts;
  __u32 tid;
  __u32 pad;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct slot);
} slots SEC(".maps");

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_pcpu_enter, struct pt_regs *regs, long id)
{
  __u64 pt = bpf_get_current_pid_tgid();
  if ((pt >> 32) != target_tgid) return 0;
  __u32 k = 0;
  struct slot *s = bpf_map_lookup_elem(&slots, &k);
  if (!s) return 0;
  s->tid = (__u32)pt;
  s->ts = bpf_ktime_get_ns();
  return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_pcpu_exit, struct pt_regs *regs, long ret)
{
  __u32 k = 0;
  struct slot *s = bpf_map_lookup_elem(&slots, &k);
  if (!s || !s->ts || s->tid != (__u32)bpf_get_current_pid_tgid()) return 0;
  account_call(bpf_ktime_get_ns() - s->ts);
  s->ts = 0;
  return 0;
}
