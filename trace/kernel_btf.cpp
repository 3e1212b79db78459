// KernelBtf (see kernel_btf.hpp): the reduced BTF embedded from the build,
// and the "tp_btf/" section handler that loads trace's tp_btf programs with
// attach ids from a raw BTF walk.
//
// Why a handler: libbpf parses the whole kernel BTF for every
// BPF_PROG_TYPE_TRACING program it loads (to find btf_trace_NAME), and
// bpf_program__set_attach_target() does the same parse.  The handler
// declares the programs as socket filters, so libbpf never asks for the
// kernel BTF; just before each load it turns the program back into the
// tp_btf program the kernel expects (TRACING, BPF_TRACE_RAW_TP, the id the
// walk found).  Attaching is libbpf's own bpf_program__attach_trace().
// The handler is registered only on the reduced path: with the stock path
// libbpf's own "tp_btf/" rules apply unchanged.
#include "kernel_btf.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "fdscope/btf_lookup.hpp"

#ifdef FDSCOPE_TRACE_MIN_BTF
// The reduced BTF and the identity of the kernel it was reduced from
// (fdscope_bpf_min_btf in cmake/FdscopeBpf.cmake).
FDSCOPE_EMBED_MIN_BTF(trace, FDSCOPE_TRACE_MIN_BTF, FDSCOPE_TRACE_MIN_BTF_ID)
#endif

namespace fdscope::trace {
namespace {

constexpr std::string_view kSection = "tp_btf/";

// Tracepoint name -> btf_trace_NAME's id, filled by resolve_attach_ids()
// before the load that reads it (loads run on the calling thread).
std::vector<std::pair<std::string, uint32_t>> g_attach_ids;
bool g_registered = false;

int prepare_tp_btf(bpf_program* prog, bpf_prog_load_opts* opts, long /*cookie*/) {
  std::string_view sec = bpf_program__section_name(prog);
  sec.remove_prefix(kSection.size());
  uint32_t id = 0;
  for (const auto& [name, found] : g_attach_ids)
    if (name == sec) id = found;
  if (id == 0) return -ENOENT;
  if (int e = bpf_program__set_type(prog, BPF_PROG_TYPE_TRACING)) return e;
  opts->expected_attach_type = BPF_TRACE_RAW_TP;
  opts->attach_btf_id = id;
  opts->attach_btf_obj_fd = 0;
  return 0;
}

int attach_tp_btf(const bpf_program* prog, long /*cookie*/, bpf_link** link) {
  *link = bpf_program__attach_trace(prog);
  return *link ? 0 : -errno;
}

bool register_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    LIBBPF_OPTS(libbpf_prog_handler_opts, h, .prog_prepare_load_fn = prepare_tp_btf,
                .prog_attach_fn = attach_tp_btf);
    // A socket filter until prepare_tp_btf: libbpf loads the kernel BTF
    // for every TRACING program it knows of.
    g_registered = libbpf_register_prog_handler(std::string(kSection).c_str(), BPF_PROG_TYPE_SOCKET_FILTER,
                                                BPF_TRACE_RAW_TP, &h) >= 0;
  });
  return g_registered;
}

}  // namespace

KernelBtf KernelBtf::prepare() {
  KernelBtf k;
#ifdef FDSCOPE_TRACE_MIN_BTF
  const char* stock = std::getenv("FDSCOPE_TRACE_STOCK_BTF");
  if (stock && *stock) return k;
  UniqueFd m = trace_reduced_btf();
  if (!m.valid() || !register_handler()) return k;
  k.path_ = fmt::format("/proc/self/fd/{}", m.get());
  k.fd_ = std::move(m);
#endif
  return k;
}

Status KernelBtf::resolve_attach_ids(bpf_object* obj) const {
  // Once registered (a reduced-path run earlier in this process), the
  // handler serves every later object too.
  if (!g_registered) return {};
  std::vector<std::string> names;
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    std::string_view sec = bpf_program__section_name(prog);
    if (bpf_program__autoload(prog) && sec.starts_with(kSection))
      names.push_back(fmt::format("btf_trace_{}", sec.substr(kSection.size())));
  }
  std::vector<BtfName> want;
  for (const std::string& n : names) want.push_back({n, BtfKind::Typedef});
  auto ids = vmlinux_btf_type_ids(want);
  if (!ids) return ids.take_error();
  g_attach_ids.clear();
  for (size_t i = 0; i < names.size(); ++i)
    g_attach_ids.emplace_back(names[i].substr(std::string_view("btf_trace_").size()), (*ids)[i]);
  return {};
}

}  // namespace fdscope::trace
