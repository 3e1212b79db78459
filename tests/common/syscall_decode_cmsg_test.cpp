// msg_control of sendmsg/recvmsg (common/src/syscall_decode_cmsg.cpp):
// cmsghdr bytes built with the CMSG_* macros in, strace -yy's text out, with
// fds decorated, several messages, unknown types, and a capture that
// stopped early.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "fdscope/syscall_format.hpp"

using namespace fdscope;

namespace {

// Appends one cmsghdr (padded to CMSG_SPACE) to buf.
void add(std::string& buf, int level, int type, const void* data, size_t n) {
  std::string one(CMSG_SPACE(n), '\0');
  cmsghdr h{};
  h.cmsg_len = CMSG_LEN(n);
  h.cmsg_level = level;
  h.cmsg_type = type;
  std::memcpy(one.data(), &h, sizeof h);
  std::memcpy(one.data() + CMSG_LEN(0), data, n);
  buf += one;
}

std::string cmsgs(const std::string& raw, uint64_t controllen, const FdDecorator* d = nullptr) {
  std::string out;
  format_cmsgs(raw, controllen, 42, d, out);
  return out;
}

}  // namespace

TEST(SyscallDecodeCmsg, RightsAndCredentials) {
  std::string buf;
  int fds[2] = {5, 7};
  add(buf, SOL_SOCKET, SCM_RIGHTS, fds, sizeof fds);
  EXPECT_EQ(cmsgs(buf, buf.size()),
            "[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5, 7]}]");
  FdDecorator names = [](int32_t pid, int fd) {
    return pid == 42 && fd == 5 ? std::string("/usr/share/doc/bash") : std::string();
  };
  EXPECT_EQ(cmsgs(buf, buf.size(), &names),
            "[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
            "cmsg_data=[5</usr/share/doc/bash>, 7]}]");

  std::string two;
  ucred c{7843, 0, 0};
  add(two, SOL_SOCKET, SCM_CREDENTIALS, &c, sizeof c);
  add(two, SOL_SOCKET, SCM_RIGHTS, fds, sizeof(int));
  EXPECT_EQ(cmsgs(two, two.size()),
            "[{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, "
            "cmsg_data={pid=7843, uid=0, gid=0}}, "
            "{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}]");
}

TEST(SyscallDecodeCmsg, UnknownTypesAndShortCaptures) {
  std::string buf;
  const char tos = 0x10;
  add(buf, 0 /* SOL_IP */, 1 /* IP_TOS */, &tos, 1);
  EXPECT_EQ(cmsgs(buf, buf.size()), R"([{cmsg_len=17, cmsg_level=0, cmsg_type=0x1, cmsg_data="\x10"}])");
  // The kernel said 64 bytes, the capture holds 16: the header, then "...".
  std::string fds;
  int fd = 5;
  add(fds, SOL_SOCKET, SCM_RIGHTS, &fd, sizeof fd);
  EXPECT_EQ(cmsgs(fds.substr(0, 16), 64), "[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, ...}]");
  EXPECT_EQ(cmsgs("", 24), "[...]");
}

TEST(SyscallDecodeCmsg, InsideTheMsghdr) {
  std::string buf;
  int fd = 4;
  add(buf, SOL_SOCKET, SCM_RIGHTS, &fd, sizeof fd);
  CapturedMsg m;
  m.iovlen = 1;
  m.controllen = buf.size();
  m.control = buf;
  m.control_present = true;
  uint64_t lens[1] = {1};
  std::string out;
  format_msghdr(m, "x", lens, UINT64_MAX, 32, out);
  EXPECT_EQ(out,
            "{msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"x\", iov_len=1}], msg_iovlen=1, "
            "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[4]}], "
            "msg_controllen=24, msg_flags=0}");
  m.control_present = false;  // not captured: strace's form without it
  out.clear();
  format_msghdr(m, "x", lens, UINT64_MAX, 32, out);
  EXPECT_EQ(out.find("msg_control="), std::string::npos);
}
