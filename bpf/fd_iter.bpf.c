// SPDX-License-Identifier: GPL-2.0
/* fd_iter.bpf.c: the fd table of one process in one read, for filan -p.
 *
 * A task_file iterator, attached for one process (bpf_iter_link_info's
 * task.pid), visits every open file of that process in fd order.  For each
 * it writes one binary record (fd_iter.h) with what the /proc path needs a
 * pidfd_getfd + statx + fcntl + readlink + lseek + fdinfo read for: the
 * file's flags, mode and offset, the fd's close-on-exec bit, the inode's
 * stat fields, a pipe's buffer size, a UNIX socket's count of fds in
 * flight, the mount id and the d_path text.  Field
 * offsets are CO-RE relocated, so the object runs on other kernels too; the
 * inode's time fields are read only where this kernel's layout (separate
 * sec/nsec fields, 6.11+) exists, and the reader stat()s the rest.
 *
 * Only the thread group leader is reported: other threads share its table
 * (the iterator already skips those), and a thread that unshared its table
 * is not what /proc/PID/fd lists either.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "fd_iter.h"

char LICENSE[] SEC("license") = "GPL";

/* One record under construction: too large for the 512-byte stack. */
struct scratch {
  struct fd_iter_record rec;
  char path[FD_ITER_PATH_MAX];
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct scratch);
} buf SEC(".maps");

/* Kept from one fd to the next (a seq_file is read by one task at a time,
 * and the program is loaded for one read of one process): the last mount's
 * id and the last close-on-exec word, each keyed by its kernel address,
 * and the directory of the last full path. */
__u64 last_mnt;
__s32 last_mnt_id;
__u64 last_cloexec_at;
__u64 last_cloexec_word;
/* The directory (parent dentry and mount) of the last FD_ITER_DIR_BASE
 * record written. */
__u64 last_dir;
__u64 last_dir_mnt;

#define O_PATH_BIT 010000000
#define I_CTIME_QUERIED (1U << 31)
#define S_IFMT_ 00170000
#define S_IFIFO_ 0010000
#define S_IFSOCK_ 0140000
#define AF_UNIX_ 1
#define SOCKFS_MAGIC_ 0x534F434B
#define PIPEFS_MAGIC_ 0x50495045

/* The section name is a custom one (registered by fd_scan_bpf.cpp): libbpf's
 * own "iter/" handler would parse the whole vmlinux BTF to find the attach
 * point; the loader gives the kernel the id of bpf_iter_task_file itself. */
SEC("fdscope_iter")
int fd_table(struct bpf_iter__task_file *ctx) {
  struct seq_file *seq = ctx->meta->seq;
  struct task_struct *task = ctx->task;
  struct file *f = ctx->file;
  if (!task || !f) return 0;
  if (task->pid != task->tgid) return 0;

  __u32 zero = 0;
  struct scratch *s = bpf_map_lookup_elem(&buf, &zero);
  if (!s) return 0;
  struct fd_iter_record *r = &s->rec;
  __u32 fd = ctx->fd;
  r->fd = fd;
  r->f_flags = f->f_flags;
  r->f_mode = f->f_mode;
  r->f_pos = f->f_pos;
  r->bits = 0;

  struct inode *in = f->f_inode;
  r->i_mode = in->i_mode;
  r->ino = in->i_ino;
  r->s_magic = in->i_sb->s_magic;
  r->s_dev = in->i_sb->s_dev;
  r->i_rdev = in->i_rdev;
  r->i_size = in->i_size;
  r->i_blocks = in->i_blocks;
  r->uid = in->i_uid.val;
  r->gid = in->i_gid.val;
  r->nlink = in->__i_nlink;
  r->blkbits = in->i_blkbits;
  if (bpf_core_field_exists(in->i_atime_sec)) {
    r->atime_sec = in->i_atime_sec;
    r->mtime_sec = in->i_mtime_sec;
    r->ctime_sec = in->i_ctime_sec;
    r->atime_nsec = in->i_atime_nsec;
    r->mtime_nsec = in->i_mtime_nsec;
    r->ctime_nsec = in->i_ctime_nsec & ~I_CTIME_QUERIED;
    r->bits |= FD_ITER_TIMES;
  }
  if (in->i_flctx) r->bits |= FD_ITER_LOCKS;
  r->pipe_max_usage = 0;
  if ((r->i_mode & S_IFMT_) == S_IFIFO_ && !(r->f_flags & O_PATH_BIT)) {
    struct pipe_inode_info *pipe = f->private_data;
    if (pipe) {
      r->pipe_max_usage = BPF_CORE_READ(pipe, max_usage);
      r->bits |= FD_ITER_PIPE;
    }
  }

  /* A socket's family, type and protocol (which sock_diag dumps can know
   * it), and a UNIX socket's count of fds in flight, as its fdinfo shows it. */
  r->scm_fds = 0;
  r->sk_family = r->sk_type = r->sk_protocol = 0;
  r->reserved16 = 0;
  r->reserved32 = 0;
  if ((r->i_mode & S_IFMT_) == S_IFSOCK_) {
    /* The helpers hand back typed pointers: plain loads, no probe reads. */
    struct socket *sock = bpf_sock_from_file(f);
    struct sock *sk = sock ? sock->sk : 0;
    if (sk) {
      r->sk_family = sk->__sk_common.skc_family;
      r->sk_type = sk->sk_type;
      r->sk_protocol = sk->sk_protocol;
      r->bits |= FD_ITER_SOCK;
      if (r->sk_family == AF_UNIX_) {
        struct unix_sock *u = bpf_skc_to_unix_sock(sk);
        if (u) {
          r->scm_fds = u->scm_stat.nr_fds.counter;
          r->bits |= FD_ITER_SCM_FDS;
        }
      }
    }
  }

  /* mnt_id: the struct mount around f->f_path.mnt.  Neighbouring fds
   * mostly share a mount: the last one's id is kept. */
  struct vfsmount *vm = f->f_path.mnt;
  if (vm) {
    if ((__u64)vm != last_mnt) {
      struct mount *m = (void *)vm - bpf_core_field_offset(struct mount, mnt);
      last_mnt_id = BPF_CORE_READ(m, mnt_id);
      last_mnt = (__u64)vm;
    }
    r->mnt_id = last_mnt_id;
    r->bits |= FD_ITER_MNT_ID;
  } else {
    r->mnt_id = 0;
  }

  /* close-on-exec: bit fd of files->fdt->close_on_exec.  The pointers are
   * plain loads from the task; only the bitmap word (indexed by fd) needs a
   * probe read. */
  struct files_struct *files = task->files;
  unsigned long *bits = files ? files->fdt->close_on_exec : 0;
  if (bits) {
    /* One word covers 64 fds: the last word read is kept, by its address. */
    __u64 at = (__u64)(bits + fd / 64);
    if (at != last_cloexec_at) {
      unsigned long word = 0;
      last_cloexec_at = bpf_probe_read_kernel(&word, sizeof word, bits + fd / 64) == 0 ? at : 0;
      last_cloexec_word = word;
    }
    if (last_cloexec_at && (last_cloexec_word >> (fd % 64)) & 1) r->bits |= FD_ITER_CLOEXEC;
  }

  /* Sockets and pipes are named "socket:[INO]" / "pipe:[INO]" by their file
   * systems' d_dname: the reader writes that itself. */
  if (r->s_magic == SOCKFS_MAGIC_ || r->s_magic == PIPEFS_MAGIC_) {
    r->bits |= FD_ITER_INO_NAME;
    r->path_len = 0;
    bpf_seq_write(seq, r, sizeof *r);
    return 0;
  }
  /* A file in the directory of the last full path sent (same mount, same
   * parent dentry) goes as its name alone: d_path walks every component
   * up to the root, and a process's files mostly share a few
   * directories.  Only a hashed dentry (not unlinked: d_path would add
   * " (deleted)") that is not its own parent (a file system's root). */
  struct dentry *d = f->f_path.dentry;
  struct dentry *parent = d ? d->d_parent : 0;
  int plain = d && parent && parent != d && d->d_hash.pprev;
  if (plain && (__u64)parent == last_dir && (__u64)vm == last_dir_mnt) {
    __u32 len = d->d_name.len;
    barrier_var(len);  /* the verifier must see the mask below, not a known range */
    len &= 255;
    if (len > 0 && bpf_probe_read_kernel(s->path, len, d->d_name.name) == 0) {
      s->path[len] = 0;
      r->path_len = (fd_iter_s16)(len + 1);
      r->bits |= FD_ITER_SIBLING;
      bpf_seq_write(seq, s, sizeof *r + len + 1);
      return 0;
    }
  }
  long n = bpf_d_path((struct path *)&f->f_path, s->path, sizeof s->path);
  if (n < 0 || n > FD_ITER_PATH_MAX) {
    r->path_len = n < 0 ? (fd_iter_s16)n : -36; /* -ENAMETOOLONG */
    bpf_seq_write(seq, r, sizeof *r);
    return 0;
  }
  r->path_len = (fd_iter_s16)n;
  if (plain) r->bits |= FD_ITER_DIR_BASE;
  /* The directory is remembered only once its record is out: a record
   * that did not fit is shown again by the next read(), as a base again. */
  if (bpf_seq_write(seq, s, sizeof *r + n) == 0 && plain) {
    last_dir = (__u64)parent;
    last_dir_mnt = (__u64)vm;
  }
  return 0;
}
