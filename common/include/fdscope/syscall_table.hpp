// The x86_64 system call table: one row per syscall of the running kernel
// generation (6.18, numbers 0..469 plus listns), saying how many arguments it
// takes, how each argument is decoded (fd, path, buffer with its length
// argument, flags of a named flag table, sockaddr ...), how the return value
// reads, and which strace classes (%file, %net, ...) it belongs to.  The
// syscall formatter walks these rows to render a call; trace turns an
// `-e trace=` expression into a SyscallSet with parse_syscall_set() and hands
// the bitset to the kernel-side filter.
#pragma once

#include <bitset>
#include <cstdint>
#include <span>
#include <string_view>

#include "fdscope/result.hpp"

namespace fdscope {

// One past the highest syscall number the set/bitset can hold.
inline constexpr int kSyscallSetSize = 512;
using SyscallSet = std::bitset<kSyscallSetSize>;

// How one argument is decoded.  `aux` in ArgSpec gives the length argument
// index (buffers, sockaddrs, iovecs) or the FlagTable (flags, enums).
enum class ArgKind : uint8_t {
  kInt,          // signed decimal (int)
  kUInt,         // unsigned decimal
  kLong,         // signed 64-bit decimal (off_t, loff_t)
  kSize,         // size_t, decimal
  kHex,          // 0x...
  kPtr,          // pointer: 0x... or NULL
  kFd,           // file descriptor, decorated like strace -yy
  kDirFd,        // like kFd, but AT_FDCWD is named
  kPath,         // NUL-terminated path (captured) else pointer
  kString,       // NUL-terminated non-path string (xattr name, fs type ...)
  kBufIn,        // bytes the call reads from the caller (write): aux = length arg
  kBufOut,       // bytes the call fills (read): shown at exit, length = return value
  kIovIn,        // iovec array written from (writev): aux = count arg
  kIovOut,       // iovec array read into (readv): aux = count arg
  kFlags,        // bit set of FlagTable aux ("O_RDONLY|O_CLOEXEC")
  kEnum,         // one value of FlagTable aux ("AF_INET", "SHUT_WR")
  kMode,         // permission bits, octal with leading 0 ("0644")
  kSignal,       // signal number ("SIGTERM")
  kSockaddr,     // struct sockaddr * input: aux = length arg
  kSockaddrOut,  // struct sockaddr * filled by the kernel (accept, getsockname): aux = socklen_t * arg
  kFdPair,       // int[2] filled by the kernel (pipe, socketpair): "[3, 4]"
  kStruct,       // pointer to a struct: decoded where captured, else pointer
  kStringArray,  // char *const[] (execve argv): captured as NUL-separated strings
  kBytesIn,      // memory the call reads that is not fd traffic (xattr value,
                 // setsockopt optval, hostname): aux = length arg
  kBytesOut,     // memory the call fills that is not fd traffic (getrandom,
                 // readlink, getxattr): shown at exit, length = return value
  kStructOut,    // pointer to a struct the kernel fills (stat buffer, wait
                 // status, epoll events): a pointer printed with the exit part
};
// kBufIn/kBufOut/kIovIn/kIovOut are payload moving through the fd in
// argument 0 (what trace dumps and writes to pcapng); kBytesIn/kBytesOut are
// other memory contents and never traffic.

// Named value tables for kFlags/kEnum arguments.  Their contents live in
// syscall_decode_flags.cpp; format_flags()/format_enum() render them.
enum class FlagTable : uint8_t {
  kNone,
  kOpenFlags,      // O_RDONLY|O_CREAT|...
  kAtFlags,        // AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|...
  kAccessMode,     // F_OK / R_OK|W_OK|X_OK
  kMmapProt,       // PROT_READ|PROT_WRITE
  kMmapFlags,      // MAP_PRIVATE|MAP_ANONYMOUS
  kMremapFlags,    // MREMAP_MAYMOVE
  kMadvise,        // enum: MADV_DONTNEED ...
  kSocketDomain,   // enum: AF_INET ...
  kSocketType,     // SOCK_STREAM|SOCK_CLOEXEC
  kSocketLevel,    // enum: SOL_SOCKET, SOL_TCP ... (option names: sockopt.hpp)
  kShutdownHow,    // enum: SHUT_RD ...
  kMsgFlags,       // MSG_DONTWAIT|MSG_NOSIGNAL
  kCloneFlags,     // CLONE_VM|CLONE_FS|... (low byte: exit signal)
  kPollEvents,     // POLLIN|POLLOUT
  kEpollCtlOp,     // enum: EPOLL_CTL_ADD ...
  kEpollFlags,     // EPOLL_CLOEXEC
  kFcntlCmd,       // enum: F_GETFL ...
  kSeekWhence,     // enum: SEEK_SET ...
  kSigprocmaskHow, // enum: SIG_BLOCK ...
  kClockId,        // enum: CLOCK_REALTIME ...
  kFutexOp,        // FUTEX_WAIT|FUTEX_PRIVATE_FLAG
  kWaitOptions,    // WNOHANG|WUNTRACED
  kPrctlOption,    // enum: PR_SET_NAME ...
  kArchPrctlCode,  // enum: ARCH_SET_FS ...
  kRlimitResource, // enum: RLIMIT_NOFILE ...
  kEventfdFlags,   // EFD_CLOEXEC|EFD_NONBLOCK|EFD_SEMAPHORE
  kTimerfdFlags,   // TFD_CLOEXEC|TFD_NONBLOCK
  kInotifyFlags,   // IN_CLOEXEC|IN_NONBLOCK
  kMemfdFlags,     // MFD_CLOEXEC|MFD_ALLOW_SEALING
  kRenameFlags,    // RENAME_NOREPLACE ...
  kGetrandomFlags, // GRND_NONBLOCK|GRND_RANDOM
  kIoctlRequest,   // enum: TCGETS, FIONREAD ... (else hex)
  kCloseRangeFlags,// CLOSE_RANGE_CLOEXEC ...
  kFlockOp,        // LOCK_SH|LOCK_NB
  kUnshareFlags,   // CLONE_NEWNS|... (clone flags without the signal byte)
  kFdFlags,        // O_CLOEXEC|O_NONBLOCK|O_DIRECT without an access mode (pipe2, dup3)
  kSignalfdFlags,  // SFD_CLOEXEC|SFD_NONBLOCK
  kIpProtocol,     // enum: IPPROTO_TCP ... (socket protocol of AF_INET/AF_INET6)
  kAccessAtFlags,  // AT_EACCESS|AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH (faccessat2)
  kFadviseAdvice,  // enum: POSIX_FADV_NORMAL ...
  kStatxFlags,     // AT_STATX_SYNC_AS_STAT|AT_NO_AUTOMOUNT (sync type, then AT_ bits)
  kStatxMask,      // STATX_BASIC_STATS|STATX_BTIME ...
  kWaitidType,     // enum: P_ALL, P_PID, P_PGID, P_PIDFD (waitid's idtype)
  kCount
};

struct ArgSpec {
  ArgKind kind = ArgKind::kHex;
  uint8_t aux = 0;  // length/count argument index, or FlagTable value
};

// How the return value reads.
enum class RetKind : uint8_t {
  kInt,     // decimal (-1 ERRNO on failure)
  kFd,      // new fd, decorated like strace -yy
  kHex,     // address (mmap, brk)
  kUInt,    // unsigned decimal
  kOctal,   // umask
  kNoReturn // exit, exit_group, rt_sigreturn: "= ?"
};

// strace's -e trace=%CLASS sets.  A syscall may be in several.
enum SyscallClass : uint32_t {
  kClassFile = 1u << 0,       // %file: takes a file name
  kClassNetwork = 1u << 1,    // %network, %net
  kClassProcess = 1u << 2,    // %process
  kClassSignal = 1u << 3,     // %signal
  kClassIpc = 1u << 4,        // %ipc
  kClassDesc = 1u << 5,       // %desc: takes or returns an fd
  kClassMemory = 1u << 6,     // %memory
  kClassCreds = 1u << 7,      // %creds
  kClassClock = 1u << 8,      // %clock
  kClassStat = 1u << 9,       // %stat
  kClassLstat = 1u << 10,     // %lstat
  kClassFstat = 1u << 11,     // %fstat
  kClassStatLike = 1u << 12,  // %%stat
  kClassStatfs = 1u << 13,    // %statfs
  kClassFstatfs = 1u << 14,   // %fstatfs
  kClassStatfsLike = 1u << 15,// %%statfs
  kClassPure = 1u << 16,      // %pure: no arguments, always succeeds (getpid ...)
};

struct SyscallInfo {
  int number = -1;
  std::string_view name;
  uint8_t nargs = 0;
  ArgSpec args[6] = {};
  RetKind ret = RetKind::kInt;
  uint32_t classes = 0;  // SyscallClass bits
};

// Every known syscall, ordered by number.
std::span<const SyscallInfo> all_syscalls();

// Row for a number or name; nullptr when unknown.
const SyscallInfo* syscall_by_number(int number);
const SyscallInfo* syscall_by_name(std::string_view name);

// Name for a number; "syscall_N" style names are not invented here:
// unknown numbers give an empty view.
std::string_view syscall_name(int number);

// Class bits for "%net", "%network", "%file", "%%stat", ... (with the %);
// 0 when unknown.
uint32_t syscall_class_by_name(std::string_view name);

// Every syscall whose class bits intersect `classes`.
SyscallSet syscalls_in_class(uint32_t classes);

// strace's `-e trace=EXPR`: a comma-separated list of syscall names,
// %classes, /regex (extended regex matched against names), "all" and "none".
// A leading '!' negates the whole set.  An item ending in '?' is skipped when
// it matches nothing instead of being an error.  Errors name the bad item:
// `unknown syscall "opne"`, `unknown syscall class "%nett"`,
// `invalid regex "/[": ...`.
Result<SyscallSet> parse_syscall_set(std::string_view expr);

}  // namespace fdscope
