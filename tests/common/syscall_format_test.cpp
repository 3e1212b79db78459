// The syscall formatter: exact strace-style lines for representative calls
// (flags, paths, buffers with escapes and -s truncation, sockaddrs, errors,
// fds decorated like strace -yy), the prefixes and suffixes of -f, -t/-tt/
// -ttt/-r and -T, the unfinished/resumed pair, JSON that parses with stable
// keys, and socat's -dddd log form.
#include "fdscope/syscall_format.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

using namespace fdscope;

namespace {

int nr(const char* name) { return syscall_by_name(name)->number; }

SyscallRecord call(const char* name, std::initializer_list<uint64_t> args, int64_t ret) {
  SyscallRecord r;
  r.nr = nr(name);
  size_t i = 0;
  for (uint64_t a : args) r.args[i++] = a;
  r.ret = ret;
  r.pid = r.tid = 4242;
  return r;
}

void capture(SyscallRecord& r, int arg, std::string_view bytes, bool truncated = false) {
  r.data[static_cast<size_t>(arg)] = CapturedArg{true, truncated, bytes};
}

std::string line(const SyscallRecord& r, SyscallFormatOptions o = {}) {
  SyscallFormatter f(std::move(o));
  std::string out;
  f.format(r, out);
  return out;
}

std::string sin4(const char* ip, uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  inet_pton(AF_INET, ip, &sa.sin_addr);
  return std::string(reinterpret_cast<const char*>(&sa), sizeof sa);
}

constexpr uint64_t kAtFdcwd = static_cast<uint64_t>(-100);
constexpr uint64_t kBuf = 0x7ffd1000;

}  // namespace

TEST(SyscallFormat, OpenatWithFlags) {
  auto r = call("openat", {kAtFdcwd, 0x1000, 02000000, 0}, 3);
  capture(r, 1, std::string_view("/etc/passwd\0junk", 16));
  EXPECT_EQ(line(r), R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3)");
}

TEST(SyscallFormat, ModeShownOnlyWhenCreating) {
  auto r = call("openat", {kAtFdcwd, 0x1000, 01 | 0100 | 01000, 0644}, 4);
  capture(r, 1, "/tmp/out");
  EXPECT_EQ(line(r), R"(openat(AT_FDCWD, "/tmp/out", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4)");
  auto m = call("mkdir", {0x1000, 0}, 0);
  capture(m, 0, "d");
  EXPECT_EQ(line(m), R"(mkdir("d", 000) = 0)");
}

TEST(SyscallFormat, ErrorShowsErrnoNameAndText) {
  auto r = call("open", {0x1000, 0}, -ENOENT);
  capture(r, 0, "/nonexistent");
  EXPECT_EQ(line(r), R"(open("/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory))");
  auto x = call("read", {0, kBuf, 10}, -512);
  EXPECT_EQ(line(x), "read(0, 0x7ffd1000, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
}

TEST(SyscallFormat, ReadBufferEscapedAndCutAtReturnValue) {
  auto r = call("read", {3, kBuf, 4096}, 10);
  capture(r, 1, std::string_view("ab\"\\\t\n\0" "1\x7f" "Z-not-returned", 23));
  EXPECT_EQ(line(r), R"(read(3, "ab\"\\\t\n\0001\177Z", 4096) = 10)");
  // Shorter capture than the return value: marked as cut.
  auto s = call("read", {3, kBuf, 4096}, 100);
  capture(s, 1, "abc");
  EXPECT_EQ(line(s), R"(read(3, "abc"..., 4096) = 100)");
  // On failure the buffer holds nothing: pointer.
  auto e = call("read", {3, kBuf, 4096}, -EAGAIN);
  capture(e, 1, "stale");
  EXPECT_EQ(line(e), "read(3, 0x7ffd1000, 4096) = -1 EAGAIN (Resource temporarily unavailable)");
}

TEST(SyscallFormat, WriteTruncatedByStringLimit) {
  auto r = call("write", {1, kBuf, 10}, 10);
  capture(r, 1, "aaaaaaaaaa");
  SyscallFormatOptions o;
  o.string_limit = 4;
  EXPECT_EQ(line(r, o), R"(write(1, "aaaa"..., 10) = 10)");
  auto u = call("write", {1, kBuf, 10}, 10);
  EXPECT_EQ(line(u), "write(1, 0x7ffd1000, 10) = 10");  // nothing captured
  auto esc = call("write", {2, kBuf, 3}, 3);
  capture(esc, 1, "\x1b[m");
  EXPECT_EQ(line(esc), R"(write(2, "\33[m", 3) = 3)");
}

TEST(SyscallFormat, ConnectIpv4RefusedAndUnix) {
  std::string sa = sin4("127.0.0.1", 8000);
  auto r = call("connect", {5, kBuf, 16}, -ECONNREFUSED);
  capture(r, 1, sa);
  EXPECT_EQ(line(r),
            "connect(5, {sa_family=AF_INET, sin_port=htons(8000), "
            "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED (Connection refused)");

  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::strcpy(un.sun_path, "/run/x.sock");
  auto u = call("connect", {3, kBuf, 110}, 0);
  capture(u, 1, std::string_view(reinterpret_cast<const char*>(&un), sizeof un));
  EXPECT_EQ(line(u), R"(connect(3, {sa_family=AF_UNIX, sun_path="/run/x.sock"}, 110) = 0)");
}

TEST(SyscallFormat, BindIpv6) {
  sockaddr_in6 sa{};
  sa.sin6_family = AF_INET6;
  sa.sin6_port = htons(443);
  inet_pton(AF_INET6, "::1", &sa.sin6_addr);
  auto r = call("bind", {4, kBuf, sizeof sa}, 0);
  capture(r, 1, std::string_view(reinterpret_cast<const char*>(&sa), sizeof sa));
  EXPECT_EQ(line(r),
            "bind(4, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
            "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 0");
}

TEST(SyscallFormat, SocketMmapCloneKillPipe) {
  EXPECT_EQ(line(call("socket", {AF_INET, 1 | 02000000, 0}, 3)),
            "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3");
  EXPECT_EQ(line(call("mmap", {0, 8192, 3, 0x22, static_cast<uint64_t>(-1), 0}, 0x7f0000001000)),
            "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000001000");
  EXPECT_EQ(line(call("mprotect", {0x7f0000001000, 4096, 0}, 0)),
            "mprotect(0x7f0000001000, 4096, PROT_NONE) = 0");
  EXPECT_EQ(line(call("clone", {0x1200000 | 17, 0, 0, 0x7f00aa, 0}, 4243)),
            "clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, NULL, NULL, 0x7f00aa, 0) = 4243");
  EXPECT_EQ(line(call("kill", {123, 15}, 0)), "kill(123, SIGTERM) = 0");
  EXPECT_EQ(line(call("kill", {123, 34}, 0)), "kill(123, SIGRT_2) = 0");
  auto p = call("pipe2", {kBuf, 02000000}, 0);
  int fds[2] = {3, 4};
  capture(p, 0, std::string_view(reinterpret_cast<const char*>(fds), sizeof fds));
  EXPECT_EQ(line(p), "pipe2([3, 4], O_CLOEXEC) = 0");
  EXPECT_EQ(line(call("exit_group", {0}, 0)), "exit_group(0) = ?");
  EXPECT_EQ(line(call("getpid", {}, 4242)), "getpid() = 4242");
  EXPECT_EQ(line(call("umask", {022}, 077)), "umask(022) = 077");
  EXPECT_EQ(line(call("sendto", {3, kBuf, 2, 0x4040, 0, 0}, 2)),
            "sendto(3, 0x7ffd1000, 2, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0) = 2");
  EXPECT_EQ(line(call("futex", {kBuf, 0x81, 1, 0, 0, 0}, 0)),
            "futex(0x7ffd1000, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) = 0");
  EXPECT_EQ(line(call("lseek", {3, 0, 2}, 1234)), "lseek(3, 0, SEEK_END) = 1234");
  SyscallRecord unknown;
  unknown.nr = 400;
  unknown.args = {1, 0, 0, 0, 0, 0};
  unknown.ret = -ENOSYS;
  EXPECT_EQ(line(unknown),
            "syscall_0x190(0x1, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)");
}

TEST(SyscallFormat, FcntlArgumentsAndResultsByCommand) {
  EXPECT_EQ(line(call("fcntl", {3, 3, 0}, 0x8002)), "fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)");
  EXPECT_EQ(line(call("fcntl", {3, 2, 1}, 0)), "fcntl(3, F_SETFD, FD_CLOEXEC) = 0");
  EXPECT_EQ(line(call("fcntl", {3, 4, 02 | 04000}, 0)), "fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0");
  EXPECT_EQ(line(call("fcntl", {3, 1030, 10}, 10)), "fcntl(3, F_DUPFD_CLOEXEC, 10) = 10");
}

TEST(SyscallFormat, FdsDecoratedLikeStraceYY) {
  SyscallFormatOptions o;
  o.decorate_fd = [](int32_t pid, int fd) -> std::string {
    EXPECT_EQ(pid, 4242);
    if (fd == 5) return "/etc/passwd";
    if (fd == 6) return "TCP:[127.0.0.1:40000->127.0.0.1:8000]";
    return "";
  };
  auto r = call("read", {5, kBuf, 16}, 2);
  capture(r, 1, "ro");
  EXPECT_EQ(line(r, o), R"(read(5</etc/passwd>, "ro", 16) = 2)");
  EXPECT_EQ(line(call("accept4", {3, 0, 0, 02000000}, 6), o),
            "accept4(3, NULL, NULL, SOCK_CLOEXEC) = 6<TCP:[127.0.0.1:40000->127.0.0.1:8000]>");
  EXPECT_EQ(line(call("close", {static_cast<uint64_t>(-1)}, -EBADF), o),
            "close(-1) = -1 EBADF (Bad file descriptor)");
}

TEST(SyscallFormat, PidTimestampAndDurationAffixes) {
  setenv("TZ", "UTC", 1);
  tzset();
  auto r = call("close", {3}, 0);
  r.tid = 4243;
  r.enter_ns = 1700000000'123456789ull;  // 2023-11-14 22:13:20 UTC
  r.exit_ns = r.enter_ns + 123'456;
  SyscallFormatOptions o;
  o.show_pid = true;
  o.timestamps = TimestampStyle::kTimeMicro;
  o.show_duration = true;
  EXPECT_EQ(line(r, o), "[pid 4243] 22:13:20.123456 close(3) = 0 <0.000123>");
  o.timestamps = TimestampStyle::kTime;
  o.show_pid = false;
  o.show_duration = false;
  EXPECT_EQ(line(r, o), "22:13:20 close(3) = 0");
  o.timestamps = TimestampStyle::kEpochMicro;
  EXPECT_EQ(line(r, o), "1700000000.123456 close(3) = 0");
  o.timestamps = TimestampStyle::kNone;
  o.align_column = 40;
  EXPECT_EQ(line(r, o), "close(3)                                = 0");
}

TEST(SyscallFormat, RelativeTimestampsCountFromPreviousEntry) {
  SyscallFormatOptions o;
  o.timestamps = TimestampStyle::kRelative;
  SyscallFormatter f(o);
  auto a = call("getpid", {}, 1);
  a.enter_ns = 5'000'000'000;
  auto b = call("getpid", {}, 1);
  b.enter_ns = 6'250'000'000;
  std::string out;
  f.format(a, out);
  out.push_back('\n');
  f.format(b, out);
  EXPECT_EQ(out, "     0.000000 getpid() = 1\n     1.250000 getpid() = 1");
}

TEST(SyscallFormat, UnfinishedAndResumed) {
  SyscallFormatOptions o;
  o.show_pid = true;
  SyscallFormatter f(o);
  auto r = call("read", {3, kBuf, 4096}, 0);
  r.has_ret = false;
  std::string a;
  f.format_unfinished(r, a);
  EXPECT_EQ(a, "[pid 4242] read(3,  <unfinished ...>");
  r.has_ret = true;
  r.ret = 3;
  capture(r, 1, "abc");
  std::string b;
  f.format_resumed(r, b);
  EXPECT_EQ(b, R"([pid 4242] <... read resumed>"abc", 4096) = 3)");

  auto c = call("close", {7}, 0);
  c.has_ret = false;
  std::string d;
  f.format(c, d);  // no return yet: the unfinished form
  EXPECT_EQ(d, "[pid 4242] close(7 <unfinished ...>");
  c.has_ret = true;
  std::string e;
  f.format_resumed(c, e);
  EXPECT_EQ(e, "[pid 4242] <... close resumed>) = 0");
}

TEST(SyscallFormat, JsonHasStableKeysAndParses) {
  auto r = call("openat", {kAtFdcwd, 0x1000, 0, 0}, -ENOENT);
  capture(r, 1, "/x\"y");
  r.tid = 4243;
  r.enter_ns = 1700000000'000001000ull;
  r.exit_ns = r.enter_ns + 2500;
  SyscallFormatter f;
  std::string out;
  f.format_json(r, out);
  EXPECT_EQ(out,
            R"({"ts":1700000000.000001,"pid":4242,"tid":4243,"syscall":"openat",)"
            R"("args":["AT_FDCWD","\"/x\\\"y\"","O_RDONLY"],"ret":-1,"errno":"ENOENT","duration_us":2.500})");
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["syscall"], "openat");
  EXPECT_EQ(j["args"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["duration_us"].get<double>(), 2.5);

  auto ok = call("getpid", {}, 4242);
  ok.enter_ns = 1;
  ok.has_ret = false;
  std::string o2;
  f.format_json(ok, o2);
  auto j2 = nlohmann::json::parse(o2);
  EXPECT_TRUE(j2["ret"].is_null());
  EXPECT_TRUE(j2["errno"].is_null());
  EXPECT_TRUE(j2["duration_us"].is_null());
  std::vector<std::string> keys;
  for (auto it = j2.begin(); it != j2.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"args", "duration_us", "errno", "pid", "ret", "syscall",
                                            "tid", "ts"}));
}

TEST(SyscallFormat, SocatLogForm) {
  auto g = call("getpid", {}, 11453);
  EXPECT_EQ(socat_call_text(g), "getpid()");
  EXPECT_EQ(socat_return_text(g), "getpid() -> 11453");
  std::string sa = sin4("127.0.0.1", 1);
  auto c = call("connect", {5, kBuf, 16}, -ECONNREFUSED);
  capture(c, 1, sa);
  EXPECT_EQ(socat_call_text(c), "connect(5, AF=2 127.0.0.1:1, 16)");
  EXPECT_EQ(socat_return_text(c), "connect(5, AF=2 127.0.0.1:1, 16) -> -1");
  auto o = call("open", {0x1000, 02, 0666}, 3);
  capture(o, 0, "/dev/null");
  EXPECT_EQ(socat_return_text(o), R"(open("/dev/null", 02, 0666) -> 3)");
  auto rd = call("read", {5, kBuf, 8192}, 12);
  EXPECT_EQ(socat_return_text(rd), "read(5, 0x7ffd1000, 8192) -> 12");
}

TEST(SyscallFormat, QuotingAndFlagBuildingBlocks) {
  std::string s;
  format_quoted(std::string_view("\0\0012", 3), 32, false, s);
  EXPECT_EQ(s, R"("\0\0012")");
  s.clear();
  format_quoted("abcdef", 3, false, s);
  EXPECT_EQ(s, R"("abc"...)");
  s.clear();
  format_quoted("ab", 3, true, s);
  EXPECT_EQ(s, R"("ab"...)");
  s.clear();
  format_flags(FlagTable::kOpenFlags, 010000000 | 0200000 | 02000000, s);
  EXPECT_EQ(s, "O_DIRECTORY|O_CLOEXEC|O_PATH");
  s.clear();
  format_flags(FlagTable::kOpenFlags, 020200002, s);
  EXPECT_EQ(s, "O_RDWR|O_TMPFILE");
  s.clear();
  format_flags(FlagTable::kMsgFlags, 0x80000000u | 0x40, s);
  EXPECT_EQ(s, "MSG_DONTWAIT|0x80000000");
  s.clear();
  format_flags(FlagTable::kAtFlags, 0, s);
  EXPECT_EQ(s, "0");
  s.clear();
  format_flags(FlagTable::kAccessMode, 0, s);
  EXPECT_EQ(s, "F_OK");
  s.clear();
  format_enum(FlagTable::kSocketDomain, 999, s);
  EXPECT_EQ(s, "999");
  s.clear();
  format_enum(FlagTable::kIoctlRequest, 0x541B, s);
  EXPECT_EQ(s, "FIONREAD");
  s.clear();
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::memcpy(un.sun_path, "\0abs", 4);
  format_sockaddr(std::string_view(reinterpret_cast<const char*>(&un), 2 + 4), s);
  EXPECT_EQ(s, R"({sa_family=AF_UNIX, sun_path=@"abs"})");
  s.clear();
  format_sockaddr_socat(std::string_view(reinterpret_cast<const char*>(&un), 2 + 4), s);
  EXPECT_EQ(s, R"(AF=1 "\0abs")");
}
