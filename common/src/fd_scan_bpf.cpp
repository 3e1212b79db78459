// The BPF fd-table scan (see fd_scan_bpf.hpp): loads bpf/fd_iter.bpf.c's
// task_file iterator, attaches it to one process, reads its binary records
// and turns them into FdInfo records for fd_scan.cpp to finish (fdinfo for
// anon inodes, terminal settings, sockets from sock_diag).
//
// Loading is what costs; two things keep it short:
//   * the program's section is a custom one ("fdscope_iter"), so libbpf does
//     not parse the 5 MB vmlinux BTF to find the iterator's attach point; the
//     BTF id of bpf_iter_task_file is found by walking the raw BTF (one
//     mmap, one pass over the type headers: btf_lookup.cpp) and handed to
//     the kernel in the prepare-load callback;
//   * the CO-RE relocations use the kernel BTF reduced at build time to the
//     types the iterator reads (bpftool gen min_core_btf, embedded below),
//     when the running kernel is the one it was made from (release, version
//     string and BTF size match); otherwise libbpf reads the full BTF.
// libbpf's messages are silenced while loading: a failure is one Error.
#include "fdscope/fd_scan_bpf.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cstdarg>
#include <cstdlib>
#include <memory>
#include <span>
#include <cstring>
#include <mutex>
#include <string_view>

#include <fmt/format.h>

#include "fd_iter.h"
#include "fd_iter.skel.h"
#include "fdscope/btf_lookup.hpp"
#include "fdscope/io.hpp"
#include "fdscope/unique_fd.hpp"

#ifdef FDSCOPE_FD_ITER_MIN_BTF
FDSCOPE_EMBED_MIN_BTF(fd_iter, FDSCOPE_FD_ITER_MIN_BTF, FDSCOPE_FD_ITER_MIN_BTF_ID)
#endif

namespace fdscope {
namespace {

constexpr const char* kVmlinuxBtf = kVmlinuxBtfPath;

// The BTF id of bpf_iter_task_file in the running kernel: recorded by the
// build when this is the kernel it was built on, else found by a walk over
// the kernel's BTF (btf_lookup.cpp).
Result<uint32_t> task_file_iter_btf_id() {
  const BtfName name{"bpf_iter_task_file", BtfKind::Func};
#ifdef FDSCOPE_FD_ITER_MIN_BTF
  if (auto recorded = fd_iter_recorded_btf_ids(std::span(&name, 1))) return (*recorded)[0];
#endif
  auto ids = vmlinux_btf_type_ids(std::span(&name, 1));
  if (!ids) return ids.take_error();
  if ((*ids)[0] == 0) return plain_error("vmlinux BTF: no function bpf_iter_task_file");
  return (*ids)[0];
}

// A memfd holding the embedded reduced BTF when it describes this kernel,
// else an invalid fd (libbpf then uses the full vmlinux BTF).
UniqueFd reduced_btf_for_this_kernel() {
#ifdef FDSCOPE_FD_ITER_MIN_BTF
  return fd_iter_reduced_btf();
#else
  return {};
#endif
}

int quiet_libbpf(enum libbpf_print_level, const char*, va_list) { return 0; }

// The "fdscope_iter" section: a task_file iterator whose attach BTF id
// (the cookie) is set here rather than looked up by libbpf.
int prepare_iter_load(struct bpf_program* prog, struct bpf_prog_load_opts* opts, long cookie) {
  int e = bpf_program__set_type(prog, BPF_PROG_TYPE_TRACING);
  if (e < 0) return e;
  opts->expected_attach_type = BPF_TRACE_ITER;
  opts->attach_btf_id = static_cast<uint32_t>(cookie);
  opts->attach_btf_obj_fd = 0;
  return 0;
}

// Registers the section handler once per process (libbpf keeps it).
Status register_iter_section() {
  static std::once_flag once;
  static Status result = plain_error("not registered");
  std::call_once(once, [] {
    auto id = task_file_iter_btf_id();
    if (!id) {
      result = id.take_error();
      return;
    }
    LIBBPF_OPTS(libbpf_prog_handler_opts, h, .cookie = static_cast<long>(*id),
                .prog_prepare_load_fn = prepare_iter_load);
    // Registered as a socket filter so that libbpf does not ask for vmlinux
    // BTF (it does for every tracing program); the prepare callback makes it
    // the iterator the kernel expects.
    int r = libbpf_register_prog_handler("fdscope_iter", BPF_PROG_TYPE_SOCKET_FILTER, BPF_CGROUP_INET_INGRESS, &h);
    if (r < 0)
      result = sys_error("libbpf_register_prog_handler", -r);
    else
      result = {};
  });
  return result;
}

// Skeleton owner.
struct Skeleton {
  fd_iter* skel = nullptr;
  ~Skeleton() {
    if (skel) fd_iter__destroy(skel);
  }
};

// The records as read, in a buffer that is not zero-filled on growth.
struct IterBuffer {
  std::unique_ptr<char, decltype(&std::free)> data{nullptr, &std::free};
  size_t cap = 0, used = 0;
  bool grow(size_t to) {
    void* p = std::realloc(data.get(), to);
    if (!p) return false;
    (void)data.release();
    data.reset(static_cast<char*>(p));
    cap = to;
    return true;
  }
  std::string_view view() const { return {data.get(), used}; }
};

Result<IterBuffer> read_iterator(pid_t pid) {
  if (auto r = register_iter_section(); !r) return r.take_error().context("BPF iterator");
  UniqueFd btf = reduced_btf_for_this_kernel();
  std::string btf_path = btf.valid() ? fmt::format("/proc/self/fd/{}", btf.get()) : std::string();
  LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = btf_path.empty() ? nullptr : btf_path.c_str());
  libbpf_print_fn_t old = libbpf_set_print(quiet_libbpf);
  Skeleton s;
  s.skel = fd_iter__open_opts(&oo);
  int e = s.skel ? 0 : errno;
  if (s.skel && fd_iter__load(s.skel) != 0) e = errno ? errno : EINVAL;
  libbpf_set_print(old);
  if (e) return sys_error("BPF iterator load", e);

  union bpf_iter_link_info li;
  std::memset(&li, 0, sizeof li);
  li.task.pid = static_cast<uint32_t>(pid);
  LIBBPF_OPTS(bpf_link_create_opts, lo, .iter_info = &li, .iter_info_len = sizeof li);
  UniqueFd link(bpf_link_create(bpf_program__fd(s.skel->progs.fd_table), 0, BPF_TRACE_ITER, &lo));
  if (!link.valid()) {
    if (errno == ESRCH) return plain_error(fmt::format("pid {}: no such process", pid));
    return sys_error(fmt::format("BPF iterator attach (pid {})", pid));
  }
  UniqueFd it(bpf_iter_create(link.get()));
  if (!it.valid()) return sys_error("BPF iterator create");
  // Sized for the table (Linux 6.2+ gives the number of open fds as the
  // size of /proc/PID/fd), grown by doubling; not zero-filled.
  struct stat dst;
  size_t expected = ::stat(fmt::format("/proc/{}/fd", pid).c_str(), &dst) == 0 && dst.st_size > 0
                        ? static_cast<size_t>(dst.st_size)
                        : 0;
  IterBuffer out;
  out.grow(std::max<size_t>(256 * 1024, expected * (sizeof(fd_iter_record) + 64)));
  for (;;) {
    if (out.cap - out.used < 64 * 1024 && !out.grow(out.cap * 2)) return sys_error("BPF iterator read", ENOMEM);
    ssize_t n = retry_eintr([&] { return ::read(it.get(), out.data.get() + out.used, out.cap - out.used); });
    if (n < 0) return sys_error("BPF iterator read");
    if (n == 0) break;
    out.used += static_cast<size_t>(n);
  }
  return out;
}

dev_t kernel_dev(uint32_t d) { return makedev(d >> 20, d & 0xfffff); }

// File systems whose getattr reports the inode's own fields (generic
// fillattr).  Regular files with data on ext4 (delayed-allocation blocks)
// and tmpfs (huge-page block size, swapped pages) are stat()ed all the same.
bool stat_from_inode(const fd_iter_record& r) {
  bool regular_with_data = (r.i_mode & S_IFMT) == S_IFREG && r.i_size > 0;
  switch (r.s_magic) {
    case 0x534F434B:  // sockfs
    case 0x50495045:  // pipefs
    case 0x09041934:  // anon_inodefs
    case 0x1cd1:      // devpts
      return true;
    case 0xEF53:      // ext2/3/4
    case 0x01021994:  // tmpfs, devtmpfs
      return !regular_with_data;
    default:
      return false;
  }
}

}  // namespace

std::string bpf_scan_unavailable_reason() {
  if (::geteuid() != 0) return "not root";
  if (::access(kVmlinuxBtf, R_OK) != 0) return fmt::format("no kernel BTF ({})", kVmlinuxBtf);
  return {};
}

Result<BpfFdTable> bpf_read_fd_table(pid_t pid, int max_fd, int only_fd) {
  auto raw = read_iterator(pid);
  if (!raw) return raw.take_error();
  std::string_view b = raw->view();
  BpfFdTable table;
  table.text_.reset(raw->data.release());
  table.page_size_ = ::sysconf(_SC_PAGESIZE);
  table.records_.reserve(b.size() / sizeof(fd_iter_record));  // every record is at least a header
  table.fds_.reserve(b.size() / sizeof(fd_iter_record));
  // One pass for where each record starts, its fd, the socket kinds (the
  // dump thread waits for those) and, for a name-only path, the record
  // whose directory it is in; the rest is decoded by at().
  const char* dir_base = nullptr;
  size_t off = 0;
  while (off + sizeof(fd_iter_record) <= b.size()) {
    fd_iter_record r;
    std::memcpy(&r, b.data() + off, sizeof r);
    const char* at = b.data() + off;
    size_t plen = r.path_len > 0 ? static_cast<size_t>(r.path_len) : 0;
    if (off + sizeof r + plen > b.size()) break;
    off += sizeof r + plen;
    int fd = static_cast<int>(r.fd);
    const char* base = (r.bits & FD_ITER_SIBLING) ? dir_base : nullptr;
    if (r.bits & FD_ITER_DIR_BASE) dir_base = at;
    if (max_fd >= 0 && fd >= max_fd) continue;
    if (only_fd >= 0 && fd != only_fd) continue;
    table.records_.push_back(at);
    table.dir_base_.push_back(base);
    table.fds_.push_back(fd);
    if (r.bits & FD_ITER_SOCK) {
      BpfSocketKind k{r.sk_family, r.sk_type, r.sk_protocol};
      auto& kinds = table.socket_kinds_;
      if (std::none_of(kinds.begin(), kinds.end(), [&](const BpfSocketKind& o) {
            return o.family == k.family && o.type == k.type && o.protocol == k.protocol;
          }))
        kinds.push_back(k);
    }
  }
  return table;
}

BpfFd BpfFdTable::at(size_t i, std::string& scratch) const {
  fd_iter_record r;
  std::memcpy(&r, records_[i], sizeof r);
  const char* path = records_[i] + sizeof r;
  size_t plen = r.path_len > 0 ? static_cast<size_t>(r.path_len) : 0;
  if ((r.bits & FD_ITER_SIBLING) && plen > 0) {
    // The name joined to the directory of the base record's full path;
    // without a base (never seen) the caller readlinks.
    fd_iter_record b;
    const char* base = dir_base_[i];
    std::string_view dir;
    if (base) {
      std::memcpy(&b, base, sizeof b);
      std::string_view full(base + sizeof b, b.path_len > 0 ? static_cast<size_t>(b.path_len) - 1 : 0);
      size_t slash = full.rfind('/');
      if (slash != std::string_view::npos) dir = full.substr(0, slash + 1);
    }
    if (dir.empty()) {
      plen = 0;
    } else {
      scratch.assign(dir);
      scratch.append(path, plen);  // with the NUL, as a full path has it
      path = scratch.data();
      plen = scratch.size();
    }
  }
  BpfFd f;
  f.fd = static_cast<int>(r.fd);
  f.flags = r.f_flags;
  f.cloexec = (r.bits & FD_ITER_CLOEXEC) != 0;
  f.pos = r.f_pos;
  if (r.bits & FD_ITER_MNT_ID) f.mnt_id = r.mnt_id;
  if (r.bits & FD_ITER_PIPE) f.pipe_size = static_cast<int>(r.pipe_max_usage * page_size_);
  if (r.bits & FD_ITER_SCM_FDS) f.scm_fds = r.scm_fds;
  if (r.bits & FD_ITER_SOCK) {
    f.sock_family = r.sk_family;
    f.sock_type = r.sk_type;
    f.sock_protocol = r.sk_protocol;
  }
  f.ino = r.ino;
  if (plen > 0)
    f.link = std::string_view(path, plen - 1);  // without the NUL
  else if (r.bits & FD_ITER_INO_NAME)
    f.ino_name = (r.i_mode & S_IFMT) == S_IFSOCK ? "socket" : "pipe";
  f.has_locks = (r.bits & FD_ITER_LOCKS) != 0;
  if ((r.bits & FD_ITER_TIMES) && stat_from_inode(r)) {
    FdStat& s = f.st.emplace();
    s.dev = kernel_dev(r.s_dev);
    s.ino = r.ino;
    s.mode = r.i_mode;
    s.nlink = r.nlink;
    s.uid = r.uid;
    s.gid = r.gid;
    s.rdev = kernel_dev(r.i_rdev);
    s.size = r.i_size;
    s.blksize = blksize_t{1} << r.blkbits;
    s.blocks = static_cast<blkcnt_t>(r.i_blocks);
    s.atime = {r.atime_sec, r.atime_nsec};
    s.mtime = {r.mtime_sec, r.mtime_nsec};
    s.ctime = {r.ctime_sec, r.ctime_nsec};
  }
  return f;
}

}  // namespace fdscope
