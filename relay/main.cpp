// relay: socat's command line, done again.  main() parses the global options
// and both addresses, validates everything (keywords, parameters, options,
// groups, values, directions) before opening anything, takes the lock files,
// opens the left then the right address (a forking server returns here in
// each child), runs the transfer engine and cleans up.  It is the only place
// that turns an Error into a log line ("E ...") and an exit status: 0 on
// success, 1 on any error (socat's convention, also for usage errors).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "addr/program.hpp"
#include "core/address_parser.hpp"
#include "core/command_line.hpp"
#include "core/syscall_log.hpp"
#include "core/open_context.hpp"
#include "engine/engine.hpp"
#include "fdscope/fd_inspect.hpp"
#include "fdscope/fd_render.hpp"
#include "fdscope/io.hpp"
#include "fdscope/log.hpp"
#include "fdscope/result.hpp"
#include "fdscope/version.hpp"
#include "net/peer_env.hpp"

namespace {

using relay::Dir;
using relay::Endpoint;

fdscope::Logger& logger() { return fdscope::process_logger(); }

void log_bridge(fdscope::LogLevel level, const std::string& msg) { logger().log(level, msg); }

// Files relay removes when it ends: lock files, unlink-close paths, PTY links.
// A fixed array so the fatal-signal handler can walk it safely.
constexpr int kMaxCleanup = 16;
// Each entry belongs to the process that created it: a forked server child
// must not remove its parent's lock file when it ends.
char g_cleanup[kMaxCleanup][4096];
pid_t g_cleanup_owner[kMaxCleanup];
volatile sig_atomic_t g_cleanup_count = 0;

void add_cleanup(const std::string& path) {
  if (g_cleanup_count >= kMaxCleanup || path.size() >= sizeof g_cleanup[0]) return;
  std::snprintf(g_cleanup[g_cleanup_count], sizeof g_cleanup[0], "%s", path.c_str());
  g_cleanup_owner[g_cleanup_count] = ::getpid();
  g_cleanup_count = g_cleanup_count + 1;
}

void run_cleanup() {
  // Nothing to remove (as in every fork-server child): leave the count
  // alone, so a child does not copy the page it shares with the server
  // just to write a 0 over a 0.
  if (g_cleanup_count == 0) return;
  pid_t self = ::getpid();
  for (int i = 0; i < g_cleanup_count; ++i)
    if (g_cleanup_owner[i] == self) ::unlink(g_cleanup[i]);
  g_cleanup_count = 0;
}

// -S: on these signals remove the cleanup files, then die of the signal.
void on_fatal_signal(int sig) {
  run_cleanup();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_signal_cleanup(uint64_t mask) {
  for (int sig = 1; sig < 64; ++sig) {
    if ((mask & (1ull << sig)) == 0) continue;
    if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || sig == SIGUSR1 || sig == SIGPIPE) continue;
    struct sigaction sa{};
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(sig, &sa, nullptr);
  }
}

// -L / lockfile=: create the lock file or fail.  -W / waitlock=: wait for it.
fdscope::Status take_lock(const std::string& path, bool wait) {
  for (;;) {
    int fd = fdscope::retry_eintr(
        [&] { return relay::sys::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644); });
    if (fd >= 0) {
      fdscope::UniqueFd owned(fd);
      (void)fdscope::write_all(fd, fmt::format("{}\n", ::getpid()));
      add_cleanup(path);
      return {};
    }
    if (errno != EEXIST || !wait) return fdscope::plain_error(fmt::format("could not obtain lock \"{}\"", path));
    logger().info("waiting for lock \"{}\"", path);
    ::sleep(1);
  }
}

fdscope::Status take_address_locks(const relay::AddressSpec& s) {
  if (auto f = s.find("lockfile"))
    if (auto r = take_lock(f->value.text, false); !r) return r;
  if (auto w = s.find("waitlock"))
    if (auto r = take_lock(w->value.text, true); !r) return r;
  return {};
}

int fail(const fdscope::Error& e) {
  logger().error("{}", e.message());
  logger().notice("exit(1)");
  run_cleanup();
  return fdscope::kExitError;
}

void configure_logger(const relay::CommandLine& c) {
  fdscope::Logger& log = logger();
  log.set_verbosity(c.verbosity);
  relay::sys::enable_syscall_log(log.enabled(fdscope::LogLevel::Debug));
  if (!c.progname.empty()) log.set_progname(c.progname);
  log.set_micros(c.log_micros);
  log.set_hostname(c.log_hostname);
  fdscope::Status s;
  switch (c.log_target) {
    case relay::LogTarget::Stderr: log.to_stderr(); break;
    case relay::LogTarget::File: s = log.to_file(c.log_file); break;
    case relay::LogTarget::Syslog: s = log.to_syslog(c.facility); break;
    case relay::LogTarget::Mixed: s = log.to_mixed(c.facility); break;
  }
  if (!s) log.error("{}", s.error().message());
}

// -D: filan's analysis of the addresses' fds on stderr, before the transfer.
void analyse_fds(const Endpoint& left, const Endpoint& right) {
  std::string out = fdscope::render_text_header();
  std::vector<int> seen;
  for (int fd : {left.rfd, left.wfd, right.rfd, right.wfd}) {
    if (fd < 0 || std::find(seen.begin(), seen.end(), fd) != seen.end()) continue;
    seen.push_back(fd);
    auto info = fdscope::inspect(fd);
    if (info)
      out += fdscope::render_text(*info);
    else
      logger().warn("-D: fd {}: {}", fd, info.error().message());
  }
  (void)fdscope::write_all(2, out);
}

// Like socat: <PREFIX>_PID, _PPID and _VERSION for the programs relay runs
// (PREFIX from -lp, "RELAY" by default), plus the SOCAT_* names.
void export_process_env(const std::string& progname) {
  std::string prefixes[2] = {relay::net::env_prefix(progname.empty() ? "relay" : progname), "SOCAT"};
  for (int i = 0; i < 2; ++i) {
    if (i == 1 && prefixes[0] == "SOCAT") break;
    ::setenv((prefixes[i] + "_PID").c_str(), std::to_string(::getpid()).c_str(), 1);
    ::setenv((prefixes[i] + "_PPID").c_str(), std::to_string(::getppid()).c_str(), 1);
    ::setenv((prefixes[i] + "_VERSION").c_str(), fdscope::kVersion, 1);
  }
}

// nofork: the program address becomes relay, connected to the other address.
int run_nofork(const relay::AddressArg& program, Dir program_access, const relay::AddressArg& other,
               Dir other_access, const relay::OpenSettings& settings) {
  auto ep = relay::open_address(other, other_access, settings);
  if (!ep) return fail(ep.error());
  logger().end_init();
  auto s = relay::addr::exec_in_place(program.first, program_access, settings, ep->rfd, ep->wfd);
  return fail(s.error());
}

}  // namespace

int main(int argc, char** argv) {
  std::span<const char* const> args(const_cast<const char* const*>(argv) + 1, argc > 0 ? argc - 1 : 0);
  auto cl = relay::parse_command_line(args);
  if (!cl) return fail(cl.error());
  relay::CommandLine& c = *cl;
  if (c.help > 0) {
    (void)fdscope::write_all(1, relay::help_text(c.help));
    return fdscope::kExitOk;
  }
  if (c.version) {
    (void)fdscope::write_all(1, relay::version_text());
    return fdscope::kExitOk;
  }
  configure_logger(c);
  export_process_env(c.progname);

  // Validate both addresses completely before opening either.
  relay::ParseSettings ps{.check_groups = !c.no_group_check, .experimental = c.experimental};
  std::vector<relay::AddressArg> addrs;
  for (const std::string& text : c.addresses) {
    auto a = relay::parse_address_arg(text, ps);
    if (!a) return fail(a.error());
    addrs.push_back(std::move(*a));
  }
  Dir access[2] = {Dir::ReadWrite, Dir::ReadWrite};
  if (c.left_to_right) access[0] = Dir::Read, access[1] = Dir::Write;
  if (c.right_to_left) access[0] = Dir::Write, access[1] = Dir::Read;
  for (int i = 0; i < 2; ++i)
    if (auto s = relay::check_access(addrs[i], access[i]); !s) return fail(s.error());
  bool nofork[2];
  for (int i = 0; i < 2; ++i) {
    nofork[i] = !addrs[i].dual && relay::addr::wants_nofork(addrs[i].first);
    if (addrs[i].dual &&
        (relay::addr::wants_nofork(addrs[i].first) || relay::addr::wants_nofork(addrs[i].second)))
      return fail(fdscope::plain_error(
          fmt::format("option \"nofork\" cannot be used in a \"!!\" address (\"{}\")", addrs[i].text)));
  }
  if (nofork[0] && nofork[1])
    return fail(fdscope::plain_error("option \"nofork\" may be given on one address only"));

  install_signal_cleanup(c.signal_mask.value_or((1ull << SIGHUP) | (1ull << SIGINT) | (1ull << SIGQUIT) |
                                                (1ull << SIGTERM)));
  if (!c.lock_fail.empty())
    if (auto s = take_lock(c.lock_fail, false); !s) return fail(s.error());
  if (!c.lock_wait.empty())
    if (auto s = take_lock(c.lock_wait, true); !s) return fail(s.error());
  for (const relay::AddressArg& a : addrs) {
    if (auto s = take_address_locks(a.first); !s) return fail(s.error());
    if (a.dual)
      if (auto s = take_address_locks(a.second); !s) return fail(s.error());
  }

  relay::OpenSettings settings{.ip = c.ip, .experimental = c.experimental, .block_size = c.block_size,
                               .sloppy = c.sloppy, .log = log_bridge};
  if (nofork[0]) return run_nofork(addrs[0], access[0], addrs[1], access[1], settings);
  if (nofork[1]) return run_nofork(addrs[1], access[1], addrs[0], access[0], settings);

  auto left = relay::open_address(addrs[0], access[0], settings);
  if (!left) return fail(left.error());
  auto right = relay::open_address(addrs[1], access[1], settings);
  if (!right) return fail(right.error());
  for (Endpoint* ep : {&*left, &*right})
    for (const std::string& p : ep->unlink_at_close) add_cleanup(p);
  if (c.fd_analysis) analyse_fds(*left, *right);
  logger().end_init();

  relay::TransferOptions t;
  t.block_size = c.block_size;
  t.eof_wait = c.eof_wait;
  t.idle_timeout = c.idle_timeout;
  t.direction = c.left_to_right   ? relay::Direction::LeftToRight
                : c.right_to_left ? relay::Direction::RightToLeft
                                  : relay::Direction::Both;
  t.dump.text = c.dump_text;
  t.dump.hex = c.dump_hex;
  t.raw_dump_path[0] = c.raw_left_to_right;
  t.raw_dump_path[1] = c.raw_right_to_left;
  t.statistics = c.statistics;
  t.log = &logger();
  pid_t extra_children[2] = {left->child2, right->child2};
  auto status = relay::run_transfer(*left, *right, t);

  // "A!!B" with a program on both sides: the engine reaps the first child.
  int exit_code = status ? *status : fdscope::kExitError;
  for (pid_t pid : extra_children) {
    if (pid <= 0) continue;
    int st = 0;
    if (fdscope::retry_eintr([&] { return relay::sys::waitpid(pid, &st, 0); }) == pid && WIFEXITED(st) &&
        WEXITSTATUS(st) != 0) {
      logger().error("waitpid(): child {} exited with status {}", pid, WEXITSTATUS(st));
      exit_code = fdscope::kExitError;
    }
  }
  if (!status) return fail(status.error());
  run_cleanup();
  logger().notice("exiting with status {}", exit_code);
  return exit_code;
}
