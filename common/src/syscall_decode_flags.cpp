// Named values for syscall arguments: the flag and enum tables the syscall
// table refers to by FlagTable (mmap prot/flags, msg flags, clone flags,
// fcntl commands, signals ...), and the two renderers that walk them.  Names
// common/ already tables elsewhere come from there: socket families and
// types (sockaddr.hpp), option levels and names (sockopt.hpp), open flags
// (open_flags.hpp).  Values are the x86_64 kernel's, written as
// numbers so newer flags need no newer libc headers.  A bit set renders like
// strace: names joined by '|' in table order (multi-bit names listed before
// their parts), leftover bits as one 0x... term, 0 as "0" unless the table
// names it.
#include <fmt/format.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fdscope/open_flags.hpp"
#include "fdscope/sockaddr.hpp"
#include "fdscope/sockopt.hpp"
#include "fdscope/syscall_format.hpp"
#include "fdscope/syscall_table.hpp"

namespace fdscope {

namespace {

struct Named {
  uint64_t value;
  std::string_view name;
};

constexpr Named kAtFlags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"},        {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"},     {0x1000, "AT_EMPTY_PATH"},      {0x2000, "AT_STATX_FORCE_SYNC"},
    {0x4000, "AT_STATX_DONT_SYNC"}, {0x8000, "AT_RECURSIVE"},
};
constexpr Named kAccessMode[] = {{0, "F_OK"}, {4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}};
constexpr Named kMmapProt[] = {
    {0, "PROT_NONE"}, {1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}, {8, "PROT_SEM"},
    {0x01000000, "PROT_GROWSDOWN"}, {0x02000000, "PROT_GROWSUP"},
};
constexpr Named kMmapFlags[] = {
    {3, "MAP_SHARED_VALIDATE"}, {1, "MAP_SHARED"},          {2, "MAP_PRIVATE"},
    {0x10, "MAP_FIXED"},        {0x20, "MAP_ANONYMOUS"},    {0x40, "MAP_32BIT"},
    {0x100, "MAP_GROWSDOWN"},   {0x800, "MAP_DENYWRITE"},   {0x1000, "MAP_EXECUTABLE"},
    {0x2000, "MAP_LOCKED"},     {0x4000, "MAP_NORESERVE"},  {0x8000, "MAP_POPULATE"},
    {0x10000, "MAP_NONBLOCK"},  {0x20000, "MAP_STACK"},     {0x40000, "MAP_HUGETLB"},
    {0x80000, "MAP_SYNC"},      {0x100000, "MAP_FIXED_NOREPLACE"}, {0x4000000, "MAP_UNINITIALIZED"},
};
constexpr Named kMremapFlags[] = {{1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"}, {4, "MREMAP_DONTUNMAP"}};
constexpr Named kMadvise[] = {
    {0, "MADV_NORMAL"},        {1, "MADV_RANDOM"},       {2, "MADV_SEQUENTIAL"},
    {3, "MADV_WILLNEED"},      {4, "MADV_DONTNEED"},     {8, "MADV_FREE"},
    {9, "MADV_REMOVE"},        {10, "MADV_DONTFORK"},    {11, "MADV_DOFORK"},
    {12, "MADV_MERGEABLE"},    {13, "MADV_UNMERGEABLE"}, {14, "MADV_HUGEPAGE"},
    {15, "MADV_NOHUGEPAGE"},   {16, "MADV_DONTDUMP"},    {17, "MADV_DODUMP"},
    {18, "MADV_WIPEONFORK"},   {19, "MADV_KEEPONFORK"},  {20, "MADV_COLD"},
    {21, "MADV_PAGEOUT"},      {22, "MADV_POPULATE_READ"}, {23, "MADV_POPULATE_WRITE"},
    {24, "MADV_DONTNEED_LOCKED"}, {25, "MADV_COLLAPSE"}, {100, "MADV_HWPOISON"},
    {101, "MADV_SOFT_OFFLINE"}, {102, "MADV_GUARD_INSTALL"}, {103, "MADV_GUARD_REMOVE"},
};
// Socket families and types are named by sockaddr.hpp's tables (one table
// for filan, relay and the formatter); only the type's flag bits live here.
constexpr Named kSocketTypeFlags[] = {{02000000, "SOCK_CLOEXEC"}, {04000, "SOCK_NONBLOCK"}};
constexpr Named kShutdownHow[] = {{0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}};
constexpr Named kMsgFlags[] = {
    {0x1, "MSG_OOB"},          {0x2, "MSG_PEEK"},          {0x4, "MSG_DONTROUTE"},
    {0x8, "MSG_CTRUNC"},       {0x10, "MSG_PROXY"},        {0x20, "MSG_TRUNC"},
    {0x40, "MSG_DONTWAIT"},    {0x80, "MSG_EOR"},          {0x100, "MSG_WAITALL"},
    {0x200, "MSG_FIN"},        {0x400, "MSG_SYN"},         {0x800, "MSG_CONFIRM"},
    {0x1000, "MSG_RST"},       {0x2000, "MSG_ERRQUEUE"},   {0x4000, "MSG_NOSIGNAL"},
    {0x8000, "MSG_MORE"},      {0x10000, "MSG_WAITFORONE"}, {0x40000, "MSG_BATCH"},
    {0x4000000, "MSG_ZEROCOPY"}, {0x20000000, "MSG_FASTOPEN"}, {0x40000000, "MSG_CMSG_CLOEXEC"},
};
constexpr Named kCloneFlags[] = {
    {0x100, "CLONE_VM"},            {0x200, "CLONE_FS"},             {0x400, "CLONE_FILES"},
    {0x800, "CLONE_SIGHAND"},       {0x1000, "CLONE_PIDFD"},         {0x2000, "CLONE_PTRACE"},
    {0x4000, "CLONE_VFORK"},        {0x8000, "CLONE_PARENT"},        {0x10000, "CLONE_THREAD"},
    {0x20000, "CLONE_NEWNS"},       {0x40000, "CLONE_SYSVSEM"},      {0x80000, "CLONE_SETTLS"},
    {0x100000, "CLONE_PARENT_SETTID"}, {0x200000, "CLONE_CHILD_CLEARTID"}, {0x400000, "CLONE_DETACHED"},
    {0x800000, "CLONE_UNTRACED"},   {0x1000000, "CLONE_CHILD_SETTID"}, {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"},    {0x8000000, "CLONE_NEWIPC"},     {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"},   {0x40000000, "CLONE_NEWNET"},    {0x80000000, "CLONE_IO"},
};
constexpr Named kUnshareFlags[] = {
    {0x80, "CLONE_NEWTIME"},     {0x200, "CLONE_FS"},          {0x400, "CLONE_FILES"},
    {0x800, "CLONE_SIGHAND"},    {0x20000, "CLONE_NEWNS"},     {0x40000, "CLONE_SYSVSEM"},
    {0x2000000, "CLONE_NEWCGROUP"}, {0x4000000, "CLONE_NEWUTS"}, {0x8000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"}, {0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"},
};
constexpr Named kPollEvents[] = {
    {0x1, "POLLIN"},      {0x2, "POLLPRI"},     {0x4, "POLLOUT"},    {0x8, "POLLERR"},
    {0x10, "POLLHUP"},    {0x20, "POLLNVAL"},   {0x40, "POLLRDNORM"}, {0x80, "POLLRDBAND"},
    {0x100, "POLLWRNORM"}, {0x200, "POLLWRBAND"}, {0x400, "POLLMSG"}, {0x1000, "POLLREMOVE"},
    {0x2000, "POLLRDHUP"},
};
constexpr Named kEpollCtlOp[] = {{1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"}};
constexpr Named kEpollFlags[] = {{02000000, "EPOLL_CLOEXEC"}};
constexpr Named kFcntlCmd[] = {
    {0, "F_DUPFD"},          {1, "F_GETFD"},          {2, "F_SETFD"},         {3, "F_GETFL"},
    {4, "F_SETFL"},          {5, "F_GETLK"},          {6, "F_SETLK"},         {7, "F_SETLKW"},
    {8, "F_SETOWN"},         {9, "F_GETOWN"},         {10, "F_SETSIG"},       {11, "F_GETSIG"},
    {15, "F_SETOWN_EX"},     {16, "F_GETOWN_EX"},     {17, "F_GETOWNER_UIDS"}, {36, "F_OFD_GETLK"},
    {37, "F_OFD_SETLK"},     {38, "F_OFD_SETLKW"},    {1024, "F_SETLEASE"},   {1025, "F_GETLEASE"},
    {1026, "F_NOTIFY"},      {1027, "F_DUPFD_QUERY"}, {1028, "F_CREATED_QUERY"}, {1030, "F_DUPFD_CLOEXEC"},
    {1031, "F_SETPIPE_SZ"},  {1032, "F_GETPIPE_SZ"},  {1033, "F_ADD_SEALS"},  {1034, "F_GET_SEALS"},
    {1035, "F_GET_RW_HINT"}, {1036, "F_SET_RW_HINT"}, {1037, "F_GET_FILE_RW_HINT"}, {1038, "F_SET_FILE_RW_HINT"},
};
constexpr Named kSeekWhence[] = {
    {0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"},
};
constexpr Named kSigprocmaskHow[] = {{0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"}};
constexpr Named kClockId[] = {
    {0, "CLOCK_REALTIME"},        {1, "CLOCK_MONOTONIC"},       {2, "CLOCK_PROCESS_CPUTIME_ID"},
    {3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"}, {5, "CLOCK_REALTIME_COARSE"},
    {6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"},       {8, "CLOCK_REALTIME_ALARM"},
    {9, "CLOCK_BOOTTIME_ALARM"},  {11, "CLOCK_TAI"},
};
constexpr Named kFutexCmd[] = {
    {0, "FUTEX_WAIT"},         {1, "FUTEX_WAKE"},         {2, "FUTEX_FD"},
    {3, "FUTEX_REQUEUE"},      {4, "FUTEX_CMP_REQUEUE"},  {5, "FUTEX_WAKE_OP"},
    {6, "FUTEX_LOCK_PI"},      {7, "FUTEX_UNLOCK_PI"},    {8, "FUTEX_TRYLOCK_PI"},
    {9, "FUTEX_WAIT_BITSET"},  {10, "FUTEX_WAKE_BITSET"}, {11, "FUTEX_WAIT_REQUEUE_PI"},
    {12, "FUTEX_CMP_REQUEUE_PI"}, {13, "FUTEX_LOCK_PI2"},
};
constexpr Named kWaitOptions[] = {
    {1, "WNOHANG"},        {2, "WSTOPPED"},       {4, "WEXITED"},      {8, "WCONTINUED"},
    {0x1000000, "WNOWAIT"}, {0x20000000, "__WNOTHREAD"}, {0x40000000, "__WALL"},
    {0x80000000, "__WCLONE"},
};
constexpr Named kPrctlOption[] = {
    {1, "PR_SET_PDEATHSIG"},    {2, "PR_GET_PDEATHSIG"},    {3, "PR_GET_DUMPABLE"},
    {4, "PR_SET_DUMPABLE"},     {5, "PR_GET_UNALIGN"},      {6, "PR_SET_UNALIGN"},
    {7, "PR_GET_KEEPCAPS"},     {8, "PR_SET_KEEPCAPS"},     {9, "PR_GET_FPEMU"},
    {10, "PR_SET_FPEMU"},       {11, "PR_GET_FPEXC"},       {12, "PR_SET_FPEXC"},
    {13, "PR_GET_TIMING"},      {14, "PR_SET_TIMING"},      {15, "PR_SET_NAME"},
    {16, "PR_GET_NAME"},        {19, "PR_GET_ENDIAN"},      {20, "PR_SET_ENDIAN"},
    {21, "PR_GET_SECCOMP"},     {22, "PR_SET_SECCOMP"},     {23, "PR_CAPBSET_READ"},
    {24, "PR_CAPBSET_DROP"},    {25, "PR_GET_TSC"},         {26, "PR_SET_TSC"},
    {27, "PR_GET_SECUREBITS"},  {28, "PR_SET_SECUREBITS"},  {29, "PR_SET_TIMERSLACK"},
    {30, "PR_GET_TIMERSLACK"},  {31, "PR_TASK_PERF_EVENTS_DISABLE"}, {32, "PR_TASK_PERF_EVENTS_ENABLE"},
    {33, "PR_MCE_KILL"},        {34, "PR_MCE_KILL_GET"},    {35, "PR_SET_MM"},
    {36, "PR_SET_CHILD_SUBREAPER"}, {37, "PR_GET_CHILD_SUBREAPER"}, {38, "PR_SET_NO_NEW_PRIVS"},
    {39, "PR_GET_NO_NEW_PRIVS"}, {40, "PR_GET_TID_ADDRESS"}, {41, "PR_SET_THP_DISABLE"},
    {42, "PR_GET_THP_DISABLE"}, {45, "PR_SET_FP_MODE"},     {46, "PR_GET_FP_MODE"},
    {47, "PR_CAP_AMBIENT"},     {59, "PR_SET_SYSCALL_USER_DISPATCH"}, {0x53564d41, "PR_SET_VMA"},
    {0x59616d61, "PR_SET_PTRACER"},
};
constexpr Named kArchPrctlCode[] = {
    {0x1001, "ARCH_SET_GS"},       {0x1002, "ARCH_SET_FS"},       {0x1003, "ARCH_GET_FS"},
    {0x1004, "ARCH_GET_GS"},       {0x1011, "ARCH_GET_CPUID"},    {0x1012, "ARCH_SET_CPUID"},
    {0x1021, "ARCH_GET_XCOMP_SUPP"}, {0x1022, "ARCH_GET_XCOMP_PERM"}, {0x1023, "ARCH_REQ_XCOMP_PERM"},
    {0x1024, "ARCH_GET_XCOMP_GUEST_PERM"}, {0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"},
    {0x2001, "ARCH_MAP_VDSO_X32"}, {0x2002, "ARCH_MAP_VDSO_32"},  {0x2003, "ARCH_MAP_VDSO_64"},
    {0x4001, "ARCH_GET_UNTAG_MASK"}, {0x4002, "ARCH_ENABLE_TAGGED_ADDR"},
    {0x4003, "ARCH_GET_MAX_TAG_BITS"}, {0x4004, "ARCH_FORCE_TAGGED_SVA"},
    {0x5001, "ARCH_SHSTK_ENABLE"}, {0x5002, "ARCH_SHSTK_DISABLE"}, {0x5003, "ARCH_SHSTK_LOCK"},
    {0x5004, "ARCH_SHSTK_UNLOCK"}, {0x5005, "ARCH_SHSTK_STATUS"},
};
constexpr Named kRlimitResource[] = {
    {0, "RLIMIT_CPU"},     {1, "RLIMIT_FSIZE"},  {2, "RLIMIT_DATA"},       {3, "RLIMIT_STACK"},
    {4, "RLIMIT_CORE"},    {5, "RLIMIT_RSS"},    {6, "RLIMIT_NPROC"},      {7, "RLIMIT_NOFILE"},
    {8, "RLIMIT_MEMLOCK"}, {9, "RLIMIT_AS"},     {10, "RLIMIT_LOCKS"},     {11, "RLIMIT_SIGPENDING"},
    {12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"}, {14, "RLIMIT_RTPRIO"},   {15, "RLIMIT_RTTIME"},
};
constexpr Named kEventfdFlags[] = {{1, "EFD_SEMAPHORE"}, {02000000, "EFD_CLOEXEC"}, {04000, "EFD_NONBLOCK"}};
constexpr Named kTimerfdFlags[] = {{02000000, "TFD_CLOEXEC"}, {04000, "TFD_NONBLOCK"}};
constexpr Named kInotifyFlags[] = {{02000000, "IN_CLOEXEC"}, {04000, "IN_NONBLOCK"}};
constexpr Named kSignalfdFlags[] = {{02000000, "SFD_CLOEXEC"}, {04000, "SFD_NONBLOCK"}};
constexpr Named kAccessAtFlags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_EACCESS"}, {0x1000, "AT_EMPTY_PATH"},
};
constexpr Named kIpProtocol[] = {
    {0, "IPPROTO_IP"},     {1, "IPPROTO_ICMP"},    {2, "IPPROTO_IGMP"},   {6, "IPPROTO_TCP"},
    {17, "IPPROTO_UDP"},   {41, "IPPROTO_IPV6"},   {47, "IPPROTO_GRE"},   {50, "IPPROTO_ESP"},
    {58, "IPPROTO_ICMPV6"}, {132, "IPPROTO_SCTP"}, {136, "IPPROTO_UDPLITE"}, {255, "IPPROTO_RAW"},
    {262, "IPPROTO_MPTCP"},
};
constexpr Named kFadviseAdvice[] = {
    {0, "POSIX_FADV_NORMAL"},   {1, "POSIX_FADV_RANDOM"},   {2, "POSIX_FADV_SEQUENTIAL"},
    {3, "POSIX_FADV_WILLNEED"}, {4, "POSIX_FADV_DONTNEED"}, {5, "POSIX_FADV_NOREUSE"},
};
// statx's sync type is a 2-bit field inside the AT_ flags.
constexpr uint64_t kStatxSyncType = 0x6000;
constexpr Named kStatxSync[] = {
    {0, "AT_STATX_SYNC_AS_STAT"}, {0x2000, "AT_STATX_FORCE_SYNC"}, {0x4000, "AT_STATX_DONT_SYNC"},
};
constexpr Named kStatxMask[] = {
    {0x7ff, "STATX_BASIC_STATS"}, {0x1, "STATX_TYPE"},     {0x2, "STATX_MODE"},
    {0x4, "STATX_NLINK"},         {0x8, "STATX_UID"},      {0x10, "STATX_GID"},
    {0x20, "STATX_ATIME"},        {0x40, "STATX_MTIME"},   {0x80, "STATX_CTIME"},
    {0x100, "STATX_INO"},         {0x200, "STATX_SIZE"},   {0x400, "STATX_BLOCKS"},
    {0x800, "STATX_BTIME"},       {0x1000, "STATX_MNT_ID"}, {0x2000, "STATX_DIOALIGN"},
    {0x4000, "STATX_MNT_ID_UNIQUE"}, {0x8000, "STATX_SUBVOL"}, {0x10000, "STATX_WRITE_ATOMIC"},
    {0x20000, "STATX_DIO_READ_ALIGN"},
};
constexpr Named kMemfdFlags[] = {
    {1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"}, {8, "MFD_NOEXEC_SEAL"},
    {0x10, "MFD_EXEC"},
};
constexpr Named kRenameFlags[] = {{1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"}, {4, "RENAME_WHITEOUT"}};
constexpr Named kGetrandomFlags[] = {{1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}};
constexpr Named kIoctlRequest[] = {
    {0x5401, "TCGETS"},      {0x5402, "TCSETS"},      {0x5403, "TCSETSW"},     {0x5404, "TCSETSF"},
    {0x5409, "TCSBRK"},      {0x540B, "TCFLSH"},      {0x540E, "TIOCSCTTY"},   {0x540F, "TIOCGPGRP"},
    {0x5410, "TIOCSPGRP"},   {0x5411, "TIOCOUTQ"},    {0x5413, "TIOCGWINSZ"},  {0x5414, "TIOCSWINSZ"},
    {0x541B, "FIONREAD"},    {0x5421, "FIONBIO"},     {0x5422, "TIOCNOTTY"},   {0x5429, "TIOCGSID"},
    {0x5450, "FIONCLEX"},    {0x5451, "FIOCLEX"},     {0x5452, "FIOASYNC"},    {0x8912, "SIOCGIFCONF"},
    {0x8913, "SIOCGIFFLAGS"}, {0x8933, "SIOCGIFINDEX"}, {0x40049409, "FICLONE"}, {0x80045430, "TIOCGPTN"},
    {0x40045431, "TIOCSPTLCK"},
};
constexpr Named kCloseRangeFlags[] = {{2, "CLOSE_RANGE_UNSHARE"}, {4, "CLOSE_RANGE_CLOEXEC"}};
constexpr Named kFlockOp[] = {{1, "LOCK_SH"}, {2, "LOCK_EX"}, {4, "LOCK_NB"}, {8, "LOCK_UN"}};
constexpr Named kWaitidType[] = {{0, "P_ALL"}, {1, "P_PID"}, {2, "P_PGID"}, {3, "P_PIDFD"}};

constexpr std::string_view kSignalNames[] = {
    "0",         "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",  "SIGTRAP",   "SIGABRT", "SIGBUS",
    "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2", "SIGPIPE",   "SIGALRM", "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP", "SIGTTIN",   "SIGTTOU", "SIGURG",
    "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",    "SIGPWR",  "SIGSYS",
};

std::span<const Named> table(FlagTable t) {
  switch (t) {
    case FlagTable::kAtFlags: return kAtFlags;
    case FlagTable::kAccessMode: return kAccessMode;
    case FlagTable::kMmapProt: return kMmapProt;
    case FlagTable::kMmapFlags: return kMmapFlags;
    case FlagTable::kMremapFlags: return kMremapFlags;
    case FlagTable::kMadvise: return kMadvise;
    // Named by other tables of common/, see format_enum/format_flags.
    case FlagTable::kSocketDomain:   // sockaddr.hpp's families
    case FlagTable::kSocketLevel:    // sockopt.hpp's levels
    case FlagTable::kOpenFlags:      // open_flags.hpp
    case FlagTable::kFdFlags:
      return {};
    case FlagTable::kSocketType: return kSocketTypeFlags;
    case FlagTable::kShutdownHow: return kShutdownHow;
    case FlagTable::kMsgFlags: return kMsgFlags;
    case FlagTable::kCloneFlags: return kCloneFlags;
    case FlagTable::kUnshareFlags: return kUnshareFlags;
    case FlagTable::kPollEvents: return kPollEvents;
    case FlagTable::kEpollCtlOp: return kEpollCtlOp;
    case FlagTable::kEpollFlags: return kEpollFlags;
    case FlagTable::kFcntlCmd: return kFcntlCmd;
    case FlagTable::kSeekWhence: return kSeekWhence;
    case FlagTable::kSigprocmaskHow: return kSigprocmaskHow;
    case FlagTable::kClockId: return kClockId;
    case FlagTable::kFutexOp: return kFutexCmd;
    case FlagTable::kWaitOptions: return kWaitOptions;
    case FlagTable::kPrctlOption: return kPrctlOption;
    case FlagTable::kArchPrctlCode: return kArchPrctlCode;
    case FlagTable::kRlimitResource: return kRlimitResource;
    case FlagTable::kEventfdFlags: return kEventfdFlags;
    case FlagTable::kTimerfdFlags: return kTimerfdFlags;
    case FlagTable::kInotifyFlags: return kInotifyFlags;
    case FlagTable::kSignalfdFlags: return kSignalfdFlags;
    case FlagTable::kAccessAtFlags: return kAccessAtFlags;
    case FlagTable::kIpProtocol: return kIpProtocol;
    case FlagTable::kMemfdFlags: return kMemfdFlags;
    case FlagTable::kFadviseAdvice: return kFadviseAdvice;
    case FlagTable::kStatxFlags: return kAtFlags;
    case FlagTable::kStatxMask: return kStatxMask;
    case FlagTable::kRenameFlags: return kRenameFlags;
    case FlagTable::kGetrandomFlags: return kGetrandomFlags;
    case FlagTable::kIoctlRequest: return kIoctlRequest;
    case FlagTable::kCloseRangeFlags: return kCloseRangeFlags;
    case FlagTable::kFlockOp: return kFlockOp;
    case FlagTable::kWaitidType: return kWaitidType;
    case FlagTable::kNone:
    case FlagTable::kCount: break;
  }
  return {};
}

// Names for the bits of v in table order, leftovers as 0x...  When nothing
// was written before (wrote_before false), 0 renders as the table's name for
// 0 or "0"; otherwise the names are appended after a '|'.
void bits(std::span<const Named> t, uint64_t v, bool wrote_before, std::string& out) {
  bool first = !wrote_before;
  auto sep = [&] {
    if (!first) out.push_back('|');
    first = false;
  };
  if (v == 0) {
    if (!wrote_before) {
      for (const auto& e : t)
        if (e.value == 0) {
          out.append(e.name);
          return;
        }
      out.push_back('0');
    }
    return;
  }
  for (const auto& e : t) {
    if (e.value != 0 && (v & e.value) == e.value) {
      sep();
      out.append(e.name);
      v &= ~e.value;
    }
  }
  if (v) {
    sep();
    fmt::format_to(std::back_inserter(out), "{:#x}", v);
  }
}

}  // namespace

void format_signal(int sig, std::string& out) {
  if (sig > 0 && sig < static_cast<int>(std::size(kSignalNames))) {
    out.append(kSignalNames[sig]);
  } else if (sig == 32) {
    out.append("SIGRTMIN");
  } else if (sig > 32 && sig <= 64) {
    fmt::format_to(std::back_inserter(out), "SIGRT_{}", sig - 32);
  } else {
    fmt::format_to(std::back_inserter(out), "{}", sig);
  }
}

void format_enum(FlagTable t, uint64_t value, std::string& out) {
  if (t == FlagTable::kSocketDomain && value <= 0xffff) {
    if (auto name = family_name(static_cast<int>(value)); !name.empty()) {
      out.append(name);
      return;
    }
  }
  if (t == FlagTable::kSocketLevel && value <= 0xffff) {
    if (auto name = sockopt_level_call_name(static_cast<int>(value)); !name.empty()) {
      out.append(name);
      return;
    }
  }
  for (const auto& e : table(t)) {
    if (e.value == value) {
      out.append(e.name);
      return;
    }
  }
  // Small values read best in decimal (an unknown level or option number),
  // big ones (ioctl requests) in hex.
  if (value < 0x1000)
    fmt::format_to(std::back_inserter(out), "{}", static_cast<int64_t>(static_cast<int32_t>(value)));
  else
    fmt::format_to(std::back_inserter(out), "{:#x}", value);
}

void format_flags(FlagTable t, uint64_t value, std::string& out) {
  switch (t) {
    case FlagTable::kOpenFlags:
    case FlagTable::kFdFlags:
      // open_flags.hpp's names in strace's order; the access mode is a
      // 2-bit number, not a bit set.
      if (value >> 32) {
        bits({}, value, false, out);  // not open flags at all
        return;
      }
      append_open_flags_strace(static_cast<unsigned>(value), t == FlagTable::kOpenFlags, out);
      return;
    case FlagTable::kStatxFlags:
      // The sync type always named first, then the AT_ bits.
      for (const auto& e : kStatxSync)
        if (e.value == (value & kStatxSyncType)) out.append(e.name);
      bits(kAtFlags, value & ~kStatxSyncType, true, out);
      return;
    case FlagTable::kSocketType: {
      uint64_t kind = value & 0xf;
      bool wrote = false;
      if (kind) {
        if (auto name = socket_type_name(static_cast<int>(kind)); !name.empty())
          out.append(name);
        else
          fmt::format_to(std::back_inserter(out), "{:#x}", kind);
        wrote = true;
      }
      bits(kSocketTypeFlags, value & ~uint64_t{0xf}, wrote, out);
      return;
    }
    case FlagTable::kCloneFlags: {
      // Low byte: the signal sent to the parent at exit.
      uint64_t rest = value & ~uint64_t{0xff};
      bool wrote = rest != 0;
      if (rest) bits(kCloneFlags, rest, false, out);
      if (value & 0xff) {
        if (wrote) out.push_back('|');
        format_signal(static_cast<int>(value & 0xff), out);
        wrote = true;
      }
      if (!wrote) out.push_back('0');
      return;
    }
    case FlagTable::kFutexOp: {
      uint64_t cmd = value & 0x7f;
      bool named = false;
      for (const auto& e : kFutexCmd)
        if (e.value == cmd) {
          out.append(e.name);
          named = true;
        }
      if (!named) fmt::format_to(std::back_inserter(out), "{}", cmd);
      if (value & 0x80) out.append("_PRIVATE");
      if (value & 0x100) out.append("|FUTEX_CLOCK_REALTIME");
      if (uint64_t other = value & ~uint64_t{0x1ff})
        fmt::format_to(std::back_inserter(out), "|{:#x}", other);
      return;
    }
    default:
      bits(table(t), value, false, out);
      return;
  }
}

}  // namespace fdscope
