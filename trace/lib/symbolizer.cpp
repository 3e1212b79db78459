// Symbolizer: libdwfl-based resolution of user-space instruction pointers
// (see symbolizer.hpp).  Per pid we keep one Dwfl reported from
// /proc/PID/maps; each address is mapped to its module, its ELF symbol
// (name + offset, demangled), and, when the module has DWARF, the chain of
// scopes from dwarf_getscopes(): every DW_TAG_inlined_subroutine on the way
// out is one inlined frame whose call site (DW_AT_call_file/line) gives the
// source position of the frame around it.
#include "symbolizer.hpp"

#include <cxxabi.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fdscope/io.hpp"

namespace fdscope::trace {

namespace {

const Dwfl_Callbacks kProcCallbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = nullptr,
    .debuginfo_path = nullptr,
};

// Name of a subprogram or inlined subroutine DIE (following
// abstract_origin/specification), preferring the linkage name so C++
// functions demangle with their parameter list.
const char* die_function_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  const char* name = nullptr;
  if (dwarf_attr_integrate(die, DW_AT_linkage_name, &attr) ||
      dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr))
    name = dwarf_formstring(&attr);
  if (!name) name = dwarf_diename(die);
  if (!name && dwarf_attr_integrate(die, DW_AT_name, &attr)) name = dwarf_formstring(&attr);
  return name;
}

// The file name for a DW_AT_call_file index of the CU containing die.
const char* call_file_name(Dwarf_Die* cu, Dwarf_Word index) {
  Dwarf_Files* files = nullptr;
  size_t nfiles = 0;
  if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0 || index >= nfiles) return nullptr;
  return dwarf_filesrc(files, index, nullptr, nullptr);
}

}  // namespace

std::string demangle(const char* name) {
  if (!name) return {};
  if (name[0] == '_' && name[1] == 'Z') {
    int status = 0;
    char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
    if (status == 0 && d) {
      std::string s(d);
      std::free(d);
      return s;
    }
    std::free(d);
  }
  return name;
}

struct Symbolizer::ProcessCache {
  Dwfl* dwfl = nullptr;
  // The address ranges /proc/PID/maps listed when dwfl was reported,
  // sorted.  libdwfl's module ranges are not the mappings (a module can
  // reach over the gap after it, where a later dlopen() puts a library),
  // so "was this address mapped then" is answered from here.
  std::vector<std::pair<uint64_t, uint64_t>> mapped;
  bool was_mapped(uint64_t a) const {
    auto it = std::upper_bound(mapped.begin(), mapped.end(), a,
                               [](uint64_t v, const std::pair<uint64_t, uint64_t>& r) { return v < r.first; });
    return it != mapped.begin() && a < std::prev(it)->second;
  }
  // Resolved frames by lookup address (and option bits): -k stacks repeat,
  // and the DWARF scope walk is the expensive part.
  std::unordered_map<uint64_t, std::vector<SymbolFrame>> frames;
  static constexpr size_t kMaxFrames = 1 << 16;
  ~ProcessCache() {
    if (dwfl) dwfl_end(dwfl);
  }
};

Symbolizer::Symbolizer() = default;
Symbolizer::~Symbolizer() = default;

void Symbolizer::forget(pid_t pid) { cache_.erase(pid); }

namespace {

// Reads /proc/PID/maps into a fresh dwfl.
Status report_maps(Dwfl* dwfl, pid_t pid) {
  dwfl_report_begin(dwfl);
  int rc = dwfl_linux_proc_report(dwfl, pid);
  if (rc != 0) {
    dwfl_report_end(dwfl, nullptr, nullptr);
    // rc > 0 is an errno (the maps file could not be read), < 0 a libdwfl error.
    if (rc > 0) return sys_error(fmt::format("reading /proc/{}/maps", pid), rc);
    return plain_error(fmt::format("reading /proc/{}/maps: {}", pid, dwfl_errmsg(-1)));
  }
  if (dwfl_report_end(dwfl, nullptr, nullptr) != 0)
    return plain_error(fmt::format("pid {}: {}", pid, dwfl_errmsg(-1)));
  return {};
}

// The ranges of /proc/PID/maps, sorted (the file lists them in order).
std::vector<std::pair<uint64_t, uint64_t>> read_mapped(pid_t pid) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  auto text = read_file(fmt::format("/proc/{}/maps", pid));
  if (!text) return out;
  std::string_view t = *text;
  while (!t.empty()) {
    size_t nl = t.find('\n');
    std::string_view line = t.substr(0, nl);
    t.remove_prefix(nl == std::string_view::npos ? t.size() : nl + 1);
    uint64_t from = 0, to = 0;
    auto a = std::from_chars(line.data(), line.data() + line.size(), from, 16);
    if (a.ec != std::errc() || a.ptr == line.data() + line.size() || *a.ptr != '-') continue;
    auto b = std::from_chars(a.ptr + 1, line.data() + line.size(), to, 16);
    if (b.ec != std::errc()) continue;
    out.emplace_back(from, to);
  }
  return out;
}

}  // namespace

Result<Symbolizer::ProcessCache*> Symbolizer::cache_for(pid_t pid, bool refresh) {
  auto it = cache_.find(pid);
  if (it != cache_.end() && !refresh) return it->second.get();
  auto pc = std::make_unique<ProcessCache>();
  pc->dwfl = dwfl_begin(&kProcCallbacks);
  if (!pc->dwfl) return plain_error(fmt::format("dwfl_begin: {}", dwfl_errmsg(-1)));
  pc->mapped = read_mapped(pid);
  if (auto st = report_maps(pc->dwfl, pid); !st) return st.take_error();
  ProcessCache* raw = pc.get();
  cache_[pid] = std::move(pc);
  return raw;
}

Result<std::vector<SymbolizedAddress>> Symbolizer::symbolize(pid_t pid,
                                                             std::span<const uint64_t> ips,
                                                             const SymbolizeOptions& opts) {
  const bool was_cached = cache_.count(pid) != 0;
  auto pc = cache_for(pid, false);
  if (!pc) return pc.take_error();
  Dwfl* dwfl = (*pc)->dwfl;
  // A cached map may predate a dlopen(): if an address lies outside every
  // mapping the cache was made from, read the maps again once; if that
  // fails (the process is gone) the old map stays.
  if (was_cached) {
    for (size_t i = 0; i < ips.size(); ++i) {
      Dwarf_Addr a = (opts.return_addresses && i > 0 && ips[i] > 0) ? ips[i] - 1 : ips[i];
      if (a >= 4096 && !(*pc)->was_mapped(a)) {
        ProcessCache* old = *pc;
        auto fresh = cache_for(pid, true);
        dwfl = fresh ? (*fresh)->dwfl : old->dwfl;
        break;
      }
    }
  }

  std::vector<SymbolizedAddress> result;
  result.reserve(ips.size());
  ProcessCache* pcache = cache_[pid].get();
  for (size_t i = 0; i < ips.size(); ++i) {
    SymbolizedAddress sa;
    sa.ip = ips[i];
    // A return address points after the call; look up the call itself.
    const Dwarf_Addr addr = (opts.return_addresses && i > 0 && ips[i] > 0) ? ips[i] - 1 : ips[i];
    const uint64_t key = (addr << 2) | (opts.inline_frames ? 2u : 0u) | (opts.source_lines ? 1u : 0u);
    if (auto hit = pcache->frames.find(key); hit != pcache->frames.end()) {
      sa.frames = hit->second;
      for (auto& f : sa.frames) f.ip = ips[i];
      result.push_back(std::move(sa));
      continue;
    }

    SymbolFrame outer;
    outer.ip = ips[i];
    Dwfl_Module* mod = dwfl_addrmodule(dwfl, addr);
    if (!mod) {
      sa.frames.push_back(std::move(outer));
      result.push_back(std::move(sa));
      continue;
    }
    const char* modname = dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr,
                                           nullptr, nullptr);
    if (modname) outer.module = modname;

    GElf_Off off = 0;
    GElf_Sym sym;
    const char* symname = dwfl_module_addrinfo(mod, addr, &off, &sym, nullptr, nullptr, nullptr);
    if (symname) {
      outer.function = demangle(symname);
      outer.offset = ips[i] - (addr - off);
    }

    // Source line of the address itself: belongs to the innermost frame.
    std::string line_file;
    int line_no = 0, line_col = 0;
    if (opts.source_lines) {
      if (Dwfl_Line* l = dwfl_module_getsrc(mod, addr)) {
        int ln = 0, col = 0;
        if (const char* f = dwfl_lineinfo(l, nullptr, &ln, &col, nullptr, nullptr)) {
          line_file = f;
          line_no = ln;
          line_col = col;
        }
      }
    }

    std::vector<SymbolFrame> frames;
    // Position of the frame being built: starts at the address's own line,
    // moves to the call site each time an inlined scope is left.
    std::string cur_file = line_file;
    int cur_line = line_no, cur_col = line_col;
    if (opts.inline_frames || opts.source_lines) {
      Dwarf_Addr bias = 0;
      Dwarf_Die* cudie = dwfl_module_addrdie(mod, addr, &bias);
      Dwarf_Die* scopes = nullptr;
      int nscopes = cudie ? dwarf_getscopes(cudie, addr - bias, &scopes) : 0;
      // Walk scopes innermost first; each inlined subroutine is a frame whose
      // position is the current (file, line), after which the position
      // becomes its call site in the enclosing function.  libdw continues an
      // inlined chain with the abstract definition's scopes, so the function
      // everything was inlined into is often not in the list: it is then the
      // ELF symbol, added below.
      for (int s = 0; s < nscopes; ++s) {
        Dwarf_Die* die = &scopes[s];
        int tag = dwarf_tag(die);
        if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram) continue;
        SymbolFrame f;
        f.ip = ips[i];
        f.module = outer.module;
        const char* fname = die_function_name(die);
        f.function = fname ? demangle(fname) : std::string();
        f.file = cur_file;
        f.line = cur_line;
        f.column = cur_col;
        if (tag == DW_TAG_subprogram) {
          // The real function: keep the ELF symbol's offset.
          if (f.function.empty()) f.function = outer.function;
          f.offset = outer.offset;
          frames.push_back(std::move(f));
          break;
        }
        f.inlined = true;
        frames.push_back(std::move(f));
        if (!opts.inline_frames) frames.pop_back();
        Dwarf_Attribute attr;
        Dwarf_Word v = 0;
        cur_file.clear();
        cur_line = cur_col = 0;
        if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &v) == 0) {
          if (const char* cf = call_file_name(cudie, v)) cur_file = cf;
        }
        if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &v) == 0)
          cur_line = static_cast<int>(v);
        if (dwarf_formudata(dwarf_attr(die, DW_AT_call_column, &attr), &v) == 0)
          cur_col = static_cast<int>(v);
      }
      std::free(scopes);
    }
    if (frames.empty() || frames.back().inlined) {
      // No enclosing subprogram DIE (no DWARF, or an inlined chain): the ELF
      // symbol at the current position is the real function.
      outer.file = cur_file;
      outer.line = cur_line;
      outer.column = cur_col;
      frames.push_back(std::move(outer));
    }
    if (pcache->frames.size() >= ProcessCache::kMaxFrames) pcache->frames.clear();
    pcache->frames.emplace(key, frames);
    sa.frames = std::move(frames);
    result.push_back(std::move(sa));
  }
  return result;
}

std::string Symbolizer::describe(const SymbolFrame& f) {
  std::string out;
  if (f.function.empty())
    out = fmt::format("0x{:x}", f.ip);
  else if (f.inlined)
    out = fmt::format("{} (inlined)", f.function);
  else
    out = fmt::format("{}+0x{:x}", f.function, f.offset);
  if (!f.module.empty()) fmt::format_to(std::back_inserter(out), " ({})", f.module);
  if (!f.file.empty()) {
    if (f.line > 0)
      fmt::format_to(std::back_inserter(out), " [{}:{}]", f.file, f.line);
    else
      fmt::format_to(std::back_inserter(out), " [{}]", f.file);
  }
  return out;
}

}  // namespace fdscope::trace
