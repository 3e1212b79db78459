// EXEC, SYSTEM and SHELL: relay starts a program and talks to it over a
// socketpair (default), or as commtype= says (socat 1.8): two socketpairs,
// two pipes (also the pipes option), a pseudo terminal (also pty) or a
// connected pair of TCP sockets over loopback.  EXEC
// splits its command line at unquoted spaces and searches PATH (or path=);
// SYSTEM runs "/bin/sh -c <command>"; SHELL (socat 1.8) runs the user's
// shell (shell=, $SHELL, /bin/sh), with "-c <command>" when given.
//
// The child applies the process options (chdir, umask, setsid, chroot, su
// ...) in socat's phase order, connects the channel to fdin/fdout (0/1),
// and execs; under -dddd its calls (close, dup2, setsid, execvp ...) are
// logged as socat logs them, with the child's pid.  If anything fails in the child -- including execvp itself --
// it writes the message into a close-on-exec pipe, so the parent reports
// `execvp("nosuchprog"): No such file or directory` and exits 1 instead of
// relaying from a dead child.  The engine reaps Endpoint::child and reports
// its exit status.  sighup/sigint/sigquit pass those signals on to the child.
#include "addr/program.hpp"

#include "core/syscall_log.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "addr/open_steps.hpp"
#include "addr/pty_master.hpp"
#include "core/nestlex.hpp"
#include "core/registry.hpp"
#include "fdscope/io.hpp"

namespace relay {
namespace addr {
namespace {

using fdscope::Result;
using fdscope::Status;
using fdscope::UniqueFd;

struct Program {
  std::string file;               // what execvp looks up
  std::vector<std::string> argv;  // argv[0] included
};

Result<std::vector<std::string>> split_command(const std::string& line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= line.size()) {
    auto t = nestlex(line, pos, {" "});
    if (!t) return t.take_error();
    if (!t->token.empty()) out.push_back(t->token);
    if (t->at_end()) break;
    pos = t->end + 1;
  }
  return out;
}

Result<Program> program_of(const AddressSpec& a, OpenContext& ctx) {
  Program p;
  std::string_view kw = a.type->keyword;
  if (kw == "EXEC") {
    auto args = split_command(a.params[0]);
    if (!args) return args.take_error();
    if (args->empty()) return fdscope::plain_error(fmt::format("EXEC: empty command line in \"{}\"", a.text));
    p.argv = std::move(*args);
    p.file = p.argv[0];
  } else if (kw == "SYSTEM") {
    p.file = "/bin/sh";
    p.argv = {"sh", "-c", a.params[0]};
  } else {  // SHELL
    auto shell = ctx.get_string("shell");
    const char* env = std::getenv("SHELL");
    p.file = shell ? *shell : (env != nullptr && *env != '\0') ? env : "/bin/sh";
    std::string base = p.file.substr(p.file.rfind('/') + 1);
    p.argv = {base};
    if (!a.params.empty()) {
      p.argv.push_back("-c");
      p.argv.push_back(a.params[0]);
    }
  }
  if (ctx.get_bool("login", false)) {
    std::string base = p.argv[0].substr(p.argv[0].rfind('/') + 1);
    p.argv[0] = "-" + base;
  }
  return p;
}

// Signals passed on to children (sighup, sigint, sigquit).
volatile sig_atomic_t g_forward_pid[3] = {0, 0, 0};
constexpr int kForwardSignals[3] = {SIGHUP, SIGINT, SIGQUIT};

void forward_signal(int sig) {
  for (int i = 0; i < 3; ++i)
    if (kForwardSignals[i] == sig && g_forward_pid[i] > 0) ::kill(static_cast<pid_t>(g_forward_pid[i]), sig);
}

void setup_forwarding(OpenContext& ctx, pid_t child) {
  const char* names[3] = {"sighup", "sigint", "sigquit"};
  for (int i = 0; i < 3; ++i) {
    if (!ctx.get_bool(names[i], false)) continue;
    g_forward_pid[i] = child;
    struct sigaction sa{};
    sa.sa_handler = forward_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(kForwardSignals[i], &sa, nullptr);
  }
}

// become_program's errfd for nofork: log the failure instead of piping it.
constexpr int kLogFailure = -2;
OpenContext* g_nofork_ctx = nullptr;

// In the child: report a failure through the error pipe and exit.  With
// nofork there is no parent to read it: log it and exit 1.
[[noreturn]] void child_fail(int errfd, const std::string& msg) {
  if (errfd >= 0) (void)fdscope::write_all(errfd, msg);
  if (errfd == kLogFailure && g_nofork_ctx != nullptr) {
    g_nofork_ctx->log(LogLevel::Error, msg);
    ::_exit(1);
  }
  ::_exit(127);
}

// Process options and exec, in the child (or in relay itself for nofork).
// in/out: the fds that become fdin/fdout (-1: leave as is).
[[noreturn]] void become_program(const Program& prog, OpenContext& ctx, int in, int out, bool is_pty,
                                 int errfd) {
  if (errfd == kLogFailure) g_nofork_ctx = &ctx;
  // exec keeps ignored signals ignored and the signal mask: restore defaults.
  for (int sig : {SIGPIPE, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2})
    ::signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  if (ctx.get_bool("setpgid", false) && sys::setpgid(0, 0) < 0) child_fail(errfd, "setpgid(0, 0): " + std::string(std::strerror(errno)));
  for (Phase p : {Phase::INIT, Phase::EARLY, Phase::PASTFORK})
    if (auto s = ctx.apply_phase(p); !s) child_fail(errfd, s.error().message());

  int fdin = static_cast<int>(ctx.get_uint("fdin", 0));
  int fdout = static_cast<int>(ctx.get_uint("fdout", 1));
  // Move the channel fds out of the way first, so dup2 cannot clobber them.
  int hi_in = in >= 0 ? sys::fcntl(in, F_DUPFD_CLOEXEC, 64L) : -1;
  int hi_out = out >= 0 ? sys::fcntl(out, F_DUPFD_CLOEXEC, 64L) : -1;
  if ((in >= 0 && hi_in < 0) || (out >= 0 && hi_out < 0))
    child_fail(errfd, "fcntl(F_DUPFD_CLOEXEC): " + std::string(std::strerror(errno)));
  if (hi_in >= 0 && sys::dup2(hi_in, fdin) < 0)
    child_fail(errfd, fmt::format("dup2({}, {}): {}", hi_in, fdin, std::strerror(errno)));
  if (hi_out >= 0 && sys::dup2(hi_out, fdout) < 0)
    child_fail(errfd, fmt::format("dup2({}, {}): {}", hi_out, fdout, std::strerror(errno)));
  if (ctx.get_bool("stderr", false) && hi_out >= 0 && sys::dup2(hi_out, 2) < 0)
    child_fail(errfd, fmt::format("dup2({}, 2): {}", hi_out, std::strerror(errno)));

  if (auto s = ctx.apply_phase(Phase::LATE); !s) child_fail(errfd, s.error().message());
  bool want_ctty = ctx.get_bool("ctty", false);  // consumed here, not by its apply function
  if (is_pty && (want_ctty || ctx.has("setsid"))) {
    if (sys::ioctl(fdin, TIOCSCTTY, 0L) < 0)
      child_fail(errfd, fmt::format("ioctl({}, TIOCSCTTY): {}", fdin, std::strerror(errno)));
  }
  for (Phase p : {Phase::LATE2, Phase::PREEXEC})
    if (auto s = ctx.apply_phase(p); !s) child_fail(errfd, s.error().message());
  if (auto path = ctx.get_string("path")) sys::setenv("PATH", path->c_str(), 1);

  std::vector<char*> argv;
  for (const std::string& s : prog.argv) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);
  sys::execvp(prog.file.c_str(), argv.data());
  child_fail(errfd, fmt::format("execvp(\"{}\"): {}", prog.file, std::strerror(errno)));
}

// commtype= (socat 1.8): how relay and the child are connected.  The pty and
// pipes options are the older spelling of two of them; commtype wins.
enum class CommType { SocketPair, SocketPairs, Pipes, Pty, Tcp, Tcp4 };

struct CommName {
  std::string_view name;
  CommType type;
};
constexpr CommName kCommTypes[] = {
    {"socketpair", CommType::SocketPair}, {"socketpairs", CommType::SocketPairs}, {"pipes", CommType::Pipes},
    {"pty", CommType::Pty},               {"tcp", CommType::Tcp},                 {"tcp4", CommType::Tcp4},
};

std::optional<CommType> comm_type_named(std::string_view text) {
  for (const CommName& c : kCommTypes)
    if (text.size() == c.name.size() &&
        std::equal(text.begin(), text.end(), c.name.begin(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; }))
      return c.type;
  return std::nullopt;
}

CommType comm_type(OpenContext& ctx) {
  bool pty = ctx.get_bool("pty", false);
  bool pipes = ctx.get_bool("pipes", false);
  if (auto c = ctx.get_string("commtype"))
    if (auto t = comm_type_named(*c)) return *t;
  return pty ? CommType::Pty : pipes ? CommType::Pipes : CommType::SocketPair;
}

// The fds between relay (parent_*) and the child (child_*).  One fd for
// both directions (socketpair, pty, tcp) leaves parent_w empty; relay's end
// of a socket then ends a direction with shutdown(SHUT_WR).
struct Channel {
  CommType type = CommType::SocketPair;
  std::string name;  // for "forking off child, using <name> for ..."
  UniqueFd parent_r, parent_w, child_in, child_out;
  PtyPair pty;
  bool single = true;  // relay's parent_r serves both directions
};

// A connected pair of TCP sockets over the loopback address of family.
Status tcp_pair(int family, UniqueFd& a, UniqueFd& b) {
  UniqueFd l(sys::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!l) return fdscope::sys_error(fmt::format("socket({}, SOCK_STREAM, 0)", family));
  sockaddr_storage ss{};
  socklen_t len;
  if (family == AF_INET6) {
    auto* s6 = reinterpret_cast<sockaddr_in6*>(&ss);
    s6->sin6_family = AF_INET6;
    s6->sin6_addr = in6addr_loopback;
    len = sizeof *s6;
  } else {
    auto* s4 = reinterpret_cast<sockaddr_in*>(&ss);
    s4->sin_family = AF_INET;
    s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *s4;
  }
  auto* sa = reinterpret_cast<sockaddr*>(&ss);
  if (sys::bind(l.get(), sa, len) < 0 || sys::listen(l.get(), 1) < 0 || ::getsockname(l.get(), sa, &len) < 0)
    return fdscope::sys_error("loopback listener for commtype=tcp");
  a.reset(sys::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!a || sys::connect(a.get(), sa, len) < 0) return fdscope::sys_error("connect() for commtype=tcp");
  b.reset(sys::accept4(l.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!b) return fdscope::sys_error("accept4() for commtype=tcp");
  return {};
}

// A second fd of the child's single channel end, so fdin and fdout are two.
Status dup_child_end(Channel& c) {
  int d = sys::fcntl(c.child_in.get(), F_DUPFD_CLOEXEC, 0);
  if (d < 0) return fdscope::sys_error("fcntl(F_DUPFD_CLOEXEC)");
  c.child_out.reset(d);
  return {};
}

Result<Channel> open_channel(OpenContext& ctx, CommType type, Dir access) {
  Channel c;
  c.type = type;
  switch (type) {
    case CommType::Pty: {
      auto p = open_pty(ctx, true);
      if (!p) return p.take_error();
      c.pty = std::move(*p);
      c.parent_r.reset(c.pty.master.release());  // one fd for both directions, as socat
      c.child_in.reset(c.pty.slave.release());
      c.name = fmt::format("pty {}", c.pty.slave_name);
      if (auto s = dup_child_end(c); !s) return s.take_error();
      break;
    }
    case CommType::Pipes:
    case CommType::SocketPairs: {
      // One pipe (or socketpair) per direction: relay writes to parent_w,
      // the child reads child_in; the child writes child_out, relay reads.
      bool pipes = type == CommType::Pipes;
      for (int dir = 0; dir < 2; ++dir) {
        int p[2];
        int r = pipes ? sys::pipe2(p, O_CLOEXEC) : sys::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p);
        if (r < 0) return fdscope::sys_error(pipes ? "pipe2()" : "socketpair(AF_UNIX, SOCK_STREAM, 0)");
        (dir == 0 ? c.child_in : c.parent_r).reset(p[0]);
        (dir == 0 ? c.parent_w : c.child_out).reset(p[1]);
      }
      c.name = pipes ? "pipes" : "socketpairs";
      c.single = false;
      break;
    }
    case CommType::Tcp:
    case CommType::Tcp4: {
      int family = type == CommType::Tcp && ctx.settings().ip == IpPreference::V6 ? AF_INET6 : AF_INET;
      if (auto s = tcp_pair(family, c.parent_r, c.child_in); !s) return s.take_error();
      c.name = family == AF_INET6 ? "tcp6" : "tcp4";
      if (auto s = dup_child_end(c); !s) return s.take_error();
      break;
    }
    case CommType::SocketPair: {
      int sv[2];
      if (sys::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return fdscope::sys_error("socketpair(AF_UNIX, SOCK_STREAM, 0)");
      c.parent_r.reset(sv[0]);
      c.child_in.reset(sv[1]);
      c.name = "socketpair";
      if (auto s = dup_child_end(c); !s) return s.take_error();
      break;
    }
  }
  // Only the directions the transfer needs are connected; the child keeps
  // relay's stdin/stdout for the others (like socat with -u/-U).  A single
  // fd on relay's side serves both directions and stays.
  if (!has_write(access)) {
    if (!c.single) c.parent_w.reset();
    c.child_in.reset();
  }
  if (!has_read(access)) {
    if (!c.single) c.parent_r.reset();
    c.child_out.reset();
  }
  return c;
}

Status check_commtype(const OptionDesc& d, const OptValue& v) {
  if (comm_type_named(v.text)) return {};
  (void)d;
  return fdscope::plain_error("not a communication type (socketpair, socketpairs, pipes, pty, tcp, tcp4)");
}

const OptionDesc kCommtypeOption[] = {
    {.name = "commtype", .aliases = {}, .groups = grp::FORK, .phase = Phase::BIGEN, .type = OptType::Custom,
     .check = check_commtype,
     .help = "how relay talks to the child: socketpair, socketpairs, pipes, pty, tcp, tcp4"},
};
const OptionTableRegistrar kRegisterCommtype(kCommtypeOption);

Result<Endpoint> open_program(const AddressSpec& a, OpenContext& ctx) {
  if (ctx.has("nofork"))
    return fdscope::plain_error(
        fmt::format("option \"nofork\" of \"{}\": only one address may be nofork, and not a \"!!\" side", a.text));
  auto prog = program_of(a, ctx);
  if (!prog) return prog.take_error();
  Dir access = ctx.access();
  auto chan = open_channel(ctx, comm_type(ctx), access);
  if (!chan) return chan.take_error();
  UniqueFd& parent_r = chan->parent_r;
  UniqueFd& parent_w = chan->parent_w;
  UniqueFd& child_in = chan->child_in;
  UniqueFd& child_out = chan->child_out;
  PtyPair& pty = chan->pty;
  const bool use_pty = chan->type == CommType::Pty;
  const bool single = chan->single;

  int errpipe[2];
  if (sys::pipe2(errpipe, O_CLOEXEC) < 0) return fdscope::sys_error("pipe2()");
  UniqueFd err_r(errpipe[0]), err_w(errpipe[1]);

  ctx.log(LogLevel::Notice, fmt::format("forking off child, using {} {}", chan->name, access_text(access)));
  pid_t pid = sys::fork();
  if (pid < 0) return fdscope::sys_error("fork()");
  if (pid == 0) {
    for (UniqueFd* f : {&err_r, &parent_r, &parent_w})
      if (*f) sys::close(f->release());
    become_program(*prog, ctx, child_in.get(), child_out.get(), use_pty, err_w.get());
  }
  err_w.reset();
  child_in.reset();
  child_out.reset();
  std::string failure;
  char buf[512];
  for (;;) {
    auto n = fdscope::read_some(err_r.get(), buf, sizeof buf);
    if (!n || *n == 0) break;
    failure.append(buf, *n);
  }
  if (!failure.empty()) {
    int status = 0;
    fdscope::retry_eintr([&] { return sys::waitpid(pid, &status, 0); });
    return fdscope::plain_error(failure);
  }
  ctx.log(LogLevel::Notice, fmt::format("forked off child process {}", pid));
  ctx.log(LogLevel::Info, fmt::format("child {} runs \"{}\"", pid, prog->file));

  Endpoint ep = ctx.make_endpoint();
  ep.child = pid;
  if (single) {
    ep.rfd = has_read(access) ? parent_r.get() : -1;
    ep.wfd = has_write(access) ? parent_r.get() : -1;
  } else {
    ep.rfd = parent_r.get();
    ep.wfd = parent_w.get();
  }
  int any = ep.rfd >= 0 ? ep.rfd : ep.wfd;
  if (parent_r) ep.owned.push_back(std::move(parent_r));
  if (parent_w) ep.owned.push_back(std::move(parent_w));
  if (use_pty) {
    if (auto s = make_pty_link(ctx, pty, ep); !s) return s.take_error();
  }
  setup_forwarding(ctx, pid);
  // fd-level options (termios on the pty master, cloexec ...) in relay;
  // the process phases already ran in the child.
  if (auto s = ctx.apply_phase(Phase::FD, any, &ep); !s) return s.take_error();
  for (Phase p : {Phase::INIT, Phase::EARLY, Phase::PASTFORK, Phase::LATE, Phase::LATE2, Phase::PREEXEC})
    for (const OptionSetting* s : ctx.options_of(p)) ctx.mark_applied(s);
  if (auto s = ctx.finish(ep); !s) return s.take_error();
  return ep;
}

constexpr uint64_t kProgramGroups = grp::FD | grp::FORK | grp::EXEC | grp::SOCKET | grp::SOCK_UNIX |
                                    grp::TERMIOS | grp::FIFO | grp::PTY | grp::PARENT;

const AddressType kProgramTypes[] = {
    {.keyword = "EXEC", .aliases = {}, .min_params = 1, .max_params = 1, .usage = "EXEC:<command-line>",
     .dir = Dir::ReadWrite, .groups = kProgramGroups, .open = open_program,
     .summary = "run a program (no shell) and talk to its stdin/stdout"},
    {.keyword = "SYSTEM", .aliases = {}, .min_params = 1, .max_params = 1, .usage = "SYSTEM:<shell-command>",
     .dir = Dir::ReadWrite, .groups = kProgramGroups, .open = open_program,
     .summary = "run a command with /bin/sh -c"},
    {.keyword = "SHELL", .aliases = {}, .min_params = 0, .max_params = 1, .usage = "SHELL[:<shell-command>]",
     .dir = Dir::ReadWrite, .groups = kProgramGroups | grp::SHELL, .open = open_program,
     .summary = "run the user's shell, or a command with it"},
};

const AddressTypeRegistrar kRegisterProgram(kProgramTypes);

}  // namespace

bool wants_nofork(const AddressSpec& spec) {
  return spec.type != nullptr &&
         (spec.type->open == open_program) && spec.find("nofork") != nullptr && spec.find("nofork")->value.on;
}

Status exec_in_place(const AddressSpec& spec, Dir access, const OpenSettings& settings, int in_fd, int out_fd) {
  OpenContext ctx(spec, access, settings);
  ctx.get("nofork");
  auto prog = program_of(spec, ctx);
  if (!prog) return prog.take_error();
  ctx.log(LogLevel::Notice, fmt::format("execvp'ing \"{}\"", prog->file));
  // Failures are logged as errors here (relay is the process that fails).
  become_program(*prog, ctx, in_fd, out_fd, false, kLogFailure);
}

}  // namespace addr
}  // namespace relay
