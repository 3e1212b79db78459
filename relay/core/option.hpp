// Address options: the descriptor of one option (name, aliases, group,
// phase, value type, how it is applied) and the parsed value it carries.
// Options are socat's: same names, aliases, groups and phases, so a socat
// command line means the same thing to relay.
//
// HOW TO ADD AN OPTION GROUP (e.g. the TCP options):
//   1. Pick (or add, in the Group list below) the group bit, e.g. grp::IP_TCP.
//   2. Write one file, relay/addr/opts_<group>.cpp or relay/net/opts_<group>.cpp,
//      holding a static table of OptionDesc rows and register it:
//
//        namespace {
//        const relay::OptionDesc kTcpOptions[] = {
//          {.name = "nodelay", .aliases = {"tcp-nodelay"}, .groups = grp::IP_TCP,
//           .phase = Phase::PASTSOCKET, .type = OptType::Int,
//           .level = IPPROTO_TCP, .optname = TCP_NODELAY},           // setsockopt row
//          {.name = "mss", .aliases = {"tcp-maxseg"}, .groups = grp::IP_TCP,
//           .phase = Phase::PASTSOCKET, .type = OptType::Int,
//           .apply = &apply_mss},                                     // own function
//        };
//        const relay::OptionTableRegistrar kReg(kTcpOptions);
//        }
//
//   3. Rows are applied by OpenContext::apply_phase(phase, fd) from the open
//      function of an address (see open_context.hpp).  A row with neither
//      .apply nor .optname is "consumed": the open function reads its value
//      itself (ctx.get_uint("retry") ...) and it is never applied blindly.
//   (Designated initialisers: C++20 wants all fields named or none.)
//   Names are lower-case, unique across all tables (a registry test checks);
//   matching is case-insensitive.  Every name must be documented in
//   man/relay.1 (another test checks).
#pragma once

#include <sys/time.h>
#include <sys/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fdscope/result.hpp"

namespace relay {

struct Endpoint;
class OpenContext;

// Option groups, as a bitmask.  An address type lists the groups it accepts;
// an option belongs to one or more groups.  Names follow socat's GROUP_*.
namespace grp {
inline constexpr uint64_t FD = 1ull << 0;         // any fd: fcntl, flock, perm, shut-*
inline constexpr uint64_t FIFO = 1ull << 1;       // pipes (f-setpipe-sz)
inline constexpr uint64_t CHR = 1ull << 2;        // character devices
inline constexpr uint64_t BLK = 1ull << 3;        // block devices
inline constexpr uint64_t REG = 1ull << 4;        // regular files (socat GROUP_REG/FILE)
inline constexpr uint64_t NAMED = 1ull << 5;      // file system entries: perm, user, unlink-*
inline constexpr uint64_t OPEN = 1ull << 6;       // open(2) flags: creat, excl, trunc...
inline constexpr uint64_t TERMIOS = 1ull << 7;    // tty settings: raw, echo, b9600...
inline constexpr uint64_t PTY = 1ull << 8;        // link, wait-slave, pty-interval
inline constexpr uint64_t EXEC = 1ull << 9;       // path, login/dash
inline constexpr uint64_t FORK = 1ull << 10;      // pty, pipes, stderr, nofork, setpgid
inline constexpr uint64_t PARENT = 1ull << 11;    // sighup, sigint, sigquit
inline constexpr uint64_t PROCESS = 1ull << 12;   // chroot, setsid, su, setuid...
inline constexpr uint64_t APPL = 1ull << 13;      // cr, crnl, ignoreeof, readbytes, lockfile
inline constexpr uint64_t ADDR = 1ull << 14;      // chdir, umask
inline constexpr uint64_t SHELL = 1ull << 15;     // shell=
inline constexpr uint64_t SOCKET = 1ull << 16;    // any socket: so-*, bind, connect-timeout
inline constexpr uint64_t SOCK_UNIX = 1ull << 17; // AF_UNIX
inline constexpr uint64_t SOCK_IP4 = 1ull << 18;  // IPv4 (socat SOCK_IP / IP4)
inline constexpr uint64_t SOCK_IP6 = 1ull << 19;  // IPv6
inline constexpr uint64_t IP_TCP = 1ull << 20;
inline constexpr uint64_t IP_UDP = 1ull << 21;
inline constexpr uint64_t IP_SCTP = 1ull << 22;
inline constexpr uint64_t IPAPP = 1ull << 23;     // sourceport, lowport
inline constexpr uint64_t LISTEN = 1ull << 24;    // backlog, accept-timeout
inline constexpr uint64_t CHILD = 1ull << 25;     // fork, max-children
inline constexpr uint64_t RETRY = 1ull << 26;     // retry, forever, interval
inline constexpr uint64_t RANGE = 1ull << 27;     // range, tcpwrap
inline constexpr uint64_t INTERFACE = 1ull << 28; // INTERFACE / TUN interface flags
// Reserved for the address types of a later issue; tables may use them now.
inline constexpr uint64_t OPENSSL = 1ull << 32;
inline constexpr uint64_t HTTP = 1ull << 33;
inline constexpr uint64_t IP_SOCKS = 1ull << 34;
inline constexpr uint64_t TUN = 1ull << 35;
inline constexpr uint64_t POSIXMQ = 1ull << 36;
inline constexpr uint64_t IP_DCCP = 1ull << 37;
inline constexpr uint64_t IP_UDPLITE = 1ull << 38;
inline constexpr uint64_t VSOCK = 1ull << 39;
// Options in these groups are accepted by every address type (socat does
// the same for PROCESS, APPL and ADDR).
inline constexpr uint64_t ALWAYS = PROCESS | APPL | ADDR;

// "FD,NAMED,OPEN" for messages and the man-page test.
std::string names(uint64_t mask);
}  // namespace grp

// socat's option phases, in the order an address goes through them.  An
// open function calls OpenContext::apply_phase() at each point it reaches;
// phases it never reaches are simply not applicable to that address type.
enum class Phase : uint8_t {
  INIT,         // before anything: retry counts, lockfile, escape
  EARLY,        // before the first system call of the address: unlink-early, wait-slave
  PREOPEN,      // before open(2): umask-like settings
  OPEN,         // the open(2) flags themselves (creat, excl, rdonly ...)
  PASTOPEN,     // right after open(2)
  FD,           // fd exists: fcntl flags, perm, user, termios
  PRESOCKET,    // before socket(2): pf, socktype, protocol
  SOCKET,       // socket(2) arguments
  PASTSOCKET,   // after socket(2): most setsockopt rows
  PREBIGEN,     // before the generic "bigen" step (socat: pipes/pty of EXEC)
  BIGEN,        // EXEC/SYSTEM: choose pty/pipes/socketpair
  PREBIND,      // setsockopt before bind(2): reuseaddr, ipv6only
  BIND,         // bind(2) address
  PASTBIND,     // after bind(2)
  PRELISTEN,
  LISTEN,       // listen(2): backlog
  PASTLISTEN,
  PRECONNECT,
  CONNECT,      // connect(2)
  PASTCONNECT,
  ACCEPT,       // accept(2): range checks
  PASTACCEPT,   // accepted socket: fork, max-children
  CONNECTED,    // stream established (client or server side)
  PREFORK,
  FORK,         // fork(2) of a server or EXEC child
  PASTFORK,     // in the child right after fork
  LATE,         // the address is complete: link=, trunc, setsid, chroot
  LATE2,        // after LATE: su, ctty
  PREEXEC,      // EXEC child just before execve: path, chdir
  EXEC,         // execve(2)
  SPECIAL,      // handled by the open function itself
  OFFSET,       // stored into the Endpoint (shut-*, end-close, cr, ignoreeof ...)
  Count
};
std::string_view phase_name(Phase p);  // "PASTSOCKET"

// How the option's value is written and parsed.  The parser checks the value
// when the command line is read, so bad values fail before anything opens.
enum class OptType : uint8_t {
  Bool,     // "opt" = 1, "opt=0|1|yes|no|true|false"
  Int,      // signed integer (decimal, 0x hex, 0 octal)
  Uint,     // unsigned integer
  Size,     // size_t, with optional k/m/g suffix (1024-based)
  Double,   // floating point
  String,   // any text (file names, host names, commands)
  OptionalString,  // text, or no value at all (socat's STRING-NULL: "tcpwrap" / "tcpwrap=name")
  Timeval,  // seconds, fractional allowed: "1.5"
  Mode,     // octal file mode "0600"
  Uid,      // user name or number (resolved at parse time)
  Gid,      // group name or number
  Const,    // takes no value ("raw", "crnl"); the row's arg1 is the constant
  Byte,     // one byte: number or a single character (escape=0x1d)
  Linger,   // "onoff:seconds" or "seconds" (SO_LINGER)
  Custom,   // value checked by the row's .check function, kept as text
};
std::string_view opt_type_name(OptType t);  // "bool", "int", ...

// A parsed option value: the text as written and its decoded forms.  Which
// member is meaningful depends on the OptType of the descriptor.
struct OptValue {
  std::string text;       // as written after '=' (unquoted); empty if no '='
  bool present = false;   // '=' was given
  int64_t i = 0;          // Bool (0/1), Int, Const (arg1), Byte, Linger seconds
  uint64_t u = 0;         // Uint, Size, Mode, Uid, Gid
  double d = 0;           // Double, Timeval (seconds)
  bool on = false;        // Bool, and Linger on/off
  timeval tv{};           // Timeval
};

struct OptionDesc;

// What an apply function works on: the fd of the phase (or -1 when the phase
// has none), the endpoint being built, and the open context.
struct ApplyTarget {
  int fd = -1;
  Endpoint* endpoint = nullptr;
  OpenContext* ctx = nullptr;
};
using ApplyFn = fdscope::Status (*)(const OptionDesc&, const OptValue&, ApplyTarget&);
// Extra value check for OptType::Custom (and optionally any other type):
// returns an Error whose text names the problem; the parser quotes the option.
using CheckFn = fdscope::Status (*)(const OptionDesc&, const OptValue&);

struct OptionDesc {
  std::string_view name;                      // canonical, lower-case: "reuseaddr"
  std::array<std::string_view, 5> aliases{};  // "so-reuseaddr" ...; unused slots empty
  uint64_t groups = 0;                        // grp:: mask
  Phase phase = Phase::SPECIAL;
  OptType type = OptType::Bool;
  // How it is applied (at most one of these; neither = consumed by the open
  // function through OpenContext::get_*):
  ApplyFn apply = nullptr;  // own function
  int level = 0;            // setsockopt(fd, level, optname, value) row when optname != 0
  int optname = 0;
  // Free arguments for apply functions shared by several rows (an open flag,
  // a termios field and mask, the constant of a Const option ...).
  int64_t arg1 = 0;
  int64_t arg2 = 0;
  int64_t arg3 = 0;
  CheckFn check = nullptr;  // extra validation at parse time
  std::string_view help{};  // one line for `relay -hhh` (optional)

  bool consumed() const { return apply == nullptr && optname == 0; }
  bool matches(std::string_view lowercase_name) const;
};

// Registers a table of options with the registry (registry.hpp) from a
// static initialiser.  The table must outlive the program (a static array).
struct OptionTableRegistrar {
  explicit OptionTableRegistrar(std::span<const OptionDesc> table);
};

// Parse text as a value of desc's type (used by the address parser).  The
// error text quotes the value: `invalid value "abc" for option "rcvbuf" (int)`.
fdscope::Result<OptValue> parse_option_value(const OptionDesc& desc, std::string_view text,
                                             bool present);

}  // namespace relay
