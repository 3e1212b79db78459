// filan: analyses file descriptors -- its own (inherited) ones, one file
// system entry (-f), or every fd of another process (-p) -- and prints them
// in socat filan's text layout, the -s/-S one-line forms, or JSON, with
// --audit listing risky fds.  This file is only the command line: parsing,
// choosing what to inspect, and where output goes.  Everything else is in
// libfdscope (fd_inspect, fd_scan, fd_render, fd_audit), which never prints.
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "fdscope/fd_audit.hpp"
#include "fdscope/fd_inspect.hpp"
#include "fdscope/fd_render.hpp"
#include "fdscope/fd_scan.hpp"
#include "fdscope/io.hpp"
#include "fdscope/json.hpp"
#include "fdscope/result.hpp"
#include "fdscope/sock_diag.hpp"
#include "fdscope/version.hpp"
#include "heap_policy.hpp"
#include "ordered_output.hpp"

#if defined(__SANITIZE_ADDRESS__)
// ASan builds: filan -p is meant to run as other users too, and a run with
// real != effective uid is a secure exec LeakSanitizer cannot scan (it
// aborts at exit); leak checks are left to the ordinary runs then.
extern "C" const char* __lsan_default_options() { return getauxval(AT_SECURE) ? "detect_leaks=0" : ""; }
#endif

namespace {

using namespace fdscope;

struct Args {
  std::optional<int> only_fd;   // -i
  std::optional<int> max_fd;    // -n
  bool short_form = false;      // -s
  bool short_improved = false;  // -S
  std::string file;             // -f
  double wait_seconds = 0;      // -T
  bool raw = false;             // -r
  bool follow_links = false;    // -L
  std::string output;           // -o
  int debug = 0;                // -d
  std::optional<pid_t> pid;     // -p
  bool json = false;
  bool audit = false;
  ScanMethod scan = ScanMethod::Auto;  // --scan
};

enum class Form { Text, Short, ShortImproved, Json };

int fail(const Error& e) {
  std::string line = fmt::format("filan: {}\n", e.message());
  (void)write_all(STDERR_FILENO, line);
  return kExitError;
}

void note(const std::string& msg) {
  std::string line = fmt::format("filan: note: {}\n", msg);
  (void)write_all(STDERR_FILENO, line);
}

// -o: a file name, "+FD", or stdin/stdout/stderr.  Returns the fd to write
// to and, for a file we opened, the same fd as the one to hide from listing.
Result<int> open_output(const std::string& spec, int* opened) {
  *opened = -1;
  if (spec.empty() || spec == "stdout") return STDOUT_FILENO;
  if (spec == "stderr") return STDERR_FILENO;
  if (spec == "stdin") return STDIN_FILENO;
  if (spec[0] == '+') {
    int fd = -1;
    try {
      size_t used = 0;
      fd = std::stoi(spec.substr(1), &used);
      if (used != spec.size() - 1) fd = -1;
    } catch (const std::exception&) {
      fd = -1;
    }
    if (fd < 0) return plain_error(fmt::format("-o {}: not a file descriptor number", spec));
    int fl = ::fcntl(fd, F_GETFL);
    if (fl < 0) return sys_error(fmt::format("-o {}: fd {}", spec, fd));
    if ((fl & O_ACCMODE) == O_RDONLY) return plain_error(fmt::format("-o {}: fd {} is not open for writing", spec, fd));
    return fd;
  }
  int fd = ::open(spec.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
  if (fd < 0) return sys_error(fmt::format("open \"{}\"", spec));
  *opened = fd;
  return fd;
}

// uid the audit compares file owners against.
uid_t process_euid(std::optional<pid_t> pid) {
  if (!pid) return ::geteuid();
  struct stat st;
  if (::stat(fmt::format("/proc/{}", *pid).c_str(), &st) == 0) return st.st_uid;
  return ::geteuid();
}

// Bulk socket facts for own-fd inspection: only when there are sockets, and
// the /proc-wide holder search only for UNIX sockets with a peer.
struct DiagCache {
  std::optional<SocketFacts> facts;
  std::unordered_map<uint64_t, std::vector<SocketHolder>> holders;
};

void prepare_diag(const std::vector<int>& fds, DiagCache& cache, int debug) {
  std::vector<uint64_t> socket_inodes;
  for (int fd : fds) {
    struct stat st;
    if (::fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) socket_inodes.push_back(st.st_ino);
  }
  if (socket_inodes.empty()) return;
  SockDiagOptions o;
  o.tcp_info = false;  // read through the fd itself
  auto d = dump_sockets(o);
  if (!d) {
    if (debug) note("sock_diag: " + d.error().message());
    return;
  }
  cache.facts = std::move(*d);
  std::unordered_set<uint64_t> wanted;
  for (uint64_t ino : socket_inodes)
    if (const UnixDiagFacts* u = cache.facts->find_unix(ino); u && u->peer_inode && *u->peer_inode)
      wanted.insert(*u->peer_inode);
  if (!wanted.empty()) cache.holders = find_socket_holders(wanted);
  // filan holds inherited copies of the inspected fds: not a peer process.
  for (auto& [ino, v] : cache.holders)
    std::erase_if(v, [](const SocketHolder& h) { return h.pid == ::getpid(); });
}

int run(const Args& a) {
  int hidden = -1;
  auto out_fd = open_output(a.output, &hidden);
  if (!out_fd) return fail(out_fd.error());

  if (a.wait_seconds > 0) {
    timespec ts{static_cast<time_t>(a.wait_seconds),
                static_cast<long>(std::fmod(a.wait_seconds, 1.0) * 1e9)};
    while (::nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
  }

  Form form = a.json ? Form::Json : a.short_improved ? Form::ShortImproved : a.short_form ? Form::Short : Form::Text;
  RenderOptions ropts;
  ropts.raw = a.raw;
  std::vector<FdInfo> infos;
  std::vector<std::string> notes;
  bool privileged = true;
  std::string scan_method;  // -p: "bpf" or "proc" (JSON "scan")

  if (!a.file.empty()) {
    auto r = inspect_path(a.file, a.follow_links);
    if (!r) return fail(r.error());
    infos.push_back(std::move(*r));
  } else if (a.pid) {
    if (a.only_fd) {
      auto pidfd = open_pidfd(*a.pid);
      if (!pidfd) return fail(pidfd.error());
      DiagCache cache;
      SockDiagOptions o;
      o.tcp_info = false;
      if (auto d = dump_sockets(o); d.ok()) cache.facts = std::move(*d);
      InspectOptions io;
      if (cache.facts) io.diag = &*cache.facts;
      auto r = inspect(pidfd->get(), *a.pid, *a.only_fd, io);
      if (!r && (r.error().err == EPERM || r.error().err == EACCES)) {
        // No ptrace rights: what /proc shows about this one fd.
        ScanOptions so;
        so.only_fd = *a.only_fd;
      auto scan = scan_process(*a.pid, so);
        if (!scan) return fail(scan.error());
        if (scan->fds.empty())
          return fail(plain_error(fmt::format("pid {}: fd {} is not open", *a.pid, *a.only_fd)));
        note(fmt::format("no ptrace rights on pid {}: showing what /proc shows about fd {}", *a.pid, *a.only_fd));
        r = std::move(scan->fds.front());
      }
      if (!r) {
        const Error& e = r.error();
        if (e.err == EBADF) return fail(plain_error(fmt::format("pid {}: fd {} is not open", *a.pid, *a.only_fd)));
        return fail(e);
      }
      // Holder of a UNIX peer, now that the peer inode is known.
      if (r->sock && r->sock->unix_peer_ino) {
        auto h = find_socket_holders({*r->sock->unix_peer_ino});
        if (auto it = h.find(*r->sock->unix_peer_ino); it != h.end()) r->sock->peer_holders = it->second;
      }
      infos.push_back(std::move(*r));
    } else {
      ScanOptions so;
      so.method = a.scan;
      // Through /proc the target's close-on-exec bits are only in
      // /proc/PID/fdinfo, one read per fd: paid for when they matter
      // (--audit) or asked for (-d).  The BPF scan always has them.
      so.all_fdinfo = a.audit || a.debug > 0;
      // The one-line forms show neither flags nor offsets: two syscalls per
      // fd saved.
      so.flags_and_offsets = !((form == Form::Short || form == Form::ShortImproved) && !a.audit);
      so.tcp_info = !(form == Form::Short || form == Form::ShortImproved);
      if (a.max_fd) so.max_fd = *a.max_fd;
      // Linux 6.2+ gives the number of open fds as the directory's size.
      struct stat dst;
      if (::stat(fmt::format("/proc/{}/fd", *a.pid).c_str(), &dst) == 0 && dst.st_size > 0)
        filan::prepare_heap_for(static_cast<size_t>(dst.st_size));
      auto scan = scan_process(*a.pid, so);
      if (!scan) return fail(scan.error());
      infos = std::move(scan->fds);
      notes = std::move(scan->notes);
      privileged = scan->privileged;
      scan_method = scan->method;
      if (a.debug && !scan->bpf_error.empty()) note(fmt::format("scan through /proc: BPF not used: {}", scan->bpf_error));
    }
  } else {
    std::vector<int> fds;
    if (a.only_fd) {
      if (::fcntl(*a.only_fd, F_GETFD) < 0 || *a.only_fd == hidden)
        return fail(plain_error(fmt::format("fd {} is not open", *a.only_fd)));
      fds.push_back(*a.only_fd);
    } else {
      auto list = list_own_fds();
      if (!list) return fail(list.error());
      for (int fd : *list) {
        if (fd == hidden) continue;
        if (a.max_fd && fd >= *a.max_fd) continue;
        fds.push_back(fd);
      }
    }
    filan::prepare_heap_for(fds.size());
    DiagCache cache;
    prepare_diag(fds, cache, a.debug);
    InspectOptions io;
    if (form == Form::Short || form == Form::ShortImproved) {
      // The one-line forms show no options, TCP_INFO or poll state: with
      // thousands of sockets that is most of the work.
      io.socket_options = false;
      io.tcp_info = false;
      io.poll = false;
    }
    if (cache.facts) io.diag = &*cache.facts;
    io.holders = &cache.holders;
    // Each fd is read through itself (a socket: every readable option, tens
    // of getsockopt calls), so a large table is split between two threads;
    // the results are taken in fd order below.
    std::vector<std::optional<Result<FdInfo>>> got(fds.size());
    auto work = [&](size_t from, size_t to) {
      for (size_t k = from; k < to; ++k) got[k].emplace(inspect(fds[k], io));
    };
    size_t half = fds.size() >= 2048 && std::thread::hardware_concurrency() > 1 ? fds.size() / 2 : 0;
    if (half) {
      try {
        std::thread t([&] { work(half, fds.size()); });
        work(0, half);
        t.join();
      } catch (const std::system_error&) {
        half = 0;  // no thread: nothing read yet
      }
    }
    if (!half) work(0, fds.size());
    infos.reserve(fds.size());
    for (auto& r : got) {
      if (!*r) {
        if (a.only_fd) return fail(r->error());
        if (a.debug) note(r->error().message());
        continue;  // closed meanwhile
      }
      infos.push_back(std::move(**r));
    }
  }

  for (const auto& n : notes) note(n);
  if (a.debug)
    for (const auto& i : infos)
      for (const auto& n : i.notes) note(fmt::format("fd {}: {}", i.fd, n));

  std::vector<AuditFinding> findings;
  if (a.audit) {
    AuditContext ctx;
    ctx.euid = process_euid(a.pid);
    ctx.own_process = !a.pid;
    findings = audit_fds(infos, ctx);
  }

  std::string out;
  if (a.audit) out.reserve(infos.size() * 320 + 4096);
  // A large table is rendered by two threads in chunks of lines (text,
  // short) or array items (JSON), written in order as each is done
  // (ordered_output.hpp).
  filan::OrderedOutput o;
  o.items = infos.size();
  o.two_threads = infos.size() >= 2048 && std::thread::hardware_concurrency() > 1;
  if (form == Form::Json) {
    JsonWriter w(out, true);
    w.begin_object();
    w.field("pid", a.pid ? *a.pid : ::getpid());
    if (a.pid) w.field("privileged", privileged);
    if (!scan_method.empty()) w.field("scan", scan_method);
    if (!a.file.empty()) w.field("file", a.file);
    w.key("fds").begin_array();
    // The items, each by a writer nested in the document's object and
    // array, joined in order; the document goes on after them.
    o.chunk_reserve = o.chunk_items * 4096;  // an fd with TCP_INFO is ~3.5 KB of JSON
    o.render = [&](size_t k, std::string& into) {
      JsonWriter item(into, true, 2, k == 0);
      render_json(item, infos[k]);
    };
    if (auto wr = filan::write_ordered(*out_fd, out, o); !wr) return fail(wr.error().context("writing output"));
    out.clear();
    if (!infos.empty()) w.mark_written();
    w.end_array();
    if (a.audit) {
      w.key("audit").begin_array();
      for (const auto& f : findings) {
        w.begin_object();
        w.field("fd", f.fd);
        w.field("check", f.check);
        w.field("message", f.message);
        w.end_object();
      }
      w.end_array();
    }
    if (!notes.empty()) {
      w.key("notes").begin_array();
      for (const auto& n : notes) w.value(n);
      w.end_array();
    }
    w.end_object();
    out += '\n';
  } else if (a.audit) {
    out = audit_text(findings);
  } else {
    // A chunk of 128 text lines with TCP_INFO is ~170 KB.
    o.chunk_reserve = form == Form::Text ? o.chunk_items * 1536 : o.chunk_items * 96;
    o.render = [&](size_t k, std::string& into) {
      const FdInfo& i = infos[k];
      switch (form) {
        case Form::Text: render_text_to(into, i, ropts); break;
        case Form::Short: into += render_short(i); break;
        case Form::ShortImproved: into += render_short_improved(i); break;
        case Form::Json: break;
      }
    };
    std::string head = form == Form::Text ? render_text_header(ropts) : std::string();
    if (auto w = filan::write_ordered(*out_fd, head, o); !w) return fail(w.error().context("writing output"));
    out.clear();
  }
  if (auto w = write_all(*out_fd, out); !w) return fail(w.error().context("writing output"));
  if (hidden >= 0) ::close(hidden);
  // Everything is written: a large table's records (tens of MB in tens of
  // thousands of allocations) are left for the kernel to free at exit
  // instead of being released one by one first.
  if (infos.size() >= 2048) std::_Exit(kExitOk);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  CLI::App app{"filan: analyse file descriptors (socat's filan, done again)", "filan"};
  app.set_version_flag("-V,--version", std::string("filan (fdscope) ") + fdscope::kVersion);
  int only_fd = -1, max_fd = -1, pid = -1;
  app.add_option("-i", only_fd, "analyse only this fd")->type_name("FD");
  app.add_option("-n", max_fd, "analyse fds 0 .. FD-1 (default: every open fd)")->type_name("FD");
  app.add_flag("-s", a.short_form, "one line per fd: type and address or path (socat's layout)");
  app.add_flag("-S", a.short_improved, "like -s, improved: local-peer addresses, socket type, state");
  app.add_option("-f", a.file, "analyse this file system entry instead of fds")->type_name("PATH");
  app.add_option("-T", a.wait_seconds, "wait this many seconds before analysing")->type_name("SECONDS");
  app.add_flag("-r", a.raw, "raw output: times as numbers, devices as numbers");
  app.add_flag("-L", a.follow_links, "with -f: follow a symbolic link instead of describing it");
  app.add_option("-o", a.output, "write output to FILE, +FD, stdout or stderr")->type_name("FILE");
  app.add_flag("-d", a.debug, "print notes about facts that could not be read (repeatable)");
  app.add_option("-p,--pid", pid, "analyse every fd of process PID")->type_name("PID");
  app.add_flag("--json", a.json, "JSON output (keys documented in filan(1))");
  app.add_flag("--audit", a.audit, "list risky fds, one line each saying why");
  std::string scan = "auto";
  app.add_option("--scan", scan, "with -p: read the fd table with a BPF iterator (bpf), through /proc (proc), "
                                 "or bpf when it can run (auto, the default)")
      ->type_name("METHOD");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::string h = app.help();
    (void)fdscope::write_all(STDOUT_FILENO, h);
    return fdscope::kExitOk;
  } catch (const CLI::CallForVersion&) {
    std::string v = std::string("filan (fdscope) ") + fdscope::kVersion + "\n";
    (void)fdscope::write_all(STDOUT_FILENO, v);
    return fdscope::kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string line = fmt::format("filan: {}\n", e.what());
    (void)fdscope::write_all(STDERR_FILENO, line);
    return fdscope::kExitUsage;
  }
  auto usage = [](const std::string& msg) {
    std::string line = fmt::format("filan: {}\n", msg);
    (void)fdscope::write_all(STDERR_FILENO, line);
    return fdscope::kExitUsage;
  };
  if (app.count("-i")) {
    if (only_fd < 0) return usage(fmt::format("-i {}: not a file descriptor number", only_fd));
    a.only_fd = only_fd;
  }
  if (app.count("-n")) {
    if (max_fd < 0) return usage(fmt::format("-n {}: not a file descriptor count", max_fd));
    a.max_fd = max_fd;
  }
  if (app.count("-p")) {
    if (pid <= 0) return usage(fmt::format("-p {}: not a process id", pid));
    a.pid = pid;
  }
  if (scan == "bpf")
    a.scan = fdscope::ScanMethod::Bpf;
  else if (scan == "proc")
    a.scan = fdscope::ScanMethod::Proc;
  else if (scan != "auto")
    return usage(fmt::format("--scan {}: not one of auto, bpf, proc", scan));
  if (a.wait_seconds < 0 || !std::isfinite(a.wait_seconds))
    return usage(fmt::format("-T {}: not a number of seconds", a.wait_seconds));
  if (!a.file.empty() && (a.pid || a.only_fd))
    return usage("-f cannot be combined with -p or -i");
  if (int(a.short_form) + int(a.short_improved) + int(a.json) > 1)
    return usage("choose one of -s, -S and --json");
  return run(a);
}
