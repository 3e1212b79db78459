// The struct-argument table (common/src/syscall_decode_struct.cpp): which
// argument decodes as what, what a tracer must copy for it
// (struct_capture), and the lines of the calls whose decoding is a count
// (getdents64, execve's envp), a byte string (getrandom), or an rlimit, each
// against the text strace -yy printed on this machine.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "fdscope/syscall_format.hpp"
#include "syscall_record_fixture.hpp"

using namespace fdscope;

using fdscope::test::bytes_of;
using fdscope::test::call;
using fdscope::test::line;

namespace {

constexpr uint64_t kBuf = 0x7fff325f26e0;

std::string u32(uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); }

int nr(const char* name) { return syscall_by_name(name)->number; }

}  // namespace

TEST(SyscallDecodeStruct, CaptureSpecsFollowTheDecoders) {
  auto c = struct_capture(nr("rt_sigprocmask"), 1);
  EXPECT_EQ(c.how, StructCapture::kIn);
  EXPECT_EQ(c.size, 8);
  EXPECT_EQ(c.len_arg, 3);  // bounded by sigsetsize
  EXPECT_EQ(struct_capture(nr("rt_sigprocmask"), 2).how, StructCapture::kOut);
  EXPECT_EQ(struct_capture(nr("newfstatat"), 2).size, 56);
  EXPECT_EQ(struct_capture(nr("statx"), 4).size, 48);
  EXPECT_EQ(struct_capture(nr("wait4"), 1).how, StructCapture::kOut);
  EXPECT_EQ(struct_capture(nr("getdents64"), 1).how, StructCapture::kCountDirents);
  EXPECT_EQ(struct_capture(nr("execve"), 2).how, StructCapture::kCountPointers);
  // ppoll writes the time left into its timeout: a copy at exit would lie.
  EXPECT_EQ(struct_capture(nr("ppoll"), 2).how, StructCapture::kNone);
  EXPECT_EQ(struct_capture(nr("ppoll"), 3).how, StructCapture::kIn);
  EXPECT_EQ(struct_capture(nr("uname"), 0).how, StructCapture::kNone);
}

TEST(SyscallDecodeStruct, GetdentsAndExecveCounts) {
  auto g = call("getdents64", {4, kBuf, 32768}, 584);
  std::string n17 = u32(17), n0 = u32(0);
  g.data[1] = CapturedArg{true, false, n17};
  EXPECT_EQ(line(g), "getdents64(4, 0x7fff325f26e0 /* 17 entries */, 32768) = 584");
  g.ret = 0;
  g.data[1] = CapturedArg{true, false, n0};
  EXPECT_EQ(line(g), "getdents64(4, 0x7fff325f26e0 /* 0 entries */, 32768) = 0");
  g.ret = -EBADF;
  EXPECT_EQ(line(g), "getdents64(4, 0x7fff325f26e0, 32768) = -1 EBADF (Bad file descriptor)");

  auto e = call("execve", {0x1000, 0x2000, 0x7fff325f2360}, 0);
  e.data[0] = CapturedArg{true, false, "/bin/true"};
  e.data[1] = CapturedArg{true, false, std::string_view("/bin/true", 9)};
  std::string n3 = u32(3);
  e.data[2] = CapturedArg{true, false, n3};
  EXPECT_EQ(line(e), R"(execve("/bin/true", ["/bin/true"], 0x7fff325f2360 /* 3 vars */) = 0)");
  e.ret = -ENOENT;  // the count is of what was passed: shown on failure too
  EXPECT_EQ(line(e),
            R"(execve("/bin/true", ["/bin/true"], 0x7fff325f2360 /* 3 vars */) = -1 ENOENT (No such file or directory))");
  e.data[2] = CapturedArg{};
  EXPECT_EQ(line(e), R"(execve("/bin/true", ["/bin/true"], 0x7fff325f2360) = -1 ENOENT (No such file or directory))");
}

TEST(SyscallDecodeStruct, GetrandomBytesInHexWithTheStringLimit) {
  const unsigned char b8[] = {0x70, 0x9d, 0x9b, 0x2e, 0xf6, 0xb3, 0x4e, 0xb4};
  auto r = call("getrandom", {kBuf, 8, 1}, 8);
  r.data[0] = CapturedArg{true, false, std::string_view(reinterpret_cast<const char*>(b8), 8)};
  EXPECT_EQ(line(r), R"(getrandom("\x70\x9d\x9b\x2e\xf6\xb3\x4e\xb4", 8, GRND_NONBLOCK) = 8)");
  EXPECT_EQ(line(r, 4), R"(getrandom("\x70\x9d\x9b\x2e"..., 8, GRND_NONBLOCK) = 8)");
  // Fewer bytes captured than returned: cut.
  r.data[0] = CapturedArg{true, false, std::string_view(reinterpret_cast<const char*>(b8), 2)};
  EXPECT_EQ(line(r), R"(getrandom("\x70\x9d"..., 8, GRND_NONBLOCK) = 8)");
  r.ret = -EAGAIN;
  EXPECT_EQ(line(r), "getrandom(0x7fff325f26e0, 8, GRND_NONBLOCK) = -1 EAGAIN (Resource temporarily unavailable)");
}

TEST(SyscallDecodeStruct, PselectSigmaskThroughItsPair) {
  EXPECT_EQ(struct_capture(nr("pselect6"), 5).how, StructCapture::kSigmaskArg);
  uint64_t raw[3] = {0x7ffd0000, 8, (1u << 1) | (1u << 14)};  // set pointer, size, [INT TERM]
  std::string b(reinterpret_cast<const char*>(raw), sizeof raw);
  auto r = call("pselect6", {7, kBuf, 0, 0, kBuf + 64, kBuf + 128}, 0);
  r.data[5] = CapturedArg{true, false, b};
  EXPECT_EQ(line(r), "pselect6(7, 0x7fff325f26e0, NULL, NULL, 0x7fff325f2720, {sigmask=[INT TERM], sigsetsize=8}) = 0");
  r.data[5] = CapturedArg{true, false, std::string_view(b).substr(0, 16)};  // the set was unreadable
  EXPECT_EQ(line(r), "pselect6(7, 0x7fff325f26e0, NULL, NULL, 0x7fff325f2720, {sigmask=0x7ffd0000, sigsetsize=8}) = 0");
  raw[0] = 0;
  b.assign(reinterpret_cast<const char*>(raw), 16);
  r.data[5] = CapturedArg{true, false, b};
  EXPECT_EQ(line(r), "pselect6(7, 0x7fff325f26e0, NULL, NULL, 0x7fff325f2720, {sigmask=NULL, sigsetsize=8}) = 0");
}

TEST(SyscallDecodeStruct, RlimitsMultiplyOnlyAbove1024) {
  uint64_t rl[2] = {1024, 1024 * 1024};
  std::string b(reinterpret_cast<const char*>(rl), sizeof rl);
  auto r = call("prlimit64", {0, 0, kBuf, 0}, 0);
  r.data[2] = CapturedArg{true, false, b};
  EXPECT_EQ(line(r), "prlimit64(0, RLIMIT_CPU, {rlim_cur=1024, rlim_max=1024*1024}, NULL) = 0");
  r.ret = -EPERM;  // what was passed in is still shown
  EXPECT_EQ(line(r),
            "prlimit64(0, RLIMIT_CPU, {rlim_cur=1024, rlim_max=1024*1024}, NULL) = -1 EPERM (Operation not permitted)");
}
