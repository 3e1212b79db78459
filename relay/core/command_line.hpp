// relay's global command line: socat's options with socat's exact spellings,
// hand-parsed because socat's forms do not fit an option library: repeated
// and counted flags (-d -d, -dd, -d2), values glued to the letter or not
// (-b8192 / -b 8192, -lf FILE / -lfFILE), optional glued values (-ly,
// -lydaemon) and the refusal of merged single-letter options (-uv).  Then
// exactly two addresses.  Errors carry socat's texts, e.g.
//   unknown option "-Z"; use option "-h" for help
//   exactly 2 addresses required (there are 1); use option "-h" for help
//   -U and -u must not be combined
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/open_context.hpp"
#include "fdscope/result.hpp"

namespace relay {

enum class LogTarget { Stderr, File, Syslog, Mixed };

struct CommandLine {
  int help = 0;             // -h / -? (1), -hh (2), -hhh (3), --help (1)
  bool version = false;     // -V / --version
  int verbosity = 0;        // -d count; -d0..-d4 set it (-d0 = -1: errors only)
  bool fd_analysis = false; // -D
  LogTarget log_target = LogTarget::Stderr;
  std::string log_file;     // -lf
  std::string facility;     // -ly / -lm facility ("" = daemon)
  std::string progname;     // -lp ("" = relay)
  bool log_micros = false;  // -lu
  bool log_hostname = false;  // -lh
  bool dump_text = false;   // -v
  bool dump_hex = false;    // -x
  std::string raw_left_to_right;  // -r
  std::string raw_right_to_left;  // -R
  size_t block_size = 8192; // -b
  bool sloppy = false;      // -s
  std::optional<uint64_t> signal_mask;  // -S
  double eof_wait = 0.5;    // -t
  double idle_timeout = 0;  // -T (0 = none)
  bool left_to_right = false;  // -u
  bool right_to_left = false;  // -U
  bool no_group_check = false; // -g
  std::string lock_fail;    // -L
  std::string lock_wait;    // -W
  IpPreference ip = IpPreference::Default;  // -4 / -6 / -0
  bool statistics = false;  // --statistics
  bool experimental = false;  // --experimental
  std::vector<std::string> addresses;
};

// args: argv[1..].  Help and version requests succeed without addresses.
fdscope::Result<CommandLine> parse_command_line(std::span<const char* const> args);

// The help text of `relay -h` (level 1), -hh (2, adds option names) and
// -hhh (3, adds each option's groups, phase and value type).  Every global
// option is on its own line starting with spaces and '-'.
std::string help_text(int level);

// `relay -V`: version and the compiled-in address types.
std::string version_text();

}  // namespace relay
