/* fd_iter.h: the record bpf/fd_iter.bpf.c writes for every open fd of one
 * process, read by common/src/fd_scan_bpf.cpp.  Plain C with fixed-width
 * types so clang -target bpf and g++ read the same layout.  A record is the
 * fixed header below followed by `path_len` bytes of path (the d_path text
 * with its NUL, the same string readlink(/proc/PID/fd/N) gives: a file's
 * path with " (deleted)" when unlinked, or "socket:[INO]", "pipe:[INO]",
 * "anon_inode:[eventfd]" ...), except for sockets and pipes, whose names
 * the reader makes from the inode number (FD_ITER_INO_NAME: d_path would
 * only format the same), and files in the directory (same mount, same
 * parent dentry) of the last record marked FD_ITER_DIR_BASE, which carry
 * their name alone (FD_ITER_SIBLING): the reader joins it to that
 * record's directory.  Records follow each other unpadded; the
 * reader copies each header out before using it.
 */
#ifndef FDSCOPE_BPF_FD_ITER_H
#define FDSCOPE_BPF_FD_ITER_H

#ifdef __bpf__
typedef __u16 fd_iter_u16;
typedef __s16 fd_iter_s16;
typedef __u32 fd_iter_u32;
typedef __s32 fd_iter_s32;
typedef __u64 fd_iter_u64;
typedef __s64 fd_iter_s64;
#else
#include <stdint.h>
typedef uint16_t fd_iter_u16;
typedef int16_t fd_iter_s16;
typedef uint32_t fd_iter_u32;
typedef int32_t fd_iter_s32;
typedef uint64_t fd_iter_u64;
typedef int64_t fd_iter_s64;
#endif

#define FD_ITER_PATH_MAX 4096

/* fd_iter_record.bits */
#define FD_ITER_CLOEXEC 0x1  /* the fd's bit in files->fdt->close_on_exec */
#define FD_ITER_TIMES 0x2    /* atime/mtime/ctime were read (this kernel's inode layout is known) */
#define FD_ITER_LOCKS 0x4    /* the inode has a file lock context (fdinfo lists locks) */
#define FD_ITER_PIPE 0x8     /* pipe_max_usage is the pipe's buffer size in pages */
#define FD_ITER_MNT_ID 0x10  /* mnt_id was read */
#define FD_ITER_SCM_FDS 0x20 /* a UNIX socket: scm_fds is its count of fds in flight */
#define FD_ITER_SOCK 0x40    /* a socket: sk_family, sk_type and sk_protocol are set */
#define FD_ITER_INO_NAME 0x80 /* no path follows: the name is "socket:[INO]" (sockfs) or "pipe:[INO]" (pipefs) */
#define FD_ITER_DIR_BASE 0x100 /* the path is a full d_path whose directory later FD_ITER_SIBLING records share */
#define FD_ITER_SIBLING 0x200  /* the path is the file's name alone, in the directory of the last FD_ITER_DIR_BASE record */

struct fd_iter_record {
  fd_iter_u32 fd;
  fd_iter_u32 f_flags;        /* file->f_flags (what F_GETFL returns) */
  fd_iter_u32 f_mode;         /* file->f_mode (FMODE_*) */
  fd_iter_u32 i_mode;         /* inode type and permission bits */
  fd_iter_s64 f_pos;
  fd_iter_u64 ino;
  fd_iter_u64 s_magic;        /* the file system's magic number */
  fd_iter_u32 s_dev;          /* kernel dev_t: major << 20 | minor */
  fd_iter_u32 i_rdev;
  fd_iter_s64 i_size;
  fd_iter_u64 i_blocks;       /* 512-byte units */
  fd_iter_u32 uid, gid;       /* kuid/kgid values (init user namespace) */
  fd_iter_u32 nlink;
  fd_iter_u32 blkbits;
  fd_iter_s64 atime_sec, mtime_sec, ctime_sec;
  fd_iter_u32 atime_nsec, mtime_nsec, ctime_nsec;
  fd_iter_u32 pipe_max_usage;
  fd_iter_u32 scm_fds;        /* UNIX sockets: fds queued in SCM_RIGHTS messages (fdinfo scm_fds) */
  fd_iter_u16 sk_family;      /* sockets (FD_ITER_SOCK): AF_*, SOCK_* type, protocol */
  fd_iter_u16 sk_type;
  fd_iter_u16 sk_protocol;
  fd_iter_u16 reserved16;
  fd_iter_s32 mnt_id;
  fd_iter_u16 bits;           /* FD_ITER_* */
  fd_iter_s16 path_len;       /* bytes of path that follow (with NUL); <= 0: none (-errno) */
  fd_iter_u32 reserved32;
};

#endif
