// The text lines of vectored calls through the trace binary: readv/writev
// as strace's iovec arrays, sendmsg/recvmsg as msghdr, sendmmsg/recvmmsg as
// mmsghdr arrays, split from the record's per-iovec lengths and message
// descriptors (bpf/trace.h).  Runs tests/trace/trace_child's "vectors" mode
// (root with kernel BTF only).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "trace_lines.hpp"

namespace {

std::string iovecs(int n, int len, char first, int repeat) {
  std::string s;
  for (int i = 0; i < n; i++) {
    if (i) s += ", ";
    s += "{iov_base=\"" + std::string(static_cast<size_t>(repeat), static_cast<char>(first + i)) +
         "\", iov_len=" + std::to_string(len) + "}";
  }
  return s;
}

}  // namespace

TEST(TraceLines, VectoredCallsPrintTheirIovecsAndMessagesLikeStrace) {
  if (geteuid() != 0 || access("/sys/kernel/btf/vmlinux", R_OK) != 0)
    GTEST_SKIP() << "needs root and kernel BTF to load the BPF programs";
  TraceLines run = trace_lines("vector-lines", [](const std::string&) {
    return std::string("-s 64 -e trace=writev,readv,sendmsg,recvmsg,sendmmsg,recvmmsg -- ") + FDSCOPE_TEST_BIN_DIR +
           "/trace_child vectors -";
  });
  ASSERT_EQ(run.status, 0) << run.cmd;
  const std::string& t = run.text;
  auto has = [&](const std::string& s) { return t.find(s) != std::string::npos; };

  EXPECT_TRUE(has(", [" + iovecs(20, 3, 'a', 3) + "], 20) = 60")) << t;
  std::string read12;
  const std::string letters = [] {
    std::string l;
    for (int i = 0; i < 20; i++) l.append(3, static_cast<char>('a' + i));
    return l;
  }();
  for (int i = 0; i < 12; i++)
    read12 += std::string(i ? ", " : "") + "{iov_base=\"" + letters.substr(static_cast<size_t>(i) * 5, 5) +
              "\", iov_len=5}";
  EXPECT_TRUE(has(", [" + read12 + "], 12) = 60")) << t;
  std::string pairs;
  for (int i = 0; i < 16; i++) pairs.append(2, static_cast<char>('A' + i));
  EXPECT_TRUE(has(", {msg_name=NULL, msg_namelen=0, msg_iov=[" + iovecs(16, 2, 'A', 2) +
                  "], msg_iovlen=16, msg_controllen=0, msg_flags=0}, 0) = 32"))
      << t;
  EXPECT_TRUE(has(", {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"" + pairs +
                  "\", iov_len=64}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 32"))
      << t;
  EXPECT_TRUE(has(", [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"first\", iov_len=5}], "
                  "msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=5}, {msg_hdr={msg_name=NULL, "
                  "msg_namelen=0, msg_iov=[{iov_base=\"sec\", iov_len=3}, {iov_base=\"ond!\", iov_len=4}], "
                  "msg_iovlen=2, msg_controllen=0, msg_flags=0}, msg_len=7}, {msg_hdr={msg_name=NULL, "
                  "msg_namelen=0, msg_iov=[{iov_base=\"third-msg\", iov_len=9}], msg_iovlen=1, "
                  "msg_controllen=0, msg_flags=0}, msg_len=9}], 3, 0) = 3"))
      << t;
  EXPECT_TRUE(has("msg_iov=[{iov_base=\"second!\", iov_len=16}], msg_iovlen=1, msg_controllen=0, "
                  "msg_flags=0}, msg_len=7}"))
      << t;
  EXPECT_TRUE(has("], 3, 0, NULL) = 3")) << t;
}
