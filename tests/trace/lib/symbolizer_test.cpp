// Symbolizer: this test binary (built with -g) captures its own stack in a
// known function and in an always_inline helper, and the libdw symbolizer on
// getpid() must name them (demangled), give the module and the source
// file:line, and show the inlined frame inside its caller.  Addresses come
// from __builtin_return_address (backtrace() frame numbering differs under
// ASan), and a whole backtrace() stack is resolved as return addresses.
#include "symbolizer.hpp"

#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

using namespace fdscope::trace;

namespace symtest {

int g_leaf_line = 0;
int g_inline_line = 0;
int g_outer_call_line = 0;

std::vector<uint64_t> capture() {
  void* frames[32];
  int n = backtrace(frames, 32);
  std::vector<uint64_t> ips;
  for (int i = 0; i < n; ++i) ips.push_back(reinterpret_cast<uint64_t>(frames[i]));
  return ips;
}

// The address its caller continues at: the call instruction's end.
__attribute__((noinline)) uint64_t return_address() {
  uint64_t ra = reinterpret_cast<uint64_t>(__builtin_return_address(0));
  asm volatile("" ::: "memory");
  return ra;
}

// Each returns the address of its call to return_address() (minus one: inside
// the call instruction, so it maps to the calling line).
__attribute__((noinline)) uint64_t leaf_function(int depth) {
  g_leaf_line = __LINE__ + 1;
  uint64_t ra = return_address();
  asm volatile("" ::: "memory");
  return depth >= 0 ? ra - 1 : 0;
}

__attribute__((always_inline)) inline uint64_t inlined_helper() {
  g_inline_line = __LINE__ + 1;
  uint64_t ra = return_address();
  asm volatile("" ::: "memory");
  return ra - 1;
}

__attribute__((noinline)) uint64_t outer_with_inline() {
  g_outer_call_line = __LINE__ + 1;
  uint64_t ip = inlined_helper();
  asm volatile("" ::: "memory");
  return ip;
}

}  // namespace symtest

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

SymbolizeOptions exact() {
  SymbolizeOptions o;
  o.return_addresses = false;  // the test passes call addresses already
  return o;
}

}  // namespace

TEST(Symbolizer, NamesFunctionWithSourceLine) {
  uint64_t ip = symtest::leaf_function(1);
  ASSERT_NE(ip, 0u);
  Symbolizer s;
  auto r = s.symbolize(getpid(), std::span<const uint64_t>(&ip, 1), exact());
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->size(), 1u);
  const auto& frames = (*r)[0].frames;
  ASSERT_FALSE(frames.empty());
  const SymbolFrame& f = frames.back();
  EXPECT_EQ(f.function, "symtest::leaf_function(int)");
  EXPECT_FALSE(f.inlined);
  EXPECT_GT(f.offset, 0u);
  EXPECT_TRUE(ends_with(f.module, "trace_lib_test")) << f.module;
  EXPECT_TRUE(ends_with(f.file, "symbolizer_test.cpp")) << f.file;
  EXPECT_EQ(f.line, symtest::g_leaf_line);
  std::string d = Symbolizer::describe(f);
  EXPECT_NE(d.find("symtest::leaf_function(int)+0x"), std::string::npos) << d;
  EXPECT_NE(d.find("symbolizer_test.cpp:" + std::to_string(symtest::g_leaf_line) + "]"), std::string::npos) << d;
}

TEST(Symbolizer, RepeatedLookupsGiveTheSameFramesFast) {
  std::vector<uint64_t> ips = symtest::capture();
  Symbolizer s;
  auto first = s.symbolize(getpid(), ips);
  ASSERT_TRUE(first.ok());
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    auto again = s.symbolize(getpid(), ips);
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(again->size(), first->size());
    for (size_t a = 0; a < first->size(); ++a) {
      ASSERT_EQ((*again)[a].frames.size(), (*first)[a].frames.size());
      for (size_t f = 0; f < (*first)[a].frames.size(); ++f) {
        EXPECT_EQ((*again)[a].frames[f].function, (*first)[a].frames[f].function);
        EXPECT_EQ((*again)[a].frames[f].line, (*first)[a].frames[f].line);
        EXPECT_EQ((*again)[a].frames[f].ip, ips[a]);
      }
    }
  }
  // Cached stacks cost microseconds, not a DWARF walk each.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

TEST(Symbolizer, InlinedFrameComesBeforeItsCaller) {
  uint64_t ip = symtest::outer_with_inline();
  ASSERT_NE(ip, 0u);
  Symbolizer s;
  auto r = s.symbolize(getpid(), std::span<const uint64_t>(&ip, 1), exact());
  ASSERT_TRUE(r.ok()) << r.error().message();
  const auto& frames = (*r)[0].frames;
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].function, "symtest::inlined_helper()");
  EXPECT_TRUE(frames[0].inlined);
  EXPECT_EQ(frames[0].line, symtest::g_inline_line);
  EXPECT_TRUE(ends_with(frames[0].file, "symbolizer_test.cpp")) << frames[0].file;
  EXPECT_EQ(frames[1].function, "symtest::outer_with_inline()");
  EXPECT_FALSE(frames[1].inlined);
  EXPECT_EQ(frames[1].line, symtest::g_outer_call_line);
  EXPECT_NE(Symbolizer::describe(frames[0]).find("(inlined)"), std::string::npos);
}

TEST(Symbolizer, WholeBacktraceWithReturnAddressesAndLibc) {
  std::vector<uint64_t> ips = symtest::capture();
  // Frame 0 is looked up as given (a function's entry), the others as return
  // addresses (minus one).
  ips.insert(ips.begin(), reinterpret_cast<uint64_t>(&getppid));  // libc
  ips.push_back(9);                                                // unmapped
  Symbolizer s;
  auto r = s.symbolize(getpid(), ips);
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->size(), ips.size());
  bool saw_test_body = false;
  for (const auto& a : *r)
    for (const auto& f : a.frames)
      if (f.function.find("Symbolizer_WholeBacktraceWithReturnAddressesAndLibc_Test::TestBody") !=
          std::string::npos)
        saw_test_body = true;
  EXPECT_TRUE(saw_test_body);
  const SymbolFrame& libc = (*r)[0].frames.back();
  EXPECT_NE(libc.function.find("getppid"), std::string::npos) << libc.function;
  EXPECT_NE(libc.module.find("libc"), std::string::npos) << libc.module;
  const SymbolFrame& none = (*r).back().frames.back();
  EXPECT_TRUE(none.function.empty());
  EXPECT_TRUE(none.module.empty());
  EXPECT_EQ(Symbolizer::describe(none), "0x9");
}

TEST(Symbolizer, GonePidIsAnErrorUnlessCached) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  Symbolizer s;
  uint64_t ip = 0x1000;
  auto r = s.symbolize(child, std::span<const uint64_t>(&ip, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find(std::to_string(child)), std::string::npos) << r.error().message();
  // A cached pid keeps working until forget().
  auto me = s.symbolize(getpid(), std::span<const uint64_t>(&ip, 1));
  ASSERT_TRUE(me.ok());
  s.forget(getpid());
}

// A library loaded after the first lookup is found: the cached maps are read
// again when an address lies outside every known module.
TEST(Symbolizer, RereadsMapsAfterDlopen) {
  Symbolizer s;
  uint64_t first = symtest::leaf_function(1);
  ASSERT_TRUE(s.symbolize(getpid(), std::span<const uint64_t>(&first, 1)).ok());
  void* h = dlopen("libresolv.so.2", RTLD_NOW | RTLD_LOCAL);
  if (!h) GTEST_SKIP() << "no libresolv.so.2";
  link_map* lm = nullptr;
  ASSERT_EQ(dlinfo(h, RTLD_DI_LINKMAP, &lm), 0);
  uint64_t ip = reinterpret_cast<uint64_t>(lm->l_ld);  // inside the new mapping
  auto r = s.symbolize(getpid(), std::span<const uint64_t>(&ip, 1));
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_NE((*r)[0].frames.back().module.find("libresolv"), std::string::npos)
      << (*r)[0].frames.back().module;
  dlclose(h);
}

TEST(Symbolizer, Demangle) {
  EXPECT_EQ(demangle("_ZN3foo3barEv"), "foo::bar()");
  EXPECT_EQ(demangle("main"), "main");
  EXPECT_EQ(demangle("_Znot-valid"), "_Znot-valid");
  EXPECT_EQ(demangle(nullptr), "");
}
