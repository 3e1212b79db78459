// The syscall formatter: renders one system call the way strace does
// (`openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3`), the way
// socat's -dddd logs do (`connect(5, AF=2 127.0.0.1:1, 16)`), and as one JSON
// object.  Its input is a plain SyscallRecord (number, six raw arguments,
// return value, optional captured bytes per argument, times) so trace's BPF
// events and relay's own call sites feed it alike.  Argument decoding walks
// the syscall table (fdscope/syscall_table.hpp); fds are decorated through a
// callback so the fd model can say `5<TCP:[127.0.0.1:40000->127.0.0.1:8000]>`.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "fdscope/syscall_table.hpp"

namespace fdscope {

// Bytes captured from user memory for one argument: the path or string a
// pointer named, the buffer written or read, the sockaddr, the int[2] of
// pipe().  `truncated` says the capture stopped before the real end (snap
// length), so the renderer appends `...`.
struct CapturedArg {
  bool present = false;
  bool truncated = false;
  std::string_view bytes;  // not owned; must outlive the format call
};

// One message of sendmsg/recvmsg/sendmmsg/recvmmsg, or the one iovec array
// of readv/writev/preadv/pwritev, as captured at the call's exit (so
// recvmsg/recvmmsg show what the kernel filled in).
struct CapturedMsg {
  uint64_t msg_len = 0;     // bytes this message moved (mmsghdr.msg_len)
  uint32_t data_len = 0;    // its payload bytes in the argument's capture
  uint64_t iovlen = 0;      // msg_iovlen / iovcnt as the process passed it
  uint32_t namelen = 0;     // msg_namelen
  uint64_t controllen = 0;  // msg_controllen
  int32_t flags = 0;        // msg_flags
  uint16_t iov_cnt = 0;     // iov_len values recorded for it in iov_lens
  std::string_view name;    // msg_name bytes (a sockaddr) when captured
  std::string_view control; // msg_control bytes (cmsghdrs) when captured
  bool control_present = false;
};

// One system call as observed.
struct SyscallRecord {
  int nr = -1;                  // x86_64 syscall number
  std::array<uint64_t, 6> args{};
  int64_t ret = 0;              // raw kernel return: -4095..-1 is -errno
  bool has_ret = true;          // false: entry seen, exit not (yet)
  int32_t pid = 0;              // thread-group id
  int32_t tid = 0;              // thread id (strace's "[pid N]" shows this)
  uint64_t enter_ns = 0;        // CLOCK_REALTIME nanoseconds at entry
  uint64_t exit_ns = 0;         // CLOCK_REALTIME nanoseconds at exit (has_ret)
  std::array<CapturedArg, 6> data{};
  // Vectored calls: the payload of all iovecs (all messages) back to back is
  // the CapturedArg of the iovec / msghdr / mmsghdr argument; these say how
  // it splits.  iov_lens holds the iov_len of each iovec as passed, message
  // after message (msgs[k].iov_cnt each); readv/writev may leave msgs empty.
  // Without iov_lens the payload prints as one string.  Not owned.
  std::span<const CapturedMsg> msgs;
  std::span<const uint64_t> iov_lens;
};

// -t / -tt / -ttt / -r of strace.
enum class TimestampStyle : uint8_t {
  kNone,
  kTime,        // -t    "13:02:03 "           (local time)
  kTimeMicro,   // -tt   "13:02:03.123456 "
  kEpochMicro,  // -ttt  "1700000000.123456 "
  kRelative,    // -r    "     0.000123 " since the previous call's entry
};

// Returns the text inside `fd<...>` for (pid, fd) — "/etc/passwd",
// "TCP:[127.0.0.1:40000->127.0.0.1:8000]" — or an empty string to print the
// bare number.  Also asked for fd == AT_FDCWD (-100) of *at() calls: return
// the working directory to get strace -yy's `AT_FDCWD</tmp>`.
using FdDecorator = std::function<std::string(int32_t pid, int fd)>;

struct SyscallFormatOptions {
  TimestampStyle timestamps = TimestampStyle::kNone;
  bool show_duration = false;  // -T: " <0.000123>"
  bool show_pid = false;       // "[pid N] " prefix (N = tid), as strace -f
  size_t string_limit = 32;    // -s: longest string/buffer shown before `...`
  int align_column = 0;        // strace -a: pad " = " to this column (0: none)
  FdDecorator decorate_fd;     // empty: fds print as numbers
  // The returned fd, when it may differ from what the same number named in
  // the arguments (dup2 over an open fd: strace shows the old name in the
  // arguments, the new one after "= "); empty: decorate_fd.
  FdDecorator decorate_ret_fd;
};

class SyscallFormatter {
 public:
  explicit SyscallFormatter(SyscallFormatOptions opts = {});

  // Appends one complete line (no newline) for a finished call:
  //   "[pid 12] 10:00:00.000001 read(3, "abc", 4096) = 3 <0.000010>"
  // For a record with has_ret == false this gives the unfinished form.
  void format(const SyscallRecord& rec, std::string& out);

  // Entry seen, another thread interleaves: `read(3, <unfinished ...>`
  // (the arguments known at entry, then strace's marker).
  void format_unfinished(const SyscallRecord& rec, std::string& out);

  // The exit of an unfinished call: `<... read resumed>"abc", 4096) = 3`
  // (the arguments filled in by the kernel, then the return value).
  void format_resumed(const SyscallRecord& rec, std::string& out);

  // One JSON object with stable keys, in this order:
  //   ts (seconds since the epoch, microseconds), pid, tid, syscall,
  //   args (array of the decoded argument texts), ret (integer: -1 on error,
  //   null if unfinished or the call does not return), errno (name or null),
  //   duration_us (number or null).
  void format_json(const SyscallRecord& rec, std::string& out) const;

  // The argument list alone, without the name and parentheses.
  void format_args(const SyscallRecord& rec, std::string& out) const;

  // The return value alone: "3", "-1 ENOENT (No such file or directory)",
  // "0x7f12a000", "?".
  void format_return(const SyscallRecord& rec, std::string& out) const;

  const SyscallFormatOptions& options() const { return opts_; }

 private:
  void prefix(const SyscallRecord& rec, std::string& out);
  void suffix(const SyscallRecord& rec, size_t line_start, std::string& out) const;
  void arg(const SyscallRecord& rec, const SyscallInfo* info, int i, std::string& out) const;
  void slot(const SyscallRecord& rec, const SyscallInfo* info, int arg_index, const char* label,
            std::string& out) const;
  bool arg_is_output(const SyscallInfo* info, int i) const;

  SyscallFormatOptions opts_;
  uint64_t last_enter_ns_ = 0;  // for -r
};

// socat's -dddd syscall log form (sycls.c), for relay:
//   socat_call_text:   `connect(5, AF=2 127.0.0.1:1, 16)`, `getpid()`,
//                      `socket(2, 1, 6)`, `read(5, 0x7ffd1000, 8192)`
//   socat_return_text: `getpid() -> 11453`, `socket(2, 1, 6) -> 5` (fd-making
//                      calls repeat their arguments), `read -> 12`,
//                      `read -> -1 (errno=11)`, `connect() -> -1`,
//                      `fcntl() -> 0x802`
// Strings are quoted in full, buffers and structs are pointers, sockaddrs use
// socat's "AF=N addr:port" form, numbers are decimal (open flags and modes
// octal).
std::string socat_call_text(const SyscallRecord& rec);
// A record for a call this process makes itself (relay): number looked up by
// name (-1 if unknown), the arguments as given, pid/tid of the caller.  Set
// ret (or -errno) and data[] before rendering the return line.
SyscallRecord make_syscall_record(std::string_view name, std::initializer_list<uint64_t> args);
std::string socat_return_text(const SyscallRecord& rec);

// Building blocks, exposed for other renderers (trace's -c table, relay's
// logs) and for tests.
//
// C string escaping like strace: printable ASCII as is, \t \n \v \f \r \" \\,
// others as \ooo octal; at most `limit` bytes, then `...` after the quote.
// `truncated` also adds the `...`.
void format_quoted(std::string_view bytes, size_t limit, bool truncated, std::string& out);
// Flag/enum tables: "O_RDONLY|O_CLOEXEC", unknown bits as "0x40000000".
void format_flags(FlagTable table, uint64_t value, std::string& out);
void format_enum(FlagTable table, uint64_t value, std::string& out);
// "SIGTERM", or the number when unknown.
void format_signal(int sig, std::string& out);
// strace's struct sockaddr rendering:
//   {sa_family=AF_INET, sin_port=htons(8000), sin_addr=inet_addr("127.0.0.1")}
void format_sockaddr(std::string_view raw, std::string& out);
// socat's: "AF=2 127.0.0.1:8000", "AF=10 [::1]:8000", "AF=1 \"/tmp/s\"".
void format_sockaddr_socat(std::string_view raw, std::string& out);
// A captured struct argument in strace's form, for the calls whose structs
// are known (timespec of nanosleep/clock_*/ppoll/futex..., the pollfd array
// of poll/ppoll, epoll_ctl's epoll_event, rlimits, struct stat of the stat
// family); false (nothing written) for other arguments or short captures.
// The capture is the raw struct bytes (nfds pollfds for poll).
bool format_struct_arg(const SyscallRecord& rec, int arg, std::string_view raw, std::string& out);

// What a tracer copies for the struct arguments format_struct_arg decodes
// (trace's capture plan asks for exactly these): the memory behind the
// pointer, at most `size` bytes (and at most args[len_arg] when len_arg >= 0),
// or a count the tracer works out itself.
enum class StructCapture : uint8_t {
  kNone,
  kIn,             // what the process passed in, whatever the result
  kOut,            // what the kernel filled in, on success only
  kRet,            // filled bytes, as many as the return value (getrandom)
  kCountDirents,   // u32: linux_dirent64 records in the returned bytes
  kCountPointers,  // u32: pointers before NULL, counted at entry (execve envp)
  kMsgControl,     // msg_control bytes of the msghdr (recvmsg: on success)
  kSigmaskArg,     // pselect6's {sigset_t *, size_t}, then the set (8 bytes)
};
struct StructCaptureSpec {
  StructCapture how = StructCapture::kNone;
  uint16_t size = 0;
  int8_t len_arg = -1;
};
StructCaptureSpec struct_capture(int nr, int arg);

// The struct renderers behind format_struct_arg, exposed for tests and
// other renderers.  Each takes the raw bytes and returns false (nothing
// written) when they are too short.
//
// strace's signal set: `[INT TERM]`, `~[RTMIN RT_1]` (the complement when 2/3
// or more of the bits are set), `[]`.  `size` is the sigsetsize argument.
bool format_sigset(std::string_view raw, uint64_t size, std::string& out);
// struct kernel_sigaction of rt_sigaction: `{sa_handler=SIG_IGN, sa_mask=[],
// sa_flags=SA_RESTORER, sa_restorer=0x7f...}`.
bool format_sigaction(std::string_view raw, std::string& out);
// waitid's siginfo for SIGCHLD: `{si_signo=SIGCHLD, si_code=CLD_EXITED,
// si_pid=12, si_uid=0, si_status=0, si_utime=0, si_stime=0}`, `{}` if empty.
bool format_siginfo(std::string_view raw, std::string& out);
// A wait status: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
void format_wait_status(int status, std::string& out);
// struct stat and struct statx in strace's abbreviated form:
// `{st_mode=S_IFREG|0644, st_size=1234, ...}`, `{stx_mask=STATX_BASIC_STATS,
// stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1234, ...}`.
bool format_stat(std::string_view raw, std::string& out);
bool format_statx(std::string_view raw, std::string& out);
// A file mode: `S_IFDIR|S_ISVTX|0777`, `0600` (no type).
void format_file_mode(uint32_t mode, std::string& out);
// msg_control's cmsghdrs: `[{cmsg_len=20, cmsg_level=SOL_SOCKET,
// cmsg_type=SCM_RIGHTS, cmsg_data=[5]}]` (fds through `decorate`, may be
// null); `controllen` is msg_controllen (what the kernel says is there).
void format_cmsgs(std::string_view raw, uint64_t controllen, int32_t pid,
                  const FdDecorator* decorate, std::string& out);
// Bytes as a quoted string of \x escapes (strace's getrandom form), at most
// `limit` of them, then `...` after the quote if more were there.
void format_quoted_hex(std::string_view bytes, size_t limit, bool truncated, std::string& out);
// strace's iovec array: `[{iov_base="ab", iov_len=2}, {iov_base="cd", iov_len=2}]`.
// `bytes` is the captured payload back to back, `lens` the iov_len values
// recorded (of `count` passed), `shown` how many bytes of content are
// meaningful (a read's return value; UINT64_MAX for what a write passed):
// iovec i shows min(iov_len, what is left of `shown`), `...` after a string
// whose bytes were not all captured, and at most `limit` elements (strace's
// -s also bounds arrays) before `, ...`.
void format_iovec_array(std::string_view bytes, std::span<const uint64_t> lens, uint64_t count,
                        uint64_t shown, size_t limit, std::string& out);
// strace's struct msghdr: `{msg_name=NULL, msg_namelen=0, msg_iov=[...],
// msg_iovlen=1, msg_controllen=0, msg_flags=0}` (msg_name as a sockaddr when
// captured).  `lens` are this message's iov_len values.
// msg_control shows as cmsghdrs when m.control was captured (fds through
// `decorate` with `pid`).
void format_msghdr(const CapturedMsg& m, std::string_view bytes, std::span<const uint64_t> lens,
                   uint64_t shown, size_t limit, std::string& out,
                   const FdDecorator* decorate = nullptr, int32_t pid = 0);
// The vector arguments of the calls above (iovec arrays, msghdr, mmsghdr
// arrays) when rec carries their layout (msgs/iov_lens); false (nothing
// written) otherwise, or when the call failed.
bool format_vector_arg(const SyscallRecord& rec, int arg, size_t limit, std::string& out,
                       const FdDecorator* decorate = nullptr);

}  // namespace fdscope
