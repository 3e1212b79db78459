// The global command line of relay (see command_line.hpp), and the -h/-V
// texts that list the registry.  Parsing walks argv like socat's main():
// options until the first argument that is "-" or does not start with '-',
// then the addresses.
#include "core/command_line.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "core/registry.hpp"
#include "fdscope/version.hpp"

namespace relay {

namespace {

using fdscope::plain_error;

fdscope::Error usage(std::string msg) { return plain_error(std::move(msg)); }

fdscope::Error merged(std::string_view arg) {
  return usage(fmt::format("Do not merge single character options, i.e. use \"-{} -{}\" instead of \"{}\"",
                           arg[1], arg.substr(2), arg));
}

bool parse_seconds(std::string_view text, double& out) {
  std::string s(text);
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(s.c_str(), &end);
  if (errno != 0 || *end != '\0' || !std::isfinite(v) || v < 0) return false;
  out = v;
  return true;
}

bool parse_size(std::string_view text, size_t& out) {
  std::string s(text);
  if (s.empty() || s[0] == '-' || s[0] == '+') return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (errno != 0 || *end != '\0' || v == 0 || v > (1ull << 30)) return false;
  out = static_cast<size_t>(v);
  return true;
}

}  // namespace

fdscope::Result<CommandLine> parse_command_line(std::span<const char* const> args) {
  CommandLine c;
  size_t i = 0;
  // The value of an option that takes one: glued ("-b8192") or the next arg.
  auto value_of = [&](std::string_view arg, size_t letters, std::string& out) -> fdscope::Status {
    if (arg.size() > letters) {
      out = std::string(arg.substr(letters));
      return {};
    }
    if (i + 1 >= args.size() || args[i + 1] == nullptr)
      return usage(fmt::format("option \"{}\" requires a value", arg));
    out = args[++i];
    return {};
  };
  for (; i < args.size(); ++i) {
    if (args[i] == nullptr) break;
    std::string_view a = args[i];
    if (a.size() < 2 || a[0] != '-') break;  // "-" or an address
    if (a == "--") {
      ++i;
      break;
    }
    if (a.starts_with("--")) {
      if (a == "--help") c.help = std::max(c.help, 1);
      else if (a == "--version") c.version = true;
      else if (a == "--statistics") c.statistics = true;
      else if (a == "--experimental") c.experimental = true;
      else return usage(fmt::format("unknown option \"{}\"; use option \"-h\" for help", a));
      continue;
    }
    char letter = a[1];
    std::string v;
    switch (letter) {
      case 'V':
        if (a.size() != 2) return merged(a);
        c.version = true;
        break;
      case 'h':
      case '?': {
        // -h, -hh, -hhh (and -?, -??, -???)
        if (a.size() > 4 || a.find_first_not_of(letter, 1) != std::string_view::npos) return merged(a);
        c.help = std::max(c.help, static_cast<int>(a.size() - 1));
        break;
      }
      case 'd': {
        std::string_view rest = a.substr(2);
        if (rest.size() == 1 && rest[0] >= '0' && rest[0] <= '4') {
          c.verbosity = rest[0] == '0' ? -1 : rest[0] - '0';
        } else if (rest.find_first_not_of('d') == std::string_view::npos) {
          c.verbosity = std::max(c.verbosity, 0) + 1 + static_cast<int>(rest.size());
        } else {
          return merged(a);
        }
        break;
      }
      case 'D':
        if (a.size() != 2) return merged(a);
        c.fd_analysis = true;
        break;
      case 'l': {
        if (a.size() < 3) return usage(fmt::format("unknown option \"{}\"; use option \"-h\" for help", a));
        char sub = a[2];
        switch (sub) {
          case 'y':
            c.log_target = LogTarget::Syslog;
            c.facility = std::string(a.substr(3));
            break;
          case 'm':
            c.log_target = LogTarget::Mixed;
            c.facility = std::string(a.substr(3));
            break;
          case 'f':
            if (auto s = value_of(a, 3, c.log_file); !s) return s.take_error();
            c.log_target = LogTarget::File;
            break;
          case 's':
            if (a.size() != 3) return merged(a);
            c.log_target = LogTarget::Stderr;
            break;
          case 'p':
            if (auto s = value_of(a, 3, c.progname); !s) return s.take_error();
            break;
          case 'u':
            if (a.size() != 3) return merged(a);
            c.log_micros = true;
            break;
          case 'h':
            if (a.size() != 3) return merged(a);
            c.log_hostname = true;
            break;
          default:
            return usage(fmt::format("unknown option \"{}\"; use option \"-h\" for help", a));
        }
        break;
      }
      case 'v':
      case 'x':
      case 's':
      case 'u':
      case 'U':
      case 'g':
      case '4':
      case '6':
      case '0':
        if (a.size() != 2) return merged(a);
        if (letter == 'v') c.dump_text = true;
        if (letter == 'x') c.dump_hex = true;
        if (letter == 's') c.sloppy = true;
        if (letter == 'u') c.left_to_right = true;
        if (letter == 'U') c.right_to_left = true;
        if (letter == 'g') c.no_group_check = true;
        if (letter == '4') c.ip = IpPreference::V4;
        if (letter == '6') c.ip = IpPreference::V6;
        if (letter == '0') c.ip = IpPreference::None;
        break;
      case 'r':
        if (auto s = value_of(a, 2, c.raw_left_to_right); !s) return s.take_error();
        break;
      case 'R':
        if (auto s = value_of(a, 2, c.raw_right_to_left); !s) return s.take_error();
        break;
      case 'L':
        if (auto s = value_of(a, 2, c.lock_fail); !s) return s.take_error();
        break;
      case 'W':
        if (auto s = value_of(a, 2, c.lock_wait); !s) return s.take_error();
        break;
      case 'b':
        if (auto s = value_of(a, 2, v); !s) return s.take_error();
        if (!parse_size(v, c.block_size))
          return usage(fmt::format("option \"-b\": invalid block size \"{}\"", v));
        break;
      case 't':
      case 'T': {
        if (auto s = value_of(a, 2, v); !s) return s.take_error();
        double secs = 0;
        if (!parse_seconds(v, secs))
          return usage(fmt::format("option \"-{}\": invalid timeout \"{}\"", letter, v));
        (letter == 't' ? c.eof_wait : c.idle_timeout) = secs;
        break;
      }
      case 'S': {
        if (auto s = value_of(a, 2, v); !s) return s.take_error();
        char* end = nullptr;
        errno = 0;
        unsigned long long m = std::strtoull(v.c_str(), &end, 0);
        if (v.empty() || v[0] == '-' || *end != '\0' || errno != 0)
          return usage(fmt::format("option \"-S\": invalid signal mask \"{}\"", v));
        c.signal_mask = m;
        break;
      }
      default:
        return usage(fmt::format("unknown option \"{}\"; use option \"-h\" for help", a));
    }
  }
  if (c.help > 0 || c.version) return c;
  for (; i < args.size() && args[i] != nullptr; ++i) c.addresses.emplace_back(args[i]);
  if (c.addresses.size() != 2)
    return usage(fmt::format("exactly 2 addresses required (there are {}); use option \"-h\" for help",
                             c.addresses.size()));
  if (c.left_to_right && c.right_to_left) return usage("-U and -u must not be combined");
  return c;
}

std::string help_text(int level) {
  std::string out = fmt::format(
      "relay (fdscope {}) - a socat-compatible relay\n"
      "Usage:\n"
      "relay [options] <bi-address> <bi-address>\n"
      "   options (general command line options):\n"
      "      -V     print version and feature information to stdout, and exit\n"
      "      --version  the same as -V\n"
      "      -h|-?  print a help text describing command line options and addresses\n"
      "      --help  the same as -h\n"
      "      -hh    like -h, plus a list of all address option names\n"
      "      -hhh   like -hh, plus each option's groups, phase and value type\n"
      "      -d[ddd]  increase verbosity (use up to 4 times; 2 are recommended)\n"
      "      -d0 -d1 -d2 -d3 -d4  set verbosity: errors only, warnings, notices, info, debug\n"
      "      -D     analyze file descriptors before loop\n"
      "      --experimental  enable experimental features\n"
      "      --statistics  at exit, log transferred byte and transfer counts (also on SIGUSR1)\n"
      "      -ly[facility]  log to syslog, using facility (default is daemon)\n"
      "      -lf<logfile>   log to file\n"
      "      -ls            log to stderr (default if no other log)\n"
      "      -lm[facility]  mixed log mode (stderr during initialization, then syslog)\n"
      "      -lp<progname>  set the program name used for logging\n"
      "      -lu            use microseconds for logging timestamps\n"
      "      -lh            add hostname to log messages\n"
      "      -v     verbose text dump of data traffic\n"
      "      -x     verbose hexadecimal dump of data traffic\n"
      "      -r <file>      raw dump of data flowing from left to right\n"
      "      -R <file>      raw dump of data flowing from right to left\n"
      "      -b<size_t>     set data buffer size (8192)\n"
      "      -s     sloppy (continue on error)\n"
      "      -S<sigmask>    log these signals, as a number (bitmask)\n"
      "      -t<timeout>    wait seconds before closing second channel\n"
      "      -T<timeout>    total inactivity timeout in seconds\n"
      "      -u     unidirectional mode (left to right)\n"
      "      -U     unidirectional mode (right to left)\n"
      "      -g     do not check option groups\n"
      "      -L <lockfile>  try to obtain lock, or fail\n"
      "      -W <lockfile>  try to obtain lock, or wait\n"
      "      -0     do not prefer an IP version\n"
      "      -4     prefer IPv4 if version is not explicitly specified\n"
      "      -6     prefer IPv6 if version is not explicitly specified\n"
      "   bi-address:\n"
      "      <single-address>\n"
      "      <single-address>!!<single-address>\n"
      "   single-address:\n"
      "      <address-head>[,<opts>]\n"
      "   address-head:\n",
      fdscope::kVersion);
  for (const AddressType* t : registry::address_types()) {
    std::string aliases;
    for (auto al : t->aliases)
      if (!al.empty()) aliases += fmt::format("{}{}", aliases.empty() ? "" : ",", al);
    out += fmt::format("      {:<40} {:<3} groups={}{}\n", t->usage, dir_name(t->dir), grp::names(t->groups),
                       aliases.empty() ? "" : fmt::format(" (also {})", aliases));
  }
  if (level >= 2) {
    out += "   opts:\n      <opt>{,<opts>}:\n   opt:\n";
    for (const OptionDesc* o : registry::options()) {
      std::string names(o->name);
      for (auto al : o->aliases)
        if (!al.empty()) names += fmt::format(" {}", al);
      if (level >= 3)
        out += fmt::format("      {:<36} groups={} phase={} type={}\n", names, grp::names(o->groups),
                           phase_name(o->phase), opt_type_name(o->type));
      else
        out += fmt::format("      {:<36} {}\n", names, o->help);
    }
  }
  return out;
}

std::string version_text() {
  std::string out = fmt::format("relay (fdscope) version {}\n   address types:", fdscope::kVersion);
  int n = 0;
  for (const AddressType* t : registry::address_types()) {
    out += fmt::format("{}{}", n++ % 8 == 0 ? "\n      " : " ", t->keyword);
  }
  out += fmt::format("\n   {} address types, {} options\n", registry::address_types().size(),
                     registry::options().size());
  return out;
}

}  // namespace relay
