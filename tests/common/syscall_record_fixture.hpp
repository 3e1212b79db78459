// Shared by the syscall formatter tests (syscall_format_test.cpp and the
// syscall_decode_*_test.cpp files): build a SyscallRecord by call name and
// render it to the one line trace and relay's -d -d -d -d logs print.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "fdscope/syscall_format.hpp"
#include "fdscope/syscall_table.hpp"

namespace fdscope::test {

// A record of `name`(args...) = ret from pid/tid 4242.
inline SyscallRecord call(const char* name, std::initializer_list<uint64_t> args, int64_t ret) {
  SyscallRecord r;
  r.nr = syscall_by_name(name)->number;
  size_t i = 0;
  for (uint64_t a : args) r.args[i++] = a;
  r.ret = ret;
  r.pid = r.tid = 4242;
  return r;
}

inline std::string line(const SyscallRecord& r, SyscallFormatOptions o = {}) {
  SyscallFormatter f(std::move(o));
  std::string out;
  f.format(r, out);
  return out;
}

// The line with -s `limit`.
inline std::string line(const SyscallRecord& r, size_t limit) {
  SyscallFormatOptions o;
  o.string_limit = limit;
  return line(r, std::move(o));
}

// n bytes of an object, as the kernel side captures them.
inline std::string bytes_of(const void* p, size_t n) { return std::string(static_cast<const char*>(p), n); }

}  // namespace fdscope::test
