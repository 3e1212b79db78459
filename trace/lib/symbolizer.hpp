// User-space stack symbolisation for trace's `-k`: turns the instruction
// pointers the kernel captured for a syscall into function names (demangled),
// offsets, modules and, where DWARF exists, the inline chain with source
// file:line for every frame.  Built on elfutils' libdwfl: one Dwfl per pid,
// reported from /proc/PID/maps (dwfl_linux_proc_report) and kept until
// forget(pid), so a stack of a short-lived process can still be resolved
// while its modules stay cached.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "fdscope/result.hpp"

namespace fdscope::trace {

// One source-level frame.  An address inside inlined code yields several:
// the inlined callee(s) first, then the function they were inlined into.
struct SymbolFrame {
  uint64_t ip = 0;            // the address that was looked up (as given)
  std::string function;       // demangled; empty when unknown
  uint64_t offset = 0;        // ip - symbol start (outermost frame only)
  std::string module;         // "/usr/lib/x86_64-linux-gnu/libc.so.6", "[vdso]"
  std::string file;           // source file, empty without debug info
  int line = 0;
  int column = 0;
  bool inlined = false;       // this frame was inlined into the next one
};

// All frames for one input address (at least one: unknown addresses give a
// frame with an empty function and, if mapped, the module).
struct SymbolizedAddress {
  uint64_t ip = 0;
  std::vector<SymbolFrame> frames;
};

struct SymbolizeOptions {
  // Stack entries after the first are return addresses: look up ip - 1 so the
  // call instruction (and its line) is found, not the next statement.
  bool return_addresses = true;
  bool inline_frames = true;
  bool source_lines = true;
};

class Symbolizer {
 public:
  Symbolizer();
  ~Symbolizer();
  Symbolizer(const Symbolizer&) = delete;
  Symbolizer& operator=(const Symbolizer&) = delete;

  // Symbolises a stack of process pid (frame 0 = innermost).  The first call
  // for a pid reads its maps; later calls reuse them, reading them again
  // when an address lies outside every mapping they listed (dlopen).  After
  // an exec, call forget().
  // Errors: the pid is gone and not cached, or its maps cannot be read.
  Result<std::vector<SymbolizedAddress>> symbolize(pid_t pid, std::span<const uint64_t> ips,
                                                   const SymbolizeOptions& opts = {});

  // Drops the cached modules of pid (exited, or exec'ed a new image).
  void forget(pid_t pid);

  // "name+0x1a (module) [file:line]" for one frame, as -k prints it.
  static std::string describe(const SymbolFrame& frame);

 private:
  struct ProcessCache;
  // The cached maps of pid, read on first use or when refresh is set (a
  // failed refresh leaves the old entry in place).
  Result<ProcessCache*> cache_for(pid_t pid, bool refresh);
  std::map<pid_t, std::unique_ptr<ProcessCache>> cache_;
};

// "_ZN3foo3barEv" -> "foo::bar()"; input returned unchanged when it is not a
// mangled C++ name.
std::string demangle(const char* name);

}  // namespace fdscope::trace
