// Unit tests for fd_audit.cpp: each check fires on the record it is about
// and stays quiet on the safe variant.
#include "fdscope/fd_audit.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <algorithm>
#include <cstring>

#include <gtest/gtest.h>

namespace fdscope {
namespace {

FdInfo reg(int fd, uid_t owner = 1000) {
  FdInfo i;
  i.fd = fd;
  i.kind = FdKind::Regular;
  i.path = "/home/u/f";
  FdStat s;
  s.mode = S_IFREG | 0644;
  s.uid = owner;
  s.nlink = 1;
  i.st = s;
  i.fd_flags = 1;
  return i;
}

FdInfo listener(int fd, const char* ip) {
  FdInfo i;
  i.fd = fd;
  i.kind = FdKind::Socket;
  i.fd_flags = 1;
  SocketInfo s;
  s.family = AF_INET;
  s.type = SOCK_STREAM;
  s.protocol = IPPROTO_TCP;
  s.listening = true;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(80);
  ::inet_pton(AF_INET, ip, &a.sin_addr);
  s.local = SockAddr::from(reinterpret_cast<sockaddr*>(&a), sizeof(a));
  i.sock = s;
  return i;
}

FdInfo unix_listener(int fd, bool abstract, mode_t mode) {
  FdInfo i;
  i.fd = fd;
  i.kind = FdKind::Socket;
  i.fd_flags = 1;
  SocketInfo s;
  s.family = AF_UNIX;
  s.type = SOCK_STREAM;
  s.listening = true;
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  const char* name = "/run/app.sock";
  socklen_t len;
  if (abstract) {
    std::memcpy(a.sun_path + 1, "app", 3);
    len = offsetof(sockaddr_un, sun_path) + 4;
  } else {
    std::strcpy(a.sun_path, name);
    len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + std::strlen(name) + 1);
    s.path_mode = mode;
  }
  s.local = SockAddr::from(reinterpret_cast<sockaddr*>(&a), len);
  i.sock = s;
  return i;
}

std::vector<std::string> checks(const std::vector<FdInfo>& fds, uid_t euid = 1000) {
  AuditContext ctx;
  ctx.euid = euid;
  ctx.own_process = false;
  std::vector<std::string> out;
  for (const auto& f : audit_fds(fds, ctx)) out.push_back(std::to_string(f.fd) + ":" + f.check);
  return out;
}

TEST(Audit, NoCloexecAboveStdio) {
  FdInfo a = reg(1), b = reg(7), c = reg(8);
  a.fd_flags = 0;
  b.fd_flags = 0;
  EXPECT_EQ(checks({a, b, c}), std::vector<std::string>{"7:no-cloexec"});
  FdInfo unknown = reg(9);
  unknown.fd_flags.reset();  // not read: no finding
  EXPECT_TRUE(checks({unknown}).empty());
}

TEST(Audit, WildcardListenerButNotLoopback) {
  EXPECT_EQ(checks({listener(3, "0.0.0.0")}), std::vector<std::string>{"3:wildcard-listener"});
  EXPECT_TRUE(checks({listener(3, "127.0.0.1")}).empty());
}

TEST(Audit, WorldConnectableUnixListeners) {
  EXPECT_EQ(checks({unix_listener(4, false, 0777)}), std::vector<std::string>{"4:world-connectable"});
  EXPECT_TRUE(checks({unix_listener(4, false, 0770)}).empty());
  EXPECT_EQ(checks({unix_listener(5, true, 0)}), std::vector<std::string>{"5:world-connectable"});
}

TEST(Audit, DeletedFileAndForeignOwner) {
  FdInfo d = reg(3);
  d.deleted = true;
  EXPECT_EQ(checks({d}), std::vector<std::string>{"3:deleted-file"});
  EXPECT_EQ(checks({reg(4, 1001)}), std::vector<std::string>{"4:foreign-owner"});
  EXPECT_TRUE(checks({reg(4, 0)}).empty());  // root-owned system files are not flagged
  FdInfo memfd = reg(5);
  memfd.kind = FdKind::MemFd;
  memfd.deleted = true;
  EXPECT_TRUE(checks({memfd}).empty());
}

TEST(Audit, TextIsOneLinePerFinding) {
  AuditContext ctx;
  ctx.euid = 1000;
  FdInfo b = reg(7);
  b.fd_flags = 0;
  auto f = audit_fds(std::vector<FdInfo>{b, listener(8, "0.0.0.0")}, ctx);
  std::string text = audit_text(f);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  EXPECT_TRUE(text.starts_with("fd 7: no-cloexec: file /home/u/f "));
}

}  // namespace
}  // namespace fdscope
