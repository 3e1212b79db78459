// Kernel BTF without libbpf's parse: the two things a BPF loader of this suite
// needs from /sys/kernel/btf/vmlinux at start-up, done cheaply.
//
//   * btf_type_ids(): the ids of a few named types (an iterator's FUNC, a
//     tp_btf tracepoint's btf_trace_NAME TYPEDEF) by one walk over the raw
//     type headers, instead of libbpf building its index of all ~150,000
//     types (about 9 ms of CPU here for the 5.5 MB file).
//   * reduced_btf_memfd(): the kernel BTF reduced at build time to what one
//     BPF object relocates against (bpftool gen min_core_btf, embedded in
//     the binary), as a memfd for bpf_object_open_opts.btf_custom_path, but
//     only when the running kernel is the one it was reduced from (release,
//     version string and BTF size, as fdscope_bpf_min_btf() records them).
//
// Plain file reading: no libbpf dependency, so it builds without the BPF
// toolchain too.  Users: fd_scan_bpf.cpp (filan -p), trace/bpf_session.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace fdscope {

inline constexpr const char* kVmlinuxBtfPath = "/sys/kernel/btf/vmlinux";

// The BTF kinds looked up by name (linux/btf.h values).
enum class BtfKind : unsigned { Typedef = 8, Func = 12 };

struct BtfName {
  std::string_view name;
  BtfKind kind;
};

// The type id of each name (with its kind) in raw BTF `data`, in the order
// asked; 0 for a name that is not there.  An error only for data that is
// not BTF (bad magic, truncated).
Result<std::vector<uint32_t>> btf_type_ids(std::string_view data, std::span<const BtfName> names);

// The same on the running kernel's BTF (kVmlinuxBtfPath, mapped where the
// kernel allows it, read otherwise).
Result<std::vector<uint32_t>> vmlinux_btf_type_ids(std::span<const BtfName> names);

// Whether `made_for` (the .id file of fdscope_bpf_min_btf: "release\n
// version\nBTF size\n", then the recorded ids) describes the running kernel.
bool built_for_this_kernel(std::string_view made_for);

// A memfd (named `name`) holding `btf` when `made_for` describes the
// running kernel; an invalid fd otherwise, or on any error (the caller then
// lets libbpf read the full kernel BTF).
UniqueFd reduced_btf_memfd(std::string_view btf, std::string_view made_for, const char* name);

// The type ids the build recorded for `names` in `made_for` (lines
// "KIND NAME ID", KIND as BtfKind's number, written by
// fdscope_bpf_min_btf(STEM IDS ...)), when made_for describes the running
// kernel: the same kernel build has the same BTF, so its ids need no walk.
// nullopt when the kernel differs or a name was not recorded (the caller
// walks the kernel's BTF).
std::optional<std::vector<uint32_t>> recorded_btf_type_ids(std::string_view made_for,
                                                          std::span<const BtfName> names);

}  // namespace fdscope

// FDSCOPE_EMBED_MIN_BTF(stem, BTF_FILE, ID_FILE), at file scope: embeds the
// two files fdscope_bpf_min_btf(stem) makes (the reduced BTF and the
// identity of the kernel it was reduced from, with the recorded ids) in
// .rodata, and defines `fdscope::UniqueFd stem_reduced_btf()`:
// reduced_btf_memfd() over them, and stem_recorded_btf_ids(names):
// recorded_btf_type_ids() over the identity file.
#define FDSCOPE_EMBED_MIN_BTF(stem, btf_file, id_file)                                                      \
  asm(".pushsection .rodata\n.balign 8\n"                                                                   \
      "fdscope_" #stem "_min_btf:\n.incbin \"" btf_file "\"\nfdscope_" #stem "_min_btf_end:\n"              \
      "fdscope_" #stem "_min_btf_id:\n.incbin \"" id_file "\"\nfdscope_" #stem "_min_btf_id_end:\n"         \
      ".popsection\n");                                                                                     \
  extern "C" const char fdscope_##stem##_min_btf[], fdscope_##stem##_min_btf_end[];                        \
  extern "C" const char fdscope_##stem##_min_btf_id[], fdscope_##stem##_min_btf_id_end[];                  \
  static fdscope::UniqueFd stem##_reduced_btf() {                                                          \
    return fdscope::reduced_btf_memfd(                                                                     \
        std::string_view(fdscope_##stem##_min_btf,                                                         \
                         static_cast<size_t>(fdscope_##stem##_min_btf_end - fdscope_##stem##_min_btf)),    \
        std::string_view(fdscope_##stem##_min_btf_id,                                                      \
                         static_cast<size_t>(fdscope_##stem##_min_btf_id_end - fdscope_##stem##_min_btf_id)), \
        #stem ".min.btf");                                                                                 \
  }                                                                                                        \
  [[maybe_unused]] static std::optional<std::vector<uint32_t>> stem##_recorded_btf_ids(                    \
      std::span<const fdscope::BtfName> names) {                                                           \
    return fdscope::recorded_btf_type_ids(                                                                 \
        std::string_view(fdscope_##stem##_min_btf_id,                                                      \
                         static_cast<size_t>(fdscope_##stem##_min_btf_id_end - fdscope_##stem##_min_btf_id)), \
        names);                                                                                            \
  }

namespace fdscope {

}  // namespace fdscope
