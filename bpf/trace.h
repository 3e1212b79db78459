/* trace.h: the records that cross the ring buffer between bpf/trace.bpf.c
 * (kernel side) and trace/ (user side), and the per-syscall capture plan the
 * user side writes into the program's read-only data before loading it.
 * Plain C with fixed-width types so both clang -target bpf and g++ read the
 * same layout.  Every record starts with a u32 kind.
 */
#ifndef FDSCOPE_BPF_TRACE_H
#define FDSCOPE_BPF_TRACE_H

#ifdef __bpf__
/* vmlinux.h already defines the kernel's fixed-width types. */
typedef __u8 trace_u8;
typedef __u16 trace_u16;
typedef __u32 trace_u32;
typedef __s32 trace_s32;
typedef __u64 trace_u64;
typedef __s64 trace_s64;
#else
#include <stdint.h>
typedef uint8_t trace_u8;
typedef uint16_t trace_u16;
typedef uint32_t trace_u32;
typedef int32_t trace_s32;
typedef uint64_t trace_u64;
typedef int64_t trace_s64;
#endif

#define TRACE_MAX_SYSCALLS 512     /* x86_64 numbers are below this */
#define TRACE_STR_MAX 256          /* one captured path/string, with NUL */
#define TRACE_ADDR_MAX 128         /* sizeof(struct sockaddr_storage) */
#define TRACE_DATA_MAX 16384       /* largest payload snap length (power of 2) */
#define TRACE_STACK_MAX 32         /* user stack frames per -k event */
#define TRACE_IOV_MAX 64           /* iovec lengths recorded per record */
#define TRACE_IOV_WALK 1024        /* iovec entries walked for payload (UIO_MAXIOV) */
#define TRACE_MSG_MAX 16           /* messages described per sendmmsg/recvmmsg */
#define TRACE_HIST_BUCKETS 160     /* latency histogram: 4 buckets per octave */
#define TRACE_EXEC_ARGS 8          /* execve argv strings captured at entry */
#define TRACE_ST_SLOTS 3           /* struct captures per call */
#define TRACE_ST_MAX 248           /* bytes per struct capture (fits a u8 length) */

enum trace_event_kind {
  TRACE_EV_SYSCALL = 1,   /* struct trace_syscall_event + variable part */
  TRACE_EV_PROC = 2,      /* struct trace_proc_event: fork / exit */
  TRACE_EV_TCP = 3,       /* struct trace_tcp_event: state change / retransmit */
  TRACE_EV_USDT = 4,      /* struct trace_usdt_event: relay probes */
};

/* Per-syscall plan (sc_plan[nr] in rodata). */
enum trace_plan_flags {
  TRACE_PLAN_TRACED = 1,     /* the syscall passes the -e filter */
  TRACE_PLAN_STACK = 2,      /* capture a user stack (-k) */
  TRACE_PLAN_EXEC = 4,       /* capture path + argv at entry (execve/execveat) */
  TRACE_PLAN_ADDR_PTRLEN = 8,/* addr length is a socklen_t* (accept, recvfrom) */
  TRACE_PLAN_DATA_IN = 16,   /* payload flows into the process (read side) */
  TRACE_PLAN_FDPAIR = 32,    /* addr_arg is an int[2] the kernel fills (pipe) */
};

/* The union of what a run's traced calls capture (rodata plan_kinds): the
 * kernel side skips, and its verifier never sees, the capture steps none of
 * them needs. */
enum trace_plan_kinds {
  TRACE_KIND_STR = 1,    /* str_arg strings */
  TRACE_KIND_ADDR = 2,   /* sockaddrs (and msghdr names) */
  TRACE_KIND_DATA = 4,   /* payload of any trace_data_kind */
  TRACE_KIND_MMSG = 8,   /* TRACE_DATA_MMSG */
  TRACE_KIND_EXEC = 16,  /* TRACE_PLAN_EXEC */
};

/* Struct captures: memory behind a pointer argument that the formatter
 * decodes (stat buffers, signal masks, wait status, rlimits ...), copied at
 * the call's exit into their own sections, st_size bytes at most (and at
 * most args[st_lenarg] when that names an argument). */
enum trace_st_kind {
  TRACE_ST_NONE = 0,
  TRACE_ST_IN = 1,       /* what the process passed in: copied whatever the result */
  TRACE_ST_OUT = 2,      /* what the kernel filled in: copied only on success */
  TRACE_ST_RET = 3,      /* filled bytes, as many as the return value says */
  TRACE_ST_DIRENTS = 4,  /* u32: linux_dirent64 records in the ret bytes */
  TRACE_ST_ENVC = 5,     /* u32: pointers before NULL (execve envp), counted at entry */
  TRACE_ST_CMSG = 6,     /* msg_control bytes of the msghdr (recvmsg: on success) */
  TRACE_ST_SIGMASK_ARG = 7, /* pselect6's {const sigset_t *ss; size_t ss_len}: those
                             * 16 bytes, then the 8-byte set when ss is readable */
};

enum trace_data_kind {
  TRACE_DATA_NONE = 0,
  TRACE_DATA_BUF = 1,  /* args[data_arg] is the buffer; ret bytes moved */
  TRACE_DATA_IOV = 2,  /* args[data_arg] is struct iovec*, args[len_arg] count */
  TRACE_DATA_MSG = 3,  /* args[data_arg] is struct msghdr* */
  TRACE_DATA_MMSG = 4, /* args[data_arg] is struct mmsghdr*, args[len_arg] vlen;
                          ret messages moved */
};

#define TRACE_NO_ARG 0xff

struct trace_sc_plan {
  trace_u8 flags;
  trace_u8 str_arg[2];   /* args holding NUL-terminated strings, or NO_ARG */
  trace_u8 addr_arg;     /* sockaddr pointer, or NO_ARG */
  trace_u8 addrlen_arg;  /* its length (value or pointer, see ADDR_PTRLEN) */
  trace_u8 data_kind;    /* enum trace_data_kind */
  trace_u8 data_arg;
  trace_u8 len_arg;
  trace_u8 st_kind[TRACE_ST_SLOTS];   /* enum trace_st_kind */
  trace_u8 st_arg[TRACE_ST_SLOTS];    /* the pointer argument, or NO_ARG */
  trace_u8 st_lenarg[TRACE_ST_SLOTS]; /* argument bounding the size, or NO_ARG */
  trace_u8 st_size[TRACE_ST_SLOTS];   /* bytes to copy at most (<= TRACE_ST_MAX) */
};

/* One completed system call: entry and exit paired per thread in the kernel.
 *
 * The variable part follows the header, sections in this order (each
 * section's size is in the header; an empty section takes no bytes):
 *
 *   str[0]   str_len[0] bytes, NUL included
 *   str[1]   str_len[1] bytes
 *   addr     addr_len bytes: the sockaddr of the addr argument, or for
 *            sendmsg/recvmsg the msghdr's msg_name (recvmsg: as filled in)
 *   payload  data_len bytes: the bytes the call moved, up to the snap length.
 *            For readv/writev/sendmsg/recvmsg the iovecs' bytes back to back
 *            (iovec i's share is min(iov_len[i], what is left)); for
 *            sendmmsg/recvmmsg each message's own bytes (up to the snap
 *            length per message, msgs[k].data_len of them) back to back.
 *   st[i]    st_len[i] bytes for struct capture i (plan st_kind[i])
 *   (zero padding up to the next multiple of 8 from the start of the
 *    variable part, only when msg_cnt or iov_cnt or stack_len is non-zero)
 *   msgs     msg_cnt struct trace_msg_desc: one for readv/writev/sendmsg/
 *            recvmsg, one per message moved for sendmmsg/recvmmsg (at most
 *            TRACE_MSG_MAX)
 *   iov_len  iov_cnt trace_u64: the iov_len of each iovec as the process
 *            passed it, all messages' iovecs in message order (message k owns
 *            msgs[k].iov_cnt of them; at most TRACE_IOV_MAX in all)
 *   stack    stack_len trace_u64 user return addresses (-k); starts 8-aligned
 *
 * For execve the strings are the path followed by up to TRACE_EXEC_ARGS argv
 * strings, all in str[0] separated by NULs, with argc in aux. */
struct trace_syscall_event {
  trace_u32 kind;        /* TRACE_EV_SYSCALL */
  trace_s32 nr;
  trace_u32 pid;         /* tgid */
  trace_u32 tid;
  trace_u64 ts_enter;    /* CLOCK_MONOTONIC ns (bpf_ktime_get_ns) */
  trace_u64 ts_exit;
  trace_u64 args[6];
  trace_s64 ret;
  trace_u16 str_len[2];
  trace_u16 addr_len;
  trace_u16 data_len;    /* payload bytes captured (<= snap length) */
  trace_u32 data_total;  /* payload bytes the call moved (mmsg: sum of msg_len) */
  trace_u16 stack_len;   /* frames */
  trace_u16 aux;         /* execve: argv strings captured; else 0 */
  trace_u16 msg_cnt;     /* struct trace_msg_desc entries */
  trace_u16 iov_cnt;     /* iov_len entries (all messages together) */
  trace_u8 st_len[TRACE_ST_SLOTS + 1]; /* struct capture bytes ([3] unused) */
};

/* One message (or the one iovec array of readv/writev) of a call.  Values are
 * read at the call's exit, so recvmsg/recvmmsg show what the kernel filled
 * in (msg_namelen, msg_controllen, msg_flags, msg_len). */
struct trace_msg_desc {
  trace_u32 msg_len;     /* mmsg: mmsghdr.msg_len; else the call's bytes (0 on error) */
  trace_u32 data_len;    /* payload bytes captured for this message */
  trace_u32 iovlen;      /* msg_iovlen / iovcnt as the process passed it */
  trace_u32 namelen;     /* msg_namelen (0 for readv/writev) */
  trace_u64 controllen;  /* msg_controllen */
  trace_s32 flags;       /* msg_flags */
  trace_u16 iov_cnt;     /* iov_len entries recorded for it (<= iovlen) */
  trace_u16 pad;
};

enum trace_proc_what { TRACE_PROC_FORK = 1, TRACE_PROC_EXIT = 2 };

struct trace_proc_event {
  trace_u32 kind;        /* TRACE_EV_PROC */
  trace_u32 what;        /* enum trace_proc_what */
  trace_u32 pid;         /* fork: parent tgid; exit: exiting tgid */
  trace_u32 tid;         /* fork: parent tid */
  trace_u32 child_pid;   /* fork: child tgid */
  trace_u32 child_tid;   /* fork: child tid */
  trace_u64 ts;
  trace_s32 exit_code;   /* exit: task->exit_code (wait status form) */
  trace_u32 pad;
  char comm[16];
};

enum trace_tcp_what { TRACE_TCP_STATE = 1, TRACE_TCP_RETRANSMIT = 2 };

struct trace_tcp_event {
  trace_u32 kind;        /* TRACE_EV_TCP */
  trace_u32 what;        /* enum trace_tcp_what */
  trace_u32 pid;         /* owner that first touched the socket */
  trace_u32 tid;
  trace_u64 ts;
  trace_u64 sk;          /* kernel socket address, as an identity only */
  trace_u16 family;      /* AF_INET / AF_INET6 */
  trace_u16 sport;       /* host order */
  trace_u16 dport;       /* host order */
  trace_u16 pad;
  trace_s32 oldstate;
  trace_s32 newstate;
  trace_u8 saddr[16];
  trace_u8 daddr[16];
};

enum trace_usdt_what {
  TRACE_USDT_ACCEPT = 1,    /* listen fd, new fd, peer sockaddr*, its length */
  TRACE_USDT_CONNECT = 2,   /* fd, sockaddr*, its length, errno */
  TRACE_USDT_TRANSFER = 3,  /* dir, fd in, fd out, bytes, total, spliced */
  TRACE_USDT_EOF = 4,       /* dir, fd, total */
  TRACE_USDT_SHUTDOWN = 5,  /* dir, fd, total */
  TRACE_USDT_CLOSE = 6,     /* fd, bytes read, bytes written */
};

/* A relay USDT probe hit (provider "relay", docs/relay-probes.md): the raw
 * probe arguments plus, for accept/connect, the sockaddr bytes they point at. */
struct trace_usdt_event {
  trace_u32 kind;        /* TRACE_EV_USDT */
  trace_u32 what;        /* enum trace_usdt_what */
  trace_u32 pid;
  trace_u32 tid;
  trace_u64 ts;
  trace_u64 args[6];
  trace_u16 addr_len;    /* sockaddr bytes that follow */
  trace_u16 pad[3];
};

/* Per-syscall statistics for -c (per-CPU array indexed by syscall nr). */
struct trace_sc_stats {
  trace_u64 calls;
  trace_u64 errors;
  trace_u64 total_ns;
  trace_u32 hist[TRACE_HIST_BUCKETS];
};

#endif /* FDSCOPE_BPF_TRACE_H */
