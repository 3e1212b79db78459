// The option groups of program addresses (EXEC, SYSTEM, SHELL): EXEC (how
// the program is found and named), FORK (how the child is connected:
// socketpair, pipes or pty; stderr; nofork; setpgid; fdin/fdout), PARENT
// (signals relay passes on to the child) and SHELL (which shell).  They are
// consumed options: the program open function (addr/program.cpp) reads them.
#include "core/option.hpp"

namespace relay {
namespace {

#define RELAY_CONSUMED(nm, al, group, ph, ty, text) \
  {.name = nm, .aliases = al, .groups = group, .phase = Phase::ph, .type = OptType::ty, .help = text}
using A = std::array<std::string_view, 5>;

const OptionDesc kExecOptions[] = {
    RELAY_CONSUMED("path", A{}, grp::EXEC, PREEXEC, String, "PATH for finding the program"),
    RELAY_CONSUMED("login", (A{"dash"}), grp::EXEC, PREEXEC, Bool,
                   "prefix argv[0] with '-' (a login shell)"),
    RELAY_CONSUMED("pty", A{}, grp::FORK, BIGEN, Bool, "talk to the child over a pseudo terminal"),
    RELAY_CONSUMED("pipes", A{}, grp::FORK, BIGEN, Bool, "talk to the child over two pipes"),
    RELAY_CONSUMED("stderr", A{}, grp::FORK, PASTFORK, Bool, "the child's stderr goes to the same channel"),
    RELAY_CONSUMED("nofork", A{}, grp::FORK, BIGEN, Bool,
                   "exec the program in place of relay, on the other address's fds"),
    RELAY_CONSUMED("setpgid", (A{"pgid"}), grp::FORK, PASTFORK, Bool,
                   "put the child into its own process group"),
    RELAY_CONSUMED("fdin", A{}, grp::FORK, PASTFORK, Uint, "the child reads from this fd (default 0)"),
    RELAY_CONSUMED("fdout", A{}, grp::FORK, PASTFORK, Uint, "the child writes to this fd (default 1)"),
    RELAY_CONSUMED("sighup", A{}, grp::PARENT, LATE, Bool, "pass SIGHUP on to the child"),
    RELAY_CONSUMED("sigint", A{}, grp::PARENT, LATE, Bool, "pass SIGINT on to the child"),
    RELAY_CONSUMED("sigquit", A{}, grp::PARENT, LATE, Bool, "pass SIGQUIT on to the child"),
    RELAY_CONSUMED("shell", A{}, grp::SHELL, PREEXEC, String, "the shell of SHELL (default $SHELL, /bin/sh)"),
};

const OptionDesc kPtyOptions[] = {
    RELAY_CONSUMED("link", (A{"symbolic-link", "symlink"}), grp::PTY, LATE, String,
                   "make a symbolic link to the pty slave"),
    RELAY_CONSUMED("wait-slave", (A{"pty-wait-slave", "waitslave"}), grp::PTY, EARLY, Bool,
                   "wait until a program opens the pty slave"),
    RELAY_CONSUMED("pty-interval", A{}, grp::PTY, EARLY, Timeval,
                   "with wait-slave: poll interval in seconds (default 1)"),
    RELAY_CONSUMED("openpty", A{}, grp::PTY, BIGEN, Bool, "create the pty with openpty(3)"),
    RELAY_CONSUMED("ptmx", A{}, grp::PTY, BIGEN, Bool, "create the pty through /dev/ptmx (default)"),
};

#undef RELAY_CONSUMED

const OptionTableRegistrar kRegisterExec(kExecOptions);
const OptionTableRegistrar kRegisterPty(kPtyOptions);

}  // namespace
}  // namespace relay
