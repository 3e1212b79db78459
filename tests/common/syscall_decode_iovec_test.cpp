// Vectored calls in strace's form (syscall_decode_iovec.cpp): iovec arrays of
// readv/writev/preadv/pwritev, msghdr of sendmsg/recvmsg and mmsghdr arrays of
// sendmmsg/recvmmsg, rebuilt from synthetic records laid out as trace's
// kernel side captures them (payload back to back, per-message headers,
// iov_len values).  Expected lines were recorded with strace 6.1 -yy on this
// machine from a small C program doing the same calls.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>
#include <string>
#include <vector>

#include "fdscope/syscall_format.hpp"
#include "syscall_record_fixture.hpp"

using namespace fdscope;

using fdscope::test::bytes_of;
using fdscope::test::call;
using fdscope::test::line;

namespace {

constexpr uint64_t kPtr = 0x7ffd1000;

// A message descriptor whose iovecs were all recorded.
CapturedMsg msg(uint64_t len, uint32_t data, uint64_t iovlen, int32_t flags = 0) {
  CapturedMsg m;
  m.msg_len = len;
  m.data_len = data;
  m.iovlen = iovlen;
  m.iov_cnt = static_cast<uint16_t>(iovlen);
  m.flags = flags;
  return m;
}

}  // namespace

TEST(SyscallDecodeIovec, WritevAndReadvSplitThePayloadPerIovec) {
  auto w = call("writev", {3, kPtr, 2}, 4);
  std::vector<uint64_t> lens = {2, 2};
  w.data[1] = CapturedArg{true, false, "abcd"};
  w.iov_lens = lens;
  EXPECT_EQ(line(w), R"(writev(3, [{iov_base="ab", iov_len=2}, {iov_base="cd", iov_len=2}], 2) = 4)");

  // A datagram of 9 bytes read into two iovecs of 5: the second shows only
  // the 4 bytes the call returned.
  auto r = call("readv", {4, kPtr, 2}, 9);
  std::vector<uint64_t> five = {5, 5};
  r.data[1] = CapturedArg{true, false, "aaabbbccc"};
  r.iov_lens = five;
  EXPECT_EQ(line(r), R"(readv(4, [{iov_base="aaabb", iov_len=5}, {iov_base="bccc", iov_len=5}], 2) = 9)");

  // Zero-length iovecs and a single message descriptor (as the kernel side
  // sends for readv/writev).
  auto z = call("writev", {3, kPtr, 2}, 3);
  std::vector<uint64_t> zl = {0, 3};
  std::vector<CapturedMsg> ds = {msg(3, 3, 2)};
  z.data[1] = CapturedArg{true, false, "bbb"};
  z.iov_lens = zl;
  z.msgs = ds;
  EXPECT_EQ(line(z), R"(writev(3, [{iov_base="", iov_len=0}, {iov_base="bbb", iov_len=3}], 2) = 3)");

  auto pw = call("pwritev", {7, kPtr, 2, 0}, 10);
  pw.data[1] = CapturedArg{true, false, "helloworld"};
  std::vector<uint64_t> l55 = {5, 5};
  pw.iov_lens = l55;
  EXPECT_EQ(line(pw), R"(pwritev(7, [{iov_base="hello", iov_len=5}, {iov_base="world", iov_len=5}], 2, 0) = 10)");
  auto pr = call("preadv", {7, kPtr, 2, 3}, 7);
  pr.data[1] = CapturedArg{true, false, "loworld"};
  pr.iov_lens = l55;
  EXPECT_EQ(line(pr), R"(preadv(7, [{iov_base="lowor", iov_len=5}, {iov_base="ld", iov_len=5}], 2, 3) = 7)");
}

TEST(SyscallDecodeIovec, ArraysStopAtTheStringLimitAndWhatWasRecorded) {
  // 40 iovecs of 3 bytes: strace prints 32 elements, then "...".
  std::string payload;
  std::vector<uint64_t> lens;
  for (int i = 0; i < 40; i++) {
    payload.append(3, static_cast<char>('a' + i % 26));
    lens.push_back(3);
  }
  auto w = call("writev", {3, kPtr, 40}, 120);
  w.data[1] = CapturedArg{true, false, payload};
  w.iov_lens = lens;
  std::string expect = "writev(3, [";
  for (int i = 0; i < 32; i++) {
    std::string three(3, static_cast<char>('a' + i % 26));
    expect += "{iov_base=\"" + three + "\", iov_len=3}, ";
  }
  expect += "...], 40) = 120";
  EXPECT_EQ(line(w), expect);

  // Only 2 of 4 lengths recorded, and the snap length cut the payload.
  auto c = call("writev", {3, kPtr, 4}, 40);
  std::vector<uint64_t> two = {10, 10};
  c.data[1] = CapturedArg{true, true, "0123456789abc"};
  c.iov_lens = two;
  EXPECT_EQ(line(c), R"(writev(3, [{iov_base="0123456789", iov_len=10}, {iov_base="abc"..., iov_len=10}, ...], 4) = 40)");
  // -s 4 bounds each string and the element count.
  EXPECT_EQ(line(c, 1), R"(writev(3, [{iov_base="0"..., iov_len=10}, ...], 4) = 40)");

  // A failed call shows the pointer; a record without lengths keeps the
  // one-string form.
  auto f = call("writev", {99, kPtr, 2}, -9);
  f.iov_lens = two;
  EXPECT_EQ(line(f), "writev(99, 0x7ffd1000, 2) = -1 EBADF (Bad file descriptor)");
  auto old = call("writev", {3, kPtr, 2}, 4);
  old.data[1] = CapturedArg{true, false, "abcd"};
  EXPECT_EQ(line(old), R"(writev(3, "abcd", 2) = 4)");
}

TEST(SyscallDecodeIovec, MsghdrOfSendmsgAndRecvmsg) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(49842);
  inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  std::string name(reinterpret_cast<const char*>(&sa), sizeof sa);

  auto s = call("sendmsg", {5, kPtr, 0}, 10);
  CapturedMsg m = msg(10, 10, 2);
  m.namelen = 16;
  m.name = name;
  std::vector<CapturedMsg> ms = {m};
  std::vector<uint64_t> lens = {5, 5};
  s.data[1] = CapturedArg{true, false, "helloworld"};
  s.msgs = ms;
  s.iov_lens = lens;
  EXPECT_EQ(line(s),
            R"(sendmsg(5, {msg_name={sa_family=AF_INET, sin_port=htons(49842), sin_addr=inet_addr("127.0.0.1")}, )"
            R"(msg_namelen=16, msg_iov=[{iov_base="hello", iov_len=5}, {iov_base="world", iov_len=5}], )"
            R"(msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = 10)");

  // A truncated datagram: 4 bytes into a 4-byte buffer, MSG_TRUNC set.
  auto r = call("recvmsg", {4, kPtr, 0}, 4);
  std::vector<CapturedMsg> rms = {msg(4, 4, 1, 0x20 /* MSG_TRUNC */)};
  std::vector<uint64_t> four = {4};
  r.data[1] = CapturedArg{true, false, "hell"};
  r.msgs = rms;
  r.iov_lens = four;
  EXPECT_EQ(line(r), R"(recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hell", iov_len=4}], )"
                     R"(msg_iovlen=1, msg_controllen=0, msg_flags=MSG_TRUNC}, 0) = 4)");
  // An unfinished recvmsg leaves the struct for the resumed half.
  SyscallFormatter f;
  std::string un, res;
  r.has_ret = false;
  f.format_unfinished(r, un);
  EXPECT_EQ(un, "recvmsg(4,  <unfinished ...>");
  r.has_ret = true;
  f.format_resumed(r, res);
  EXPECT_EQ(res.substr(0, 42), "<... recvmsg resumed>{msg_name=NULL, msg_n");
  // Failed: a pointer.
  auto e = call("recvmsg", {4, kPtr, 0x40}, -11);
  e.msgs = rms;
  EXPECT_EQ(line(e), "recvmsg(4, 0x7ffd1000, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)");
}

TEST(SyscallDecodeIovec, MmsghdrArraysOfSendmmsgAndRecvmmsg) {
  std::vector<CapturedMsg> sent = {msg(5, 5, 1), msg(7, 7, 2), msg(9, 9, 1)};
  std::vector<uint64_t> slens = {5, 3, 4, 9};
  auto s = call("sendmmsg", {3, kPtr, 3, 0}, 3);
  s.data[1] = CapturedArg{true, false, "firstsecond!third-msg"};
  s.msgs = sent;
  s.iov_lens = slens;
  EXPECT_EQ(line(s),
            R"(sendmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="first", iov_len=5}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=5}, )"
            R"({msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="sec", iov_len=3}, {iov_base="ond!", iov_len=4}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, msg_len=7}, )"
            R"({msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="third-msg", iov_len=9}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=9}], 3, 0) = 3)");

  std::vector<CapturedMsg> got = {msg(5, 5, 1), msg(7, 7, 1), msg(9, 9, 1)};
  std::vector<uint64_t> rlens = {16, 16, 16};
  auto r = call("recvmmsg", {4, kPtr, 3, 0, 0}, 3);
  r.data[1] = CapturedArg{true, false, "firstsecond!third-msg"};
  r.msgs = got;
  r.iov_lens = rlens;
  EXPECT_EQ(line(r),
            R"(recvmmsg(4, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="first", iov_len=16}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=5}, )"
            R"({msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="second!", iov_len=16}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=7}, )"
            R"({msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="third-msg", iov_len=16}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=9}], 3, 0, NULL) = 3)");

  // More messages moved than were described: the rest is "...".
  auto more = call("recvmmsg", {4, kPtr, 8, 0, 0}, 5);
  more.data[1] = r.data[1];
  more.msgs = got;
  more.iov_lens = rlens;
  std::string l = line(more);
  EXPECT_NE(l.find("msg_len=9}, ...], 8, 0, NULL) = 5"), std::string::npos) << l;
}
