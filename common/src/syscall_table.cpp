// The x86_64 syscall table (see syscall_table.hpp): one row per syscall with
// its argument decoding and strace classes, plus the lookups and strace's
// `-e trace=` set expressions on top.  Rows follow the kernel's
// arch/x86/entry/syscalls/syscall_64.tbl (6.18: up to 469 file_setattr, and
// 470 listns of the next release); argument counts and classes follow
// strace's x86_64 syscallent so `%file`, `%net`, ... select the same calls.
// Numbers the Debian 12 headers lack (uretprobe 335 ... file_setattr 469) are
// rows here by number, so nothing depends on <asm/unistd_64.h>.
#include "fdscope/syscall_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <regex>
#include <string>
#include <vector>

namespace fdscope {

namespace {

constexpr ArgSpec A_FD{ArgKind::kFd};
constexpr ArgSpec A_DFD{ArgKind::kDirFd};
constexpr ArgSpec A_PATH{ArgKind::kPath};
constexpr ArgSpec A_STR{ArgKind::kString};
constexpr ArgSpec A_I{ArgKind::kInt};
constexpr ArgSpec A_U{ArgKind::kUInt};
constexpr ArgSpec A_L{ArgKind::kLong};
constexpr ArgSpec A_Z{ArgKind::kSize};
constexpr ArgSpec A_X{ArgKind::kHex};
constexpr ArgSpec A_P{ArgKind::kPtr};
constexpr ArgSpec A_ST{ArgKind::kStruct};
constexpr ArgSpec A_MODE{ArgKind::kMode};
constexpr ArgSpec A_SIG{ArgKind::kSignal};
constexpr ArgSpec A_FDP{ArgKind::kFdPair};
constexpr ArgSpec A_SARR{ArgKind::kStringArray};
constexpr ArgSpec A_SO{ArgKind::kStructOut};
constexpr ArgSpec fl(FlagTable t) { return {ArgKind::kFlags, static_cast<uint8_t>(t)}; }
constexpr ArgSpec en(FlagTable t) { return {ArgKind::kEnum, static_cast<uint8_t>(t)}; }
constexpr ArgSpec bin(int len_arg) { return {ArgKind::kBufIn, static_cast<uint8_t>(len_arg)}; }
constexpr ArgSpec bout(int len_arg) { return {ArgKind::kBufOut, static_cast<uint8_t>(len_arg)}; }
constexpr ArgSpec iovi(int cnt_arg) { return {ArgKind::kIovIn, static_cast<uint8_t>(cnt_arg)}; }
constexpr ArgSpec iovo(int cnt_arg) { return {ArgKind::kIovOut, static_cast<uint8_t>(cnt_arg)}; }
constexpr ArgSpec sa(int len_arg) { return {ArgKind::kSockaddr, static_cast<uint8_t>(len_arg)}; }
constexpr ArgSpec byi(int len_arg) { return {ArgKind::kBytesIn, static_cast<uint8_t>(len_arg)}; }
constexpr ArgSpec byo(int len_arg) { return {ArgKind::kBytesOut, static_cast<uint8_t>(len_arg)}; }
constexpr ArgSpec sao(int lenptr_arg) { return {ArgKind::kSockaddrOut, static_cast<uint8_t>(lenptr_arg)}; }

// number, name, argument count, argument decoding, return kind, classes.
constexpr SyscallInfo kSyscalls[] = {
    {0, "read", 3, {A_FD, bout(2), A_Z}, RetKind::kInt, kClassDesc},
    {1, "write", 3, {A_FD, bin(2), A_Z}, RetKind::kInt, kClassDesc},
    {2, "open", 3, {A_PATH, fl(FlagTable::kOpenFlags), A_MODE}, RetKind::kFd, kClassDesc|kClassFile},
    {3, "close", 1, {A_FD}, RetKind::kInt, kClassDesc},
    {4, "stat", 2, {A_PATH, A_SO}, RetKind::kInt, kClassFile|kClassStat|kClassStatLike},
    {5, "fstat", 2, {A_FD, A_SO}, RetKind::kInt, kClassDesc|kClassFstat|kClassStatLike},
    {6, "lstat", 2, {A_PATH, A_SO}, RetKind::kInt, kClassFile|kClassLstat|kClassStatLike},
    {7, "poll", 3, {A_ST, A_U, A_I}, RetKind::kInt, kClassDesc},
    {8, "lseek", 3, {A_FD, A_L, en(FlagTable::kSeekWhence)}, RetKind::kInt, kClassDesc},
    {9, "mmap", 6, {A_P, A_Z, fl(FlagTable::kMmapProt), fl(FlagTable::kMmapFlags), A_FD, A_X}, RetKind::kHex, kClassDesc|kClassMemory},
    {10, "mprotect", 3, {A_P, A_Z, fl(FlagTable::kMmapProt)}, RetKind::kInt, kClassMemory},
    {11, "munmap", 2, {A_P, A_Z}, RetKind::kInt, kClassMemory},
    {12, "brk", 1, {A_P}, RetKind::kHex, kClassMemory},
    {13, "rt_sigaction", 4, {A_SIG, A_ST, A_SO, A_Z}, RetKind::kInt, kClassSignal},
    {14, "rt_sigprocmask", 4, {en(FlagTable::kSigprocmaskHow), A_ST, A_SO, A_Z}, RetKind::kInt, kClassSignal},
    {15, "rt_sigreturn", 0, {}, RetKind::kInt, kClassSignal},
    {16, "ioctl", 3, {A_FD, en(FlagTable::kIoctlRequest), A_X}, RetKind::kInt, kClassDesc},
    {17, "pread64", 4, {A_FD, bout(2), A_Z, A_L}, RetKind::kInt, kClassDesc},
    {18, "pwrite64", 4, {A_FD, bin(2), A_Z, A_L}, RetKind::kInt, kClassDesc},
    {19, "readv", 3, {A_FD, iovo(2), A_I}, RetKind::kInt, kClassDesc},
    {20, "writev", 3, {A_FD, iovi(2), A_I}, RetKind::kInt, kClassDesc},
    {21, "access", 2, {A_PATH, fl(FlagTable::kAccessMode)}, RetKind::kInt, kClassFile},
    {22, "pipe", 1, {A_FDP}, RetKind::kInt, kClassDesc},
    {23, "select", 5, {A_I, A_ST, A_ST, A_ST, A_ST}, RetKind::kInt, kClassDesc},
    {24, "sched_yield", 0, {}, RetKind::kInt, 0},
    {25, "mremap", 5, {A_P, A_Z, A_Z, fl(FlagTable::kMremapFlags), A_P}, RetKind::kHex, kClassMemory},
    {26, "msync", 3, {A_P, A_Z, A_X}, RetKind::kInt, kClassMemory},
    {27, "mincore", 3, {A_P, A_Z, A_P}, RetKind::kInt, kClassMemory},
    {28, "madvise", 3, {A_P, A_Z, en(FlagTable::kMadvise)}, RetKind::kInt, kClassMemory},
    {29, "shmget", 3, {A_X, A_Z, A_X}, RetKind::kInt, kClassIpc},
    {30, "shmat", 3, {A_I, A_P, A_X}, RetKind::kHex, kClassIpc|kClassMemory},
    {31, "shmctl", 3, {A_I, A_I, A_P}, RetKind::kInt, kClassIpc},
    {32, "dup", 1, {A_FD}, RetKind::kFd, kClassDesc},
    {33, "dup2", 2, {A_FD, A_FD}, RetKind::kFd, kClassDesc},
    {34, "pause", 0, {}, RetKind::kInt, kClassSignal},
    {35, "nanosleep", 2, {A_ST, A_SO}, RetKind::kInt, 0},
    {36, "getitimer", 2, {A_I, A_ST}, RetKind::kInt, 0},
    {37, "alarm", 1, {A_U}, RetKind::kInt, 0},
    {38, "setitimer", 3, {A_I, A_ST, A_ST}, RetKind::kInt, 0},
    {39, "getpid", 0, {}, RetKind::kInt, kClassPure},
    {40, "sendfile", 4, {A_FD, A_FD, A_P, A_Z}, RetKind::kInt, kClassDesc|kClassNetwork},
    {41, "socket", 3, {en(FlagTable::kSocketDomain), fl(FlagTable::kSocketType), A_I}, RetKind::kFd, kClassNetwork},
    {42, "connect", 3, {A_FD, sa(2), A_U}, RetKind::kInt, kClassNetwork},
    {43, "accept", 3, {A_FD, sao(2), A_P}, RetKind::kFd, kClassNetwork},
    {44, "sendto", 6, {A_FD, bin(2), A_Z, fl(FlagTable::kMsgFlags), sa(5), A_U}, RetKind::kInt, kClassNetwork},
    {45, "recvfrom", 6, {A_FD, bout(2), A_Z, fl(FlagTable::kMsgFlags), sao(5), A_P}, RetKind::kInt, kClassNetwork},
    {46, "sendmsg", 3, {A_FD, A_ST, fl(FlagTable::kMsgFlags)}, RetKind::kInt, kClassNetwork},
    {47, "recvmsg", 3, {A_FD, A_SO, fl(FlagTable::kMsgFlags)}, RetKind::kInt, kClassNetwork},
    {48, "shutdown", 2, {A_FD, en(FlagTable::kShutdownHow)}, RetKind::kInt, kClassNetwork},
    {49, "bind", 3, {A_FD, sa(2), A_U}, RetKind::kInt, kClassNetwork},
    {50, "listen", 2, {A_FD, A_I}, RetKind::kInt, kClassNetwork},
    {51, "getsockname", 3, {A_FD, sao(2), A_P}, RetKind::kInt, kClassNetwork},
    {52, "getpeername", 3, {A_FD, sao(2), A_P}, RetKind::kInt, kClassNetwork},
    {53, "socketpair", 4, {en(FlagTable::kSocketDomain), fl(FlagTable::kSocketType), A_I, A_FDP}, RetKind::kInt, kClassNetwork},
    {54, "setsockopt", 5, {A_FD, en(FlagTable::kSocketLevel), A_I, byi(4), A_U}, RetKind::kInt, kClassNetwork},
    {55, "getsockopt", 5, {A_FD, en(FlagTable::kSocketLevel), A_I, A_SO, A_SO}, RetKind::kInt, kClassNetwork},
    {56, "clone", 5, {fl(FlagTable::kCloneFlags), A_P, A_P, A_P, A_X}, RetKind::kInt, kClassProcess},
    {57, "fork", 0, {}, RetKind::kInt, kClassProcess},
    {58, "vfork", 0, {}, RetKind::kInt, kClassProcess},
    {59, "execve", 3, {A_PATH, A_SARR, A_ST}, RetKind::kInt, kClassFile|kClassProcess},
    {60, "exit", 1, {A_I}, RetKind::kNoReturn, kClassProcess},
    {61, "wait4", 4, {A_I, A_SO, fl(FlagTable::kWaitOptions), A_SO}, RetKind::kInt, kClassProcess},
    {62, "kill", 2, {A_I, A_SIG}, RetKind::kInt, kClassSignal|kClassProcess},
    {63, "uname", 1, {A_SO}, RetKind::kInt, 0},
    {64, "semget", 3, {A_X, A_I, A_X}, RetKind::kInt, kClassIpc},
    {65, "semop", 3, {A_I, A_P, A_U}, RetKind::kInt, kClassIpc},
    {66, "semctl", 4, {A_I, A_I, A_I, A_X}, RetKind::kInt, kClassIpc},
    {67, "shmdt", 1, {A_P}, RetKind::kInt, kClassIpc|kClassMemory},
    {68, "msgget", 2, {A_X, A_X}, RetKind::kInt, kClassIpc},
    {69, "msgsnd", 4, {A_I, A_P, A_Z, A_X}, RetKind::kInt, kClassIpc},
    {70, "msgrcv", 5, {A_I, A_P, A_Z, A_L, A_X}, RetKind::kInt, kClassIpc},
    {71, "msgctl", 3, {A_I, A_I, A_P}, RetKind::kInt, kClassIpc},
    {72, "fcntl", 3, {A_FD, en(FlagTable::kFcntlCmd), A_X}, RetKind::kInt, kClassDesc},
    {73, "flock", 2, {A_FD, fl(FlagTable::kFlockOp)}, RetKind::kInt, kClassDesc},
    {74, "fsync", 1, {A_FD}, RetKind::kInt, kClassDesc},
    {75, "fdatasync", 1, {A_FD}, RetKind::kInt, kClassDesc},
    {76, "truncate", 2, {A_PATH, A_L}, RetKind::kInt, kClassFile},
    {77, "ftruncate", 2, {A_FD, A_L}, RetKind::kInt, kClassDesc},
    {78, "getdents", 3, {A_FD, A_SO, A_U}, RetKind::kInt, kClassDesc},
    {79, "getcwd", 2, {byo(1), A_Z}, RetKind::kInt, kClassFile},
    {80, "chdir", 1, {A_PATH}, RetKind::kInt, kClassFile},
    {81, "fchdir", 1, {A_FD}, RetKind::kInt, kClassDesc},
    {82, "rename", 2, {A_PATH, A_PATH}, RetKind::kInt, kClassFile},
    {83, "mkdir", 2, {A_PATH, A_MODE}, RetKind::kInt, kClassFile},
    {84, "rmdir", 1, {A_PATH}, RetKind::kInt, kClassFile},
    {85, "creat", 2, {A_PATH, A_MODE}, RetKind::kFd, kClassDesc|kClassFile},
    {86, "link", 2, {A_PATH, A_PATH}, RetKind::kInt, kClassFile},
    {87, "unlink", 1, {A_PATH}, RetKind::kInt, kClassFile},
    {88, "symlink", 2, {A_PATH, A_PATH}, RetKind::kInt, kClassFile},
    {89, "readlink", 3, {A_PATH, byo(2), A_Z}, RetKind::kInt, kClassFile},
    {90, "chmod", 2, {A_PATH, A_MODE}, RetKind::kInt, kClassFile},
    {91, "fchmod", 2, {A_FD, A_MODE}, RetKind::kInt, kClassDesc},
    {92, "chown", 3, {A_PATH, A_I, A_I}, RetKind::kInt, kClassFile},
    {93, "fchown", 3, {A_FD, A_I, A_I}, RetKind::kInt, kClassDesc},
    {94, "lchown", 3, {A_PATH, A_I, A_I}, RetKind::kInt, kClassFile},
    {95, "umask", 1, {A_MODE}, RetKind::kOctal, 0},
    {96, "gettimeofday", 2, {A_SO, A_SO}, RetKind::kInt, kClassClock},
    {97, "getrlimit", 2, {en(FlagTable::kRlimitResource), A_SO}, RetKind::kInt, 0},
    {98, "getrusage", 2, {A_I, A_SO}, RetKind::kInt, 0},
    {99, "sysinfo", 1, {A_SO}, RetKind::kInt, 0},
    {100, "times", 1, {A_SO}, RetKind::kInt, 0},
    {101, "ptrace", 4, {A_I, A_I, A_P, A_P}, RetKind::kInt, 0},
    {102, "getuid", 0, {}, RetKind::kInt, kClassCreds|kClassPure},
    {103, "syslog", 3, {A_I, A_P, A_I}, RetKind::kInt, 0},
    {104, "getgid", 0, {}, RetKind::kInt, kClassCreds|kClassPure},
    {105, "setuid", 1, {A_U}, RetKind::kInt, kClassCreds},
    {106, "setgid", 1, {A_U}, RetKind::kInt, kClassCreds},
    {107, "geteuid", 0, {}, RetKind::kInt, kClassCreds|kClassPure},
    {108, "getegid", 0, {}, RetKind::kInt, kClassCreds|kClassPure},
    {109, "setpgid", 2, {A_I, A_I}, RetKind::kInt, 0},
    {110, "getppid", 0, {}, RetKind::kInt, kClassPure},
    {111, "getpgrp", 0, {}, RetKind::kInt, kClassPure},
    {112, "setsid", 0, {}, RetKind::kInt, 0},
    {113, "setreuid", 2, {A_U, A_U}, RetKind::kInt, kClassCreds},
    {114, "setregid", 2, {A_U, A_U}, RetKind::kInt, kClassCreds},
    {115, "getgroups", 2, {A_I, A_P}, RetKind::kInt, kClassCreds},
    {116, "setgroups", 2, {A_Z, A_P}, RetKind::kInt, kClassCreds},
    {117, "setresuid", 3, {A_U, A_U, A_U}, RetKind::kInt, kClassCreds},
    {118, "getresuid", 3, {A_P, A_P, A_P}, RetKind::kInt, kClassCreds},
    {119, "setresgid", 3, {A_U, A_U, A_U}, RetKind::kInt, kClassCreds},
    {120, "getresgid", 3, {A_P, A_P, A_P}, RetKind::kInt, kClassCreds},
    {121, "getpgid", 1, {A_I}, RetKind::kInt, 0},
    {122, "setfsuid", 1, {A_U}, RetKind::kInt, kClassCreds},
    {123, "setfsgid", 1, {A_U}, RetKind::kInt, kClassCreds},
    {124, "getsid", 1, {A_I}, RetKind::kInt, 0},
    {125, "capget", 2, {A_P, A_P}, RetKind::kInt, kClassCreds},
    {126, "capset", 2, {A_P, A_P}, RetKind::kInt, kClassCreds},
    {127, "rt_sigpending", 2, {A_SO, A_Z}, RetKind::kInt, kClassSignal},
    {128, "rt_sigtimedwait", 4, {A_ST, A_SO, A_ST, A_Z}, RetKind::kInt, kClassSignal},
    {129, "rt_sigqueueinfo", 3, {A_I, A_SIG, A_ST}, RetKind::kInt, kClassSignal|kClassProcess},
    {130, "rt_sigsuspend", 2, {A_ST, A_Z}, RetKind::kInt, kClassSignal},
    {131, "sigaltstack", 2, {A_ST, A_ST}, RetKind::kInt, kClassSignal},
    {132, "utime", 2, {A_PATH, A_ST}, RetKind::kInt, kClassFile},
    {133, "mknod", 3, {A_PATH, A_MODE, A_X}, RetKind::kInt, kClassFile},
    {134, "uselib", 1, {A_PATH}, RetKind::kInt, kClassFile},
    {135, "personality", 1, {A_X}, RetKind::kInt, 0},
    {136, "ustat", 2, {A_X, A_ST}, RetKind::kInt, kClassStatfsLike},
    {137, "statfs", 2, {A_PATH, A_SO}, RetKind::kInt, kClassFile|kClassStatfs|kClassStatfsLike},
    {138, "fstatfs", 2, {A_FD, A_SO}, RetKind::kInt, kClassDesc|kClassFstatfs|kClassStatfsLike},
    {139, "sysfs", 3, {A_I, A_X, A_X}, RetKind::kInt, 0},
    {140, "getpriority", 2, {A_I, A_I}, RetKind::kInt, 0},
    {141, "setpriority", 3, {A_I, A_I, A_I}, RetKind::kInt, 0},
    {142, "sched_setparam", 2, {A_I, A_ST}, RetKind::kInt, 0},
    {143, "sched_getparam", 2, {A_I, A_ST}, RetKind::kInt, 0},
    {144, "sched_setscheduler", 3, {A_I, A_I, A_ST}, RetKind::kInt, 0},
    {145, "sched_getscheduler", 1, {A_I}, RetKind::kInt, 0},
    {146, "sched_get_priority_max", 1, {A_I}, RetKind::kInt, 0},
    {147, "sched_get_priority_min", 1, {A_I}, RetKind::kInt, 0},
    {148, "sched_rr_get_interval", 2, {A_I, A_ST}, RetKind::kInt, 0},
    {149, "mlock", 2, {A_P, A_Z}, RetKind::kInt, kClassMemory},
    {150, "munlock", 2, {A_P, A_Z}, RetKind::kInt, kClassMemory},
    {151, "mlockall", 1, {A_X}, RetKind::kInt, kClassMemory},
    {152, "munlockall", 0, {}, RetKind::kInt, kClassMemory},
    {153, "vhangup", 0, {}, RetKind::kInt, 0},
    {154, "modify_ldt", 3, {A_I, A_P, A_Z}, RetKind::kInt, 0},
    {155, "pivot_root", 2, {A_PATH, A_PATH}, RetKind::kInt, kClassFile},
    {156, "_sysctl", 1, {A_P}, RetKind::kInt, 0},
    {157, "prctl", 5, {en(FlagTable::kPrctlOption), A_X, A_X, A_X, A_X}, RetKind::kInt, kClassCreds},
    {158, "arch_prctl", 2, {en(FlagTable::kArchPrctlCode), A_X}, RetKind::kInt, 0},
    {159, "adjtimex", 1, {A_ST}, RetKind::kInt, kClassClock},
    {160, "setrlimit", 2, {en(FlagTable::kRlimitResource), A_ST}, RetKind::kInt, 0},
    {161, "chroot", 1, {A_PATH}, RetKind::kInt, kClassFile},
    {162, "sync", 0, {}, RetKind::kInt, 0},
    {163, "acct", 1, {A_PATH}, RetKind::kInt, kClassFile},
    {164, "settimeofday", 2, {A_ST, A_ST}, RetKind::kInt, kClassClock},
    {165, "mount", 5, {A_STR, A_PATH, A_STR, A_X, A_P}, RetKind::kInt, kClassFile},
    {166, "umount2", 2, {A_PATH, A_X}, RetKind::kInt, kClassFile},
    {167, "swapon", 2, {A_PATH, A_X}, RetKind::kInt, kClassFile},
    {168, "swapoff", 1, {A_PATH}, RetKind::kInt, kClassFile},
    {169, "reboot", 4, {A_X, A_X, A_X, A_P}, RetKind::kInt, 0},
    {170, "sethostname", 2, {byi(1), A_Z}, RetKind::kInt, 0},
    {171, "setdomainname", 2, {byi(1), A_Z}, RetKind::kInt, 0},
    {172, "iopl", 1, {A_I}, RetKind::kInt, 0},
    {173, "ioperm", 3, {A_X, A_X, A_I}, RetKind::kInt, 0},
    {174, "create_module", 2, {A_STR, A_Z}, RetKind::kInt, 0},
    {175, "init_module", 3, {A_P, A_Z, A_STR}, RetKind::kInt, 0},
    {176, "delete_module", 2, {A_STR, A_X}, RetKind::kInt, 0},
    {177, "get_kernel_syms", 1, {A_P}, RetKind::kInt, 0},
    {178, "query_module", 5, {A_STR, A_I, A_P, A_Z, A_P}, RetKind::kInt, 0},
    {179, "quotactl", 4, {A_X, A_PATH, A_I, A_P}, RetKind::kInt, kClassFile},
    {180, "nfsservctl", 3, {A_I, A_P, A_P}, RetKind::kInt, 0},
    {181, "getpmsg", 5, {A_X, A_X, A_X, A_X, A_X}, RetKind::kInt, kClassNetwork},
    {182, "putpmsg", 5, {A_X, A_X, A_X, A_X, A_X}, RetKind::kInt, kClassNetwork},
    {183, "afs_syscall", 5, {A_X, A_X, A_X, A_X, A_X}, RetKind::kInt, 0},
    {184, "tuxcall", 3, {A_X, A_X, A_X}, RetKind::kInt, 0},
    {185, "security", 3, {A_X, A_X, A_X}, RetKind::kInt, 0},
    {186, "gettid", 0, {}, RetKind::kInt, kClassPure},
    {187, "readahead", 3, {A_FD, A_L, A_Z}, RetKind::kInt, kClassDesc},
    {188, "setxattr", 5, {A_PATH, A_STR, byi(3), A_Z, A_X}, RetKind::kInt, kClassFile},
    {189, "lsetxattr", 5, {A_PATH, A_STR, byi(3), A_Z, A_X}, RetKind::kInt, kClassFile},
    {190, "fsetxattr", 5, {A_FD, A_STR, byi(3), A_Z, A_X}, RetKind::kInt, kClassDesc},
    {191, "getxattr", 4, {A_PATH, A_STR, byo(3), A_Z}, RetKind::kInt, kClassFile},
    {192, "lgetxattr", 4, {A_PATH, A_STR, byo(3), A_Z}, RetKind::kInt, kClassFile},
    {193, "fgetxattr", 4, {A_FD, A_STR, byo(3), A_Z}, RetKind::kInt, kClassDesc},
    {194, "listxattr", 3, {A_PATH, byo(2), A_Z}, RetKind::kInt, kClassFile},
    {195, "llistxattr", 3, {A_PATH, byo(2), A_Z}, RetKind::kInt, kClassFile},
    {196, "flistxattr", 3, {A_FD, byo(2), A_Z}, RetKind::kInt, kClassDesc},
    {197, "removexattr", 2, {A_PATH, A_STR}, RetKind::kInt, kClassFile},
    {198, "lremovexattr", 2, {A_PATH, A_STR}, RetKind::kInt, kClassFile},
    {199, "fremovexattr", 2, {A_FD, A_STR}, RetKind::kInt, kClassDesc},
    {200, "tkill", 2, {A_I, A_SIG}, RetKind::kInt, kClassSignal|kClassProcess},
    {201, "time", 1, {A_P}, RetKind::kInt, kClassClock},
    {202, "futex", 6, {A_P, fl(FlagTable::kFutexOp), A_U, A_ST, A_P, A_U}, RetKind::kInt, 0},
    {203, "sched_setaffinity", 3, {A_I, A_Z, A_P}, RetKind::kInt, 0},
    {204, "sched_getaffinity", 3, {A_I, A_Z, A_P}, RetKind::kInt, 0},
    {205, "set_thread_area", 1, {A_P}, RetKind::kInt, 0},
    {206, "io_setup", 2, {A_U, A_P}, RetKind::kInt, kClassMemory},
    {207, "io_destroy", 1, {A_X}, RetKind::kInt, kClassMemory},
    {208, "io_getevents", 5, {A_X, A_L, A_L, A_SO, A_ST}, RetKind::kInt, 0},
    {209, "io_submit", 3, {A_X, A_L, A_P}, RetKind::kInt, 0},
    {210, "io_cancel", 3, {A_X, A_P, A_P}, RetKind::kInt, 0},
    {211, "get_thread_area", 1, {A_P}, RetKind::kInt, 0},
    {212, "lookup_dcookie", 3, {A_X, A_P, A_Z}, RetKind::kInt, 0},
    {213, "epoll_create", 1, {A_I}, RetKind::kFd, kClassDesc},
    {214, "epoll_ctl_old", 4, {A_X, A_X, A_X, A_X}, RetKind::kInt, 0},
    {215, "epoll_wait_old", 4, {A_X, A_X, A_X, A_X}, RetKind::kInt, 0},
    {216, "remap_file_pages", 5, {A_P, A_Z, A_X, A_Z, A_X}, RetKind::kInt, kClassMemory},
    {217, "getdents64", 3, {A_FD, A_SO, A_U}, RetKind::kInt, kClassDesc},
    {218, "set_tid_address", 1, {A_P}, RetKind::kInt, 0},
    {219, "restart_syscall", 0, {}, RetKind::kInt, 0},
    {220, "semtimedop", 4, {A_I, A_P, A_Z, A_ST}, RetKind::kInt, kClassIpc},
    {221, "fadvise64", 4, {A_FD, A_L, A_L, en(FlagTable::kFadviseAdvice)}, RetKind::kInt, kClassDesc},
    {222, "timer_create", 3, {en(FlagTable::kClockId), A_ST, A_P}, RetKind::kInt, 0},
    {223, "timer_settime", 4, {A_X, A_I, A_ST, A_ST}, RetKind::kInt, 0},
    {224, "timer_gettime", 2, {A_X, A_ST}, RetKind::kInt, 0},
    {225, "timer_getoverrun", 1, {A_X}, RetKind::kInt, 0},
    {226, "timer_delete", 1, {A_X}, RetKind::kInt, 0},
    {227, "clock_settime", 2, {en(FlagTable::kClockId), A_ST}, RetKind::kInt, kClassClock},
    {228, "clock_gettime", 2, {en(FlagTable::kClockId), A_SO}, RetKind::kInt, kClassClock},
    {229, "clock_getres", 2, {en(FlagTable::kClockId), A_SO}, RetKind::kInt, kClassClock},
    {230, "clock_nanosleep", 4, {en(FlagTable::kClockId), A_I, A_ST, A_SO}, RetKind::kInt, 0},
    {231, "exit_group", 1, {A_I}, RetKind::kNoReturn, kClassProcess},
    {232, "epoll_wait", 4, {A_FD, A_SO, A_I, A_I}, RetKind::kInt, kClassDesc},
    {233, "epoll_ctl", 4, {A_FD, en(FlagTable::kEpollCtlOp), A_FD, A_ST}, RetKind::kInt, kClassDesc},
    {234, "tgkill", 3, {A_I, A_I, A_SIG}, RetKind::kInt, kClassSignal|kClassProcess},
    {235, "utimes", 2, {A_PATH, A_ST}, RetKind::kInt, kClassFile},
    {236, "vserver", 5, {A_X, A_X, A_X, A_X, A_X}, RetKind::kInt, 0},
    {237, "mbind", 6, {A_P, A_Z, A_I, A_P, A_U, A_X}, RetKind::kInt, kClassMemory},
    {238, "set_mempolicy", 3, {A_I, A_P, A_U}, RetKind::kInt, kClassMemory},
    {239, "get_mempolicy", 5, {A_P, A_P, A_U, A_P, A_X}, RetKind::kInt, kClassMemory},
    {240, "mq_open", 4, {A_STR, fl(FlagTable::kOpenFlags), A_MODE, A_ST}, RetKind::kFd, kClassDesc},
    {241, "mq_unlink", 1, {A_STR}, RetKind::kInt, 0},
    {242, "mq_timedsend", 5, {A_FD, bin(2), A_Z, A_U, A_ST}, RetKind::kInt, kClassDesc},
    {243, "mq_timedreceive", 5, {A_FD, bout(2), A_Z, A_P, A_ST}, RetKind::kInt, kClassDesc},
    {244, "mq_notify", 2, {A_FD, A_ST}, RetKind::kInt, kClassDesc},
    {245, "mq_getsetattr", 3, {A_FD, A_ST, A_ST}, RetKind::kInt, kClassDesc},
    {246, "kexec_load", 4, {A_X, A_U, A_P, A_X}, RetKind::kInt, 0},
    {247, "waitid", 5, {en(FlagTable::kWaitidType), A_I, A_SO, fl(FlagTable::kWaitOptions), A_SO}, RetKind::kInt, kClassProcess},
    {248, "add_key", 5, {A_STR, A_STR, byi(3), A_Z, A_I}, RetKind::kInt, 0},
    {249, "request_key", 4, {A_STR, A_STR, A_STR, A_I}, RetKind::kInt, 0},
    {250, "keyctl", 5, {A_I, A_X, A_X, A_X, A_X}, RetKind::kInt, 0},
    {251, "ioprio_set", 3, {A_I, A_I, A_I}, RetKind::kInt, 0},
    {252, "ioprio_get", 2, {A_I, A_I}, RetKind::kInt, 0},
    {253, "inotify_init", 0, {}, RetKind::kFd, kClassDesc},
    {254, "inotify_add_watch", 3, {A_FD, A_PATH, A_X}, RetKind::kInt, kClassDesc|kClassFile},
    {255, "inotify_rm_watch", 2, {A_FD, A_I}, RetKind::kInt, kClassDesc},
    {256, "migrate_pages", 4, {A_I, A_U, A_P, A_P}, RetKind::kInt, kClassMemory},
    {257, "openat", 4, {A_DFD, A_PATH, fl(FlagTable::kOpenFlags), A_MODE}, RetKind::kFd, kClassDesc|kClassFile},
    {258, "mkdirat", 3, {A_DFD, A_PATH, A_MODE}, RetKind::kInt, kClassDesc|kClassFile},
    {259, "mknodat", 4, {A_DFD, A_PATH, A_MODE, A_X}, RetKind::kInt, kClassDesc|kClassFile},
    {260, "fchownat", 5, {A_DFD, A_PATH, A_I, A_I, fl(FlagTable::kAtFlags)}, RetKind::kInt, kClassDesc|kClassFile},
    {261, "futimesat", 3, {A_DFD, A_PATH, A_ST}, RetKind::kInt, kClassDesc|kClassFile},
    {262, "newfstatat", 4, {A_DFD, A_PATH, A_SO, fl(FlagTable::kAtFlags)}, RetKind::kInt, kClassDesc|kClassFile|kClassFstat|kClassStatLike},
    {263, "unlinkat", 3, {A_DFD, A_PATH, fl(FlagTable::kAtFlags)}, RetKind::kInt, kClassDesc|kClassFile},
    {264, "renameat", 4, {A_DFD, A_PATH, A_DFD, A_PATH}, RetKind::kInt, kClassDesc|kClassFile},
    {265, "linkat", 5, {A_DFD, A_PATH, A_DFD, A_PATH, fl(FlagTable::kAtFlags)}, RetKind::kInt, kClassDesc|kClassFile},
    {266, "symlinkat", 3, {A_PATH, A_DFD, A_PATH}, RetKind::kInt, kClassDesc|kClassFile},
    {267, "readlinkat", 4, {A_DFD, A_PATH, byo(3), A_Z}, RetKind::kInt, kClassDesc|kClassFile},
    {268, "fchmodat", 3, {A_DFD, A_PATH, A_MODE}, RetKind::kInt, kClassDesc|kClassFile},
    {269, "faccessat", 3, {A_DFD, A_PATH, fl(FlagTable::kAccessMode)}, RetKind::kInt, kClassDesc|kClassFile},
    {270, "pselect6", 6, {A_I, A_ST, A_ST, A_ST, A_ST, A_ST}, RetKind::kInt, kClassDesc},
    {271, "ppoll", 5, {A_ST, A_U, A_ST, A_ST, A_Z}, RetKind::kInt, kClassDesc},
    {272, "unshare", 1, {fl(FlagTable::kUnshareFlags)}, RetKind::kInt, 0},
    {273, "set_robust_list", 2, {A_P, A_Z}, RetKind::kInt, 0},
    {274, "get_robust_list", 3, {A_I, A_P, A_P}, RetKind::kInt, 0},
    {275, "splice", 6, {A_FD, A_P, A_FD, A_P, A_Z, A_X}, RetKind::kInt, kClassDesc},
    {276, "tee", 4, {A_FD, A_FD, A_Z, A_X}, RetKind::kInt, kClassDesc},
    {277, "sync_file_range", 4, {A_FD, A_L, A_L, A_X}, RetKind::kInt, kClassDesc},
    {278, "vmsplice", 4, {A_FD, iovi(2), A_U, A_X}, RetKind::kInt, kClassDesc},
    {279, "move_pages", 6, {A_I, A_U, A_P, A_P, A_P, A_X}, RetKind::kInt, kClassMemory},
    {280, "utimensat", 4, {A_DFD, A_PATH, A_ST, fl(FlagTable::kAtFlags)}, RetKind::kInt, kClassDesc|kClassFile},
    {281, "epoll_pwait", 6, {A_FD, A_SO, A_I, A_I, A_ST, A_Z}, RetKind::kInt, kClassDesc},
    {282, "signalfd", 3, {A_FD, A_ST, A_Z}, RetKind::kFd, kClassDesc|kClassSignal},
    {283, "timerfd_create", 2, {en(FlagTable::kClockId), fl(FlagTable::kTimerfdFlags)}, RetKind::kFd, kClassDesc},
    {284, "eventfd", 1, {A_U}, RetKind::kFd, kClassDesc},
    {285, "fallocate", 4, {A_FD, A_X, A_L, A_L}, RetKind::kInt, kClassDesc},
    {286, "timerfd_settime", 4, {A_FD, A_I, A_ST, A_ST}, RetKind::kInt, kClassDesc},
    {287, "timerfd_gettime", 2, {A_FD, A_ST}, RetKind::kInt, kClassDesc},
    {288, "accept4", 4, {A_FD, sao(2), A_P, fl(FlagTable::kSocketType)}, RetKind::kFd, kClassNetwork},
    {289, "signalfd4", 4, {A_FD, A_ST, A_Z, fl(FlagTable::kSignalfdFlags)}, RetKind::kFd, kClassDesc|kClassSignal},
    {290, "eventfd2", 2, {A_U, fl(FlagTable::kEventfdFlags)}, RetKind::kFd, kClassDesc},
    {291, "epoll_create1", 1, {fl(FlagTable::kEpollFlags)}, RetKind::kFd, kClassDesc},
    {292, "dup3", 3, {A_FD, A_FD, fl(FlagTable::kFdFlags)}, RetKind::kFd, kClassDesc},
    {293, "pipe2", 2, {A_FDP, fl(FlagTable::kFdFlags)}, RetKind::kInt, kClassDesc},
    {294, "inotify_init1", 1, {fl(FlagTable::kInotifyFlags)}, RetKind::kFd, kClassDesc},
    {295, "preadv", 4, {A_FD, iovo(2), A_I, A_L}, RetKind::kInt, kClassDesc},
    {296, "pwritev", 4, {A_FD, iovi(2), A_I, A_L}, RetKind::kInt, kClassDesc},
    {297, "rt_tgsigqueueinfo", 4, {A_I, A_I, A_SIG, A_ST}, RetKind::kInt, kClassProcess|kClassSignal},
    {298, "perf_event_open", 5, {A_ST, A_I, A_I, A_FD, A_X}, RetKind::kFd, kClassDesc},
    {299, "recvmmsg", 5, {A_FD, A_SO, A_U, fl(FlagTable::kMsgFlags), A_ST}, RetKind::kInt, kClassNetwork},
    {300, "fanotify_init", 2, {A_X, A_X}, RetKind::kFd, kClassDesc},
    {301, "fanotify_mark", 5, {A_FD, A_X, A_X, A_DFD, A_PATH}, RetKind::kInt, kClassDesc|kClassFile},
    {302, "prlimit64", 4, {A_I, en(FlagTable::kRlimitResource), A_ST, A_SO}, RetKind::kInt, 0},
    {303, "name_to_handle_at", 5, {A_DFD, A_PATH, A_P, A_P, fl(FlagTable::kAtFlags)}, RetKind::kInt, kClassDesc|kClassFile},
    {304, "open_by_handle_at", 3, {A_FD, A_P, fl(FlagTable::kOpenFlags)}, RetKind::kFd, kClassDesc},
    {305, "clock_adjtime", 2, {en(FlagTable::kClockId), A_ST}, RetKind::kInt, kClassClock},
    {306, "syncfs", 1, {A_FD}, RetKind::kInt, kClassDesc},
    {307, "sendmmsg", 4, {A_FD, A_ST, A_U, fl(FlagTable::kMsgFlags)}, RetKind::kInt, kClassNetwork},
    {308, "setns", 2, {A_FD, A_X}, RetKind::kInt, kClassDesc},
    {309, "getcpu", 3, {A_P, A_P, A_P}, RetKind::kInt, 0},
    {310, "process_vm_readv", 6, {A_I, A_ST, A_U, A_ST, A_U, A_X}, RetKind::kInt, 0},
    {311, "process_vm_writev", 6, {A_I, A_ST, A_U, A_ST, A_U, A_X}, RetKind::kInt, 0},
    {312, "kcmp", 5, {A_I, A_I, A_I, A_X, A_X}, RetKind::kInt, 0},
    {313, "finit_module", 3, {A_FD, A_STR, A_X}, RetKind::kInt, kClassDesc},
    {314, "sched_setattr", 3, {A_I, A_ST, A_X}, RetKind::kInt, 0},
    {315, "sched_getattr", 4, {A_I, A_ST, A_U, A_X}, RetKind::kInt, 0},
    {316, "renameat2", 5, {A_DFD, A_PATH, A_DFD, A_PATH, fl(FlagTable::kRenameFlags)}, RetKind::kInt, kClassDesc|kClassFile},
    {317, "seccomp", 3, {A_U, A_X, A_P}, RetKind::kInt, 0},
    {318, "getrandom", 3, {byo(1), A_Z, fl(FlagTable::kGetrandomFlags)}, RetKind::kInt, 0},
    {319, "memfd_create", 2, {A_STR, fl(FlagTable::kMemfdFlags)}, RetKind::kFd, kClassDesc},
    {320, "kexec_file_load", 5, {A_FD, A_FD, A_U, A_STR, A_X}, RetKind::kInt, kClassDesc},
    {321, "bpf", 3, {A_I, A_P, A_U}, RetKind::kInt, kClassDesc},
    {322, "execveat", 5, {A_DFD, A_PATH, A_SARR, A_ST, fl(FlagTable::kAtFlags)}, RetKind::kInt, kClassDesc|kClassFile|kClassProcess},
    {323, "userfaultfd", 1, {fl(FlagTable::kFdFlags)}, RetKind::kFd, kClassDesc},
    {324, "membarrier", 3, {A_I, A_X, A_I}, RetKind::kInt, 0},
    {325, "mlock2", 3, {A_P, A_Z, A_X}, RetKind::kInt, kClassMemory},
    {326, "copy_file_range", 6, {A_FD, A_P, A_FD, A_P, A_Z, A_X}, RetKind::kInt, kClassDesc},
    {327, "preadv2", 6, {A_FD, iovo(2), A_I, A_L, A_L, A_X}, RetKind::kInt, kClassDesc},
    {328, "pwritev2", 6, {A_FD, iovi(2), A_I, A_L, A_L, A_X}, RetKind::kInt, kClassDesc},
    {329, "pkey_mprotect", 4, {A_P, A_Z, fl(FlagTable::kMmapProt), A_I}, RetKind::kInt, kClassMemory},
    {330, "pkey_alloc", 2, {A_X, A_X}, RetKind::kInt, 0},
    {331, "pkey_free", 1, {A_I}, RetKind::kInt, 0},
    {332, "statx", 5, {A_DFD, A_PATH, fl(FlagTable::kStatxFlags), fl(FlagTable::kStatxMask), A_SO}, RetKind::kInt, kClassDesc|kClassFile|kClassFstat|kClassStatLike},
    {333, "io_pgetevents", 6, {A_X, A_L, A_L, A_P, A_ST, A_ST}, RetKind::kInt, 0},
    {334, "rseq", 4, {A_P, A_X, A_X, A_X}, RetKind::kInt, 0},
    {335, "uretprobe", 0, {}, RetKind::kInt, 0},
    {336, "uprobe", 0, {}, RetKind::kInt, 0},
    {424, "pidfd_send_signal", 4, {A_FD, A_SIG, A_ST, A_X}, RetKind::kInt, kClassDesc|kClassSignal|kClassProcess},
    {425, "io_uring_setup", 2, {A_U, A_ST}, RetKind::kFd, kClassDesc|kClassMemory},
    {426, "io_uring_enter", 6, {A_FD, A_U, A_U, A_X, A_P, A_Z}, RetKind::kInt, kClassDesc|kClassSignal},
    {427, "io_uring_register", 4, {A_FD, A_U, A_P, A_U}, RetKind::kInt, kClassDesc|kClassMemory},
    {428, "open_tree", 3, {A_DFD, A_PATH, A_X}, RetKind::kFd, kClassDesc|kClassFile},
    {429, "move_mount", 5, {A_DFD, A_PATH, A_DFD, A_PATH, A_X}, RetKind::kInt, kClassDesc|kClassFile},
    {430, "fsopen", 2, {A_STR, A_X}, RetKind::kFd, kClassDesc},
    {431, "fsconfig", 5, {A_FD, A_U, A_STR, A_P, A_I}, RetKind::kInt, kClassDesc|kClassFile},
    {432, "fsmount", 3, {A_FD, A_X, A_X}, RetKind::kFd, kClassDesc},
    {433, "fspick", 3, {A_DFD, A_PATH, A_X}, RetKind::kFd, kClassDesc|kClassFile},
    {434, "pidfd_open", 2, {A_I, A_X}, RetKind::kFd, kClassDesc},
    {435, "clone3", 2, {A_ST, A_Z}, RetKind::kInt, kClassProcess},
    {436, "close_range", 3, {A_U, A_U, fl(FlagTable::kCloseRangeFlags)}, RetKind::kInt, kClassDesc},
    {437, "openat2", 4, {A_DFD, A_PATH, A_ST, A_Z}, RetKind::kFd, kClassDesc|kClassFile},
    {438, "pidfd_getfd", 3, {A_FD, A_I, A_X}, RetKind::kFd, kClassDesc},
    {439, "faccessat2", 4, {A_DFD, A_PATH, fl(FlagTable::kAccessMode), fl(FlagTable::kAccessAtFlags)}, RetKind::kInt, kClassDesc|kClassFile},
    {440, "process_madvise", 5, {A_FD, A_ST, A_Z, en(FlagTable::kMadvise), A_X}, RetKind::kInt, kClassDesc},
    {441, "epoll_pwait2", 6, {A_FD, A_SO, A_I, A_ST, A_ST, A_Z}, RetKind::kInt, kClassDesc},
    {442, "mount_setattr", 5, {A_DFD, A_PATH, fl(FlagTable::kAtFlags), A_ST, A_Z}, RetKind::kInt, kClassDesc|kClassFile},
    {443, "quotactl_fd", 4, {A_FD, A_X, A_I, A_P}, RetKind::kInt, kClassDesc},
    {444, "landlock_create_ruleset", 3, {A_ST, A_Z, A_X}, RetKind::kFd, kClassDesc},
    {445, "landlock_add_rule", 4, {A_FD, A_I, A_ST, A_X}, RetKind::kInt, kClassDesc},
    {446, "landlock_restrict_self", 2, {A_FD, A_X}, RetKind::kInt, kClassDesc},
    {447, "memfd_secret", 1, {A_X}, RetKind::kFd, kClassDesc},
    {448, "process_mrelease", 2, {A_FD, A_X}, RetKind::kInt, kClassDesc},
    {449, "futex_waitv", 5, {A_ST, A_U, A_X, A_ST, en(FlagTable::kClockId)}, RetKind::kInt, 0},
    {450, "set_mempolicy_home_node", 4, {A_P, A_Z, A_U, A_X}, RetKind::kInt, kClassMemory},
    {451, "cachestat", 4, {A_FD, A_ST, A_ST, A_X}, RetKind::kInt, kClassDesc},
    {452, "fchmodat2", 4, {A_DFD, A_PATH, A_MODE, fl(FlagTable::kAtFlags)}, RetKind::kInt, kClassDesc|kClassFile},
    {453, "map_shadow_stack", 3, {A_P, A_Z, A_X}, RetKind::kHex, kClassMemory},
    {454, "futex_wake", 4, {A_P, A_X, A_I, A_X}, RetKind::kInt, 0},
    {455, "futex_wait", 6, {A_P, A_X, A_X, A_X, A_ST, en(FlagTable::kClockId)}, RetKind::kInt, 0},
    {456, "futex_requeue", 4, {A_ST, A_X, A_I, A_I}, RetKind::kInt, 0},
    {457, "statmount", 4, {A_ST, A_ST, A_Z, A_X}, RetKind::kInt, 0},
    {458, "listmount", 4, {A_ST, A_P, A_Z, A_X}, RetKind::kInt, 0},
    {459, "lsm_get_self_attr", 4, {A_U, A_ST, A_P, A_X}, RetKind::kInt, 0},
    {460, "lsm_set_self_attr", 4, {A_U, A_ST, A_U, A_X}, RetKind::kInt, 0},
    {461, "lsm_list_modules", 3, {A_P, A_P, A_X}, RetKind::kInt, 0},
    {462, "mseal", 3, {A_P, A_Z, A_X}, RetKind::kInt, kClassMemory},
    {463, "setxattrat", 6, {A_DFD, A_PATH, fl(FlagTable::kAtFlags), A_STR, A_ST, A_Z}, RetKind::kInt, kClassDesc|kClassFile},
    {464, "getxattrat", 6, {A_DFD, A_PATH, fl(FlagTable::kAtFlags), A_STR, A_ST, A_Z}, RetKind::kInt, kClassDesc|kClassFile},
    {465, "listxattrat", 5, {A_DFD, A_PATH, fl(FlagTable::kAtFlags), byo(4), A_Z}, RetKind::kInt, kClassDesc|kClassFile},
    {466, "removexattrat", 4, {A_DFD, A_PATH, fl(FlagTable::kAtFlags), A_STR}, RetKind::kInt, kClassDesc|kClassFile},
    {467, "open_tree_attr", 5, {A_DFD, A_PATH, A_X, A_ST, A_Z}, RetKind::kFd, kClassDesc|kClassFile},
    {468, "file_getattr", 5, {A_DFD, A_PATH, A_ST, A_Z, fl(FlagTable::kAtFlags)}, RetKind::kInt, kClassDesc|kClassFile},
    {469, "file_setattr", 5, {A_DFD, A_PATH, A_ST, A_Z, fl(FlagTable::kAtFlags)}, RetKind::kInt, kClassDesc|kClassFile},
    {470, "listns", 4, {A_ST, A_P, A_Z, A_X}, RetKind::kInt, 0},
};

struct ClassName {
  std::string_view name;
  uint32_t bits;
};

constexpr ClassName kClassNames[] = {
    {"%file", kClassFile},       {"%network", kClassNetwork}, {"%net", kClassNetwork},
    {"%process", kClassProcess}, {"%signal", kClassSignal},   {"%ipc", kClassIpc},
    {"%desc", kClassDesc},       {"%memory", kClassMemory},   {"%creds", kClassCreds},
    {"%clock", kClassClock},     {"%stat", kClassStat},       {"%lstat", kClassLstat},
    {"%fstat", kClassFstat},     {"%%stat", kClassStatLike},  {"%statfs", kClassStatfs},
    {"%fstatfs", kClassFstatfs}, {"%%statfs", kClassStatfsLike}, {"%pure", kClassPure},
};

// Number -> row index, built once.
const std::array<int16_t, kSyscallSetSize>& number_index() {
  static const auto index = [] {
    std::array<int16_t, kSyscallSetSize> idx;
    idx.fill(-1);
    for (size_t i = 0; i < std::size(kSyscalls); ++i)
      idx[static_cast<size_t>(kSyscalls[i].number)] = static_cast<int16_t>(i);
    return idx;
  }();
  return index;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::span<const SyscallInfo> all_syscalls() { return kSyscalls; }

const SyscallInfo* syscall_by_number(int number) {
  if (number < 0 || number >= kSyscallSetSize) return nullptr;
  int16_t i = number_index()[static_cast<size_t>(number)];
  return i < 0 ? nullptr : &kSyscalls[i];
}

const SyscallInfo* syscall_by_name(std::string_view name) {
  for (const auto& s : kSyscalls)
    if (s.name == name) return &s;
  return nullptr;
}

std::string_view syscall_name(int number) {
  const SyscallInfo* s = syscall_by_number(number);
  return s ? s->name : std::string_view();
}

uint32_t syscall_class_by_name(std::string_view name) {
  for (const auto& c : kClassNames)
    if (c.name == name) return c.bits;
  return 0;
}

SyscallSet syscalls_in_class(uint32_t classes) {
  SyscallSet set;
  for (const auto& s : kSyscalls)
    if (s.classes & classes) set.set(static_cast<size_t>(s.number));
  return set;
}

Result<SyscallSet> parse_syscall_set(std::string_view expr) {
  expr = trim(expr);
  bool negate = false;
  if (!expr.empty() && expr.front() == '!') {
    negate = true;
    expr = trim(expr.substr(1));
  }
  if (expr.empty()) return plain_error("empty syscall set");

  SyscallSet set;
  while (true) {
    size_t comma = expr.find(',');
    std::string_view item = trim(expr.substr(0, comma));
    bool optional = false;
    if (!item.empty() && item.back() == '?') {
      optional = true;
      item.remove_suffix(1);
    }
    if (item.empty()) return plain_error("empty syscall name in set");

    bool matched = false;
    if (item == "all") {
      for (const auto& s : kSyscalls) set.set(static_cast<size_t>(s.number));
      matched = true;
    } else if (item == "none") {
      matched = true;
    } else if (item.front() == '%') {
      if (uint32_t bits = syscall_class_by_name(item)) {
        set |= syscalls_in_class(bits);
        matched = true;
      } else if (!optional) {
        return plain_error(fmt::format("unknown syscall class \"{}\"", item));
      }
    } else if (item.front() == '/') {
      std::regex re;
      try {
        re = std::regex(std::string(item.substr(1)), std::regex::extended | std::regex::nosubs);
      } catch (const std::regex_error& e) {
        return plain_error(fmt::format("invalid regex \"{}\": {}", item, e.what()));
      }
      for (const auto& s : kSyscalls) {
        if (std::regex_search(s.name.begin(), s.name.end(), re)) {
          set.set(static_cast<size_t>(s.number));
          matched = true;
        }
      }
      if (!matched && !optional)
        return plain_error(fmt::format("regex \"{}\" matches no syscall", item));
    } else if (const SyscallInfo* s = syscall_by_name(item)) {
      set.set(static_cast<size_t>(s->number));
      matched = true;
    } else if (uint32_t bits = syscall_class_by_name(fmt::format("%{}", item))) {
      // strace still accepts the old class spellings without '%' ("file").
      set |= syscalls_in_class(bits);
      matched = true;
    } else if (!optional) {
      return plain_error(fmt::format("unknown syscall \"{}\"", item));
    }

    if (comma == std::string_view::npos) break;
    expr.remove_prefix(comma + 1);
  }
  if (negate) {
    SyscallSet all;
    for (const auto& s : kSyscalls) all.set(static_cast<size_t>(s.number));
    set = all & ~set;
  }
  return set;
}

}  // namespace fdscope
