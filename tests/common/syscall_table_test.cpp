// The x86_64 syscall table: numbers and names match the kernel (and the
// installed headers, where they have them), rows are well formed, and
// strace's -e trace= set expressions expand like strace's.
#include "fdscope/syscall_table.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>

using namespace fdscope;

namespace {

int nr(const char* name) {
  const SyscallInfo* s = syscall_by_name(name);
  return s ? s->number : -1;
}

SyscallSet parse_ok(const char* expr) {
  auto r = parse_syscall_set(expr);
  EXPECT_TRUE(r.ok()) << expr << ": " << (r.ok() ? "" : r.error().message());
  return r.ok() ? *r : SyscallSet();
}

std::string parse_error(const char* expr) {
  auto r = parse_syscall_set(expr);
  EXPECT_FALSE(r.ok()) << expr;
  return r.ok() ? "" : r.error().message();
}

}  // namespace

TEST(SyscallTable, KnownNumbers) {
  EXPECT_EQ(nr("read"), 0);
  EXPECT_EQ(nr("write"), 1);
  EXPECT_EQ(nr("open"), 2);
  EXPECT_EQ(nr("close"), 3);
  EXPECT_EQ(nr("mmap"), 9);
  EXPECT_EQ(nr("getpid"), 39);
  EXPECT_EQ(nr("connect"), 42);
  EXPECT_EQ(nr("execve"), 59);
  EXPECT_EQ(nr("exit_group"), 231);
  EXPECT_EQ(nr("openat"), 257);
  EXPECT_EQ(nr("statx"), 332);
  EXPECT_EQ(nr("rseq"), 334);
  EXPECT_EQ(nr("uretprobe"), 335);
  EXPECT_EQ(nr("pidfd_send_signal"), 424);
  EXPECT_EQ(nr("clone3"), 435);
  EXPECT_EQ(nr("pidfd_getfd"), 438);
  EXPECT_EQ(nr("cachestat"), 451);
  EXPECT_EQ(nr("mseal"), 462);
  EXPECT_EQ(nr("setxattrat"), 463);
  EXPECT_EQ(nr("getxattrat"), 464);
  EXPECT_EQ(nr("listxattrat"), 465);
  EXPECT_EQ(nr("removexattrat"), 466);
  EXPECT_EQ(nr("open_tree_attr"), 467);
  EXPECT_EQ(nr("file_getattr"), 468);
  EXPECT_EQ(nr("file_setattr"), 469);
  EXPECT_EQ(syscall_name(1), "write");
  EXPECT_EQ(syscall_by_number(-1), nullptr);
  EXPECT_EQ(syscall_by_number(400), nullptr);  // reserved gap 387..423
  EXPECT_EQ(syscall_by_number(kSyscallSetSize), nullptr);
  EXPECT_EQ(syscall_by_name("nosuchcall"), nullptr);
}

TEST(SyscallTable, CoversEveryNumberWithoutGapsOutsideTheReservedRange) {
  for (int n = 0; n <= 336; ++n) EXPECT_NE(syscall_by_number(n), nullptr) << n;
  for (int n = 337; n < 424; ++n) EXPECT_EQ(syscall_by_number(n), nullptr) << n;
  for (int n = 424; n <= 469; ++n) EXPECT_NE(syscall_by_number(n), nullptr) << n;
}

TEST(SyscallTable, RowsAreWellFormed) {
  std::set<std::string_view> names;
  int prev = -1;
  for (const auto& s : all_syscalls()) {
    EXPECT_GT(s.number, prev) << s.name << ": rows must be sorted by number";
    prev = s.number;
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate " << s.name;
    EXPECT_LE(s.nargs, 6) << s.name;
    EXPECT_EQ(syscall_by_number(s.number), &s);
    EXPECT_EQ(syscall_by_name(s.name), &s);
    for (int i = 0; i < s.nargs; ++i) {
      const ArgSpec& a = s.args[i];
      switch (a.kind) {
        case ArgKind::kBufIn:
        case ArgKind::kBufOut:
        case ArgKind::kBytesIn:
        case ArgKind::kBytesOut:
        case ArgKind::kIovIn:
        case ArgKind::kIovOut:
        case ArgKind::kSockaddr:
        case ArgKind::kSockaddrOut:
          EXPECT_LT(a.aux, s.nargs) << s.name << " arg " << i << ": length argument out of range";
          EXPECT_NE(a.aux, i) << s.name;
          break;
        case ArgKind::kFlags:
        case ArgKind::kEnum:
          EXPECT_GT(a.aux, 0) << s.name;
          EXPECT_LT(a.aux, static_cast<uint8_t>(FlagTable::kCount)) << s.name;
          break;
        default:
          break;
      }
    }
  }
}

// Every syscall the installed kernel headers know has the same name and
// number here (the table also has newer ones the headers lack).
TEST(SyscallTable, MatchesInstalledUnistdHeader) {
  std::ifstream in("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
  if (!in) GTEST_SKIP() << "no asm/unistd_64.h";
  std::regex def(R"(#define __NR_(\w+) (\d+))");
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, def)) continue;
    const SyscallInfo* s = syscall_by_number(std::stoi(m[2]));
    ASSERT_NE(s, nullptr) << m[1];
    EXPECT_EQ(s->name, m[1].str());
    ++checked;
  }
  EXPECT_GT(checked, 350);
}

// Payload kinds (what trace dumps as traffic) only ever follow an fd in
// argument 0, so a consumer can take args[0] as the fd the bytes moved on.
TEST(SyscallTable, TrafficBuffersFollowAnFd) {
  for (const auto& s : all_syscalls()) {
    for (int i = 0; i < s.nargs; ++i) {
      ArgKind k = s.args[i].kind;
      if (k == ArgKind::kBufIn || k == ArgKind::kBufOut || k == ArgKind::kIovIn ||
          k == ArgKind::kIovOut) {
        EXPECT_EQ(s.args[0].kind, ArgKind::kFd) << s.name;
      }
    }
  }
}

TEST(SyscallTable, ArgumentDecodingOfCommonCalls) {
  const SyscallInfo* read = syscall_by_number(0);
  EXPECT_EQ(read->nargs, 3);
  EXPECT_EQ(read->args[0].kind, ArgKind::kFd);
  EXPECT_EQ(read->args[1].kind, ArgKind::kBufOut);
  EXPECT_EQ(read->args[1].aux, 2);
  const SyscallInfo* openat = syscall_by_name("openat");
  EXPECT_EQ(openat->args[0].kind, ArgKind::kDirFd);
  EXPECT_EQ(openat->args[1].kind, ArgKind::kPath);
  EXPECT_EQ(openat->args[2].kind, ArgKind::kFlags);
  EXPECT_EQ(openat->args[2].aux, static_cast<uint8_t>(FlagTable::kOpenFlags));
  EXPECT_EQ(openat->ret, RetKind::kFd);
  const SyscallInfo* sendto = syscall_by_name("sendto");
  EXPECT_EQ(sendto->args[4].kind, ArgKind::kSockaddr);
  EXPECT_EQ(sendto->args[4].aux, 5);
  EXPECT_EQ(syscall_by_name("mmap")->ret, RetKind::kHex);
  EXPECT_EQ(syscall_by_name("exit_group")->ret, RetKind::kNoReturn);
}

TEST(SyscallClasses, MembershipFollowsStrace) {
  SyscallSet net = syscalls_in_class(kClassNetwork);
  for (const char* n : {"socket", "connect", "accept", "accept4", "sendto", "recvmsg", "sendmmsg",
                        "socketpair", "getsockopt", "shutdown"})
    EXPECT_TRUE(net.test(nr(n))) << n;
  EXPECT_FALSE(net.test(nr("read")));

  SyscallSet file = syscalls_in_class(kClassFile);
  for (const char* n : {"open", "openat", "openat2", "stat", "execve", "unlinkat", "statx",
                        "getxattrat", "file_getattr"})
    EXPECT_TRUE(file.test(nr(n))) << n;
  EXPECT_FALSE(file.test(nr("close")));
  EXPECT_FALSE(file.test(nr("fstat")));

  SyscallSet desc = syscalls_in_class(kClassDesc);
  for (const char* n : {"read", "write", "close", "openat", "dup3", "epoll_wait", "pidfd_open"})
    EXPECT_TRUE(desc.test(nr(n))) << n;
  EXPECT_FALSE(desc.test(nr("getpid")));

  SyscallSet proc = syscalls_in_class(kClassProcess);
  for (const char* n : {"clone", "clone3", "fork", "execve", "exit_group", "wait4", "kill"})
    EXPECT_TRUE(proc.test(nr(n))) << n;

  SyscallSet stat_like = syscalls_in_class(kClassStatLike);
  EXPECT_EQ(stat_like.count(), 5u);
  for (const char* n : {"stat", "fstat", "lstat", "newfstatat", "statx"})
    EXPECT_TRUE(stat_like.test(nr(n))) << n;
  EXPECT_TRUE(syscalls_in_class(kClassMemory).test(nr("brk")));
  EXPECT_TRUE(syscalls_in_class(kClassSignal).test(nr("rt_sigaction")));
  EXPECT_TRUE(syscalls_in_class(kClassIpc).test(nr("shmget")));
  EXPECT_TRUE(syscalls_in_class(kClassCreds).test(nr("setresuid")));
  EXPECT_TRUE(syscalls_in_class(kClassClock).test(nr("clock_gettime")));
  EXPECT_TRUE(syscalls_in_class(kClassPure).test(nr("getppid")));
  EXPECT_EQ(syscall_class_by_name("%net"), syscall_class_by_name("%network"));
  EXPECT_EQ(syscall_class_by_name("%bogus"), 0u);
}

TEST(SyscallSetExpr, NamesAndClasses) {
  SyscallSet s = parse_ok("openat,close");
  EXPECT_EQ(s.count(), 2u);
  EXPECT_TRUE(s.test(257));
  EXPECT_TRUE(s.test(3));
  EXPECT_EQ(parse_ok("%net"), syscalls_in_class(kClassNetwork));
  EXPECT_EQ(parse_ok("%network"), syscalls_in_class(kClassNetwork));
  SyscallSet mixed = parse_ok("%file, read");
  EXPECT_EQ(mixed, syscalls_in_class(kClassFile) | parse_ok("read"));
  EXPECT_EQ(parse_ok("%%stat"), syscalls_in_class(kClassStatLike));
  // strace's old spelling without '%'
  EXPECT_EQ(parse_ok("network"), syscalls_in_class(kClassNetwork));
}

TEST(SyscallSetExpr, AllNoneAndNegation) {
  EXPECT_EQ(parse_ok("all").count(), all_syscalls().size());
  EXPECT_EQ(parse_ok("none").count(), 0u);
  SyscallSet not_read = parse_ok("!read");
  EXPECT_FALSE(not_read.test(0));
  EXPECT_TRUE(not_read.test(1));
  EXPECT_EQ(not_read.count(), all_syscalls().size() - 1);
  SyscallSet not_net = parse_ok("!%net");
  EXPECT_FALSE(not_net.test(nr("connect")));
  EXPECT_TRUE(not_net.test(nr("openat")));
  EXPECT_FALSE(not_net.test(400));  // never a number the table lacks
}

TEST(SyscallSetExpr, RegexMatchesNames) {
  SyscallSet open = parse_ok("/^open");
  std::set<std::string_view> names;
  for (const auto& s : all_syscalls())
    if (open.test(s.number)) names.insert(s.name);
  EXPECT_EQ(names, (std::set<std::string_view>{"open", "openat", "openat2", "open_by_handle_at",
                                                "open_tree", "open_tree_attr"}));
  EXPECT_NE(parse_error("/[").find("invalid regex \"/[\""), std::string::npos);
  EXPECT_NE(parse_error("/^zzz").find("matches no syscall"), std::string::npos);
  EXPECT_EQ(parse_ok("/^zzz?").count(), 0u);
}

TEST(SyscallSetExpr, UnknownNamesAreErrorsUnlessOptional) {
  EXPECT_EQ(parse_error("read,opne"), "unknown syscall \"opne\"");
  EXPECT_EQ(parse_error("%nett"), "unknown syscall class \"%nett\"");
  EXPECT_EQ(parse_error(""), "empty syscall set");
  EXPECT_EQ(parse_error("read,,write"), "empty syscall name in set");
  SyscallSet s = parse_ok("opne?,read,%nett?");
  EXPECT_EQ(s.count(), 1u);
  EXPECT_TRUE(s.test(0));
}
