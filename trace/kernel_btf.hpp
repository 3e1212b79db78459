// KernelBtf: what trace's BPF object needs from the kernel BTF, without
// libbpf parsing the whole /sys/kernel/btf/vmlinux (5.5 MB, ~9 ms of CPU at
// every start).  Two needs:
//   * CO-RE relocations: the kernel BTF reduced at build time to the types
//     bpf/trace.bpf.c reads (bpftool gen min_core_btf, embedded), handed to
//     libbpf as btf_custom_path when the running kernel is the one it was
//     made from;
//   * the attach points of the tp_btf programs (btf_trace_sys_exit ...):
//     found by a raw walk over the kernel BTF (fdscope/btf_lookup.hpp) and
//     given to the kernel by a custom libbpf section handler for "tp_btf/".
// When the embedded BTF does not describe the running kernel, or
// FDSCOPE_TRACE_STOCK_BTF is set in the environment, neither is used and
// libbpf does both itself (the stock path).
#pragma once

#include <string>
#include <vector>

#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

struct bpf_object;  // libbpf

namespace fdscope::trace {

class KernelBtf {
 public:
  // Decides the path for this run.  On the reduced path the "tp_btf/"
  // handler is registered (once per process).
  static KernelBtf prepare();

  bool reduced() const { return fd_.valid(); }
  // For bpf_object_open_opts.btf_custom_path: null on the stock path.
  const char* custom_path() const { return reduced() ? path_.c_str() : nullptr; }

  // Before loading `obj` on the reduced path: the attach ids of its
  // tp_btf programs that will load, in one walk.  A tracepoint the kernel
  // lacks makes that program's load fail with ENOENT.
  Status resolve_attach_ids(bpf_object* obj) const;

 private:
  UniqueFd fd_;
  std::string path_;
};

}  // namespace fdscope::trace
