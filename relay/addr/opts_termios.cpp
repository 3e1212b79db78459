// The TERMIOS option group: terminal settings for addresses on ttys (PTY,
// OPEN/GOPEN of a tty device, STDIO on a terminal, EXEC/SYSTEM with pty).
// Rather than list every flag again, the option rows are generated from the
// termios tables in common/ (fdscope/termios_info.hpp), the same rows filan
// uses to show a tty: every single-bit flag becomes a bool option (icanon,
// echo=0, crtscts), every multi-bit field an integer option (csize=3,
// crdly=1) and each of its values a no-value option (cs8, tab3); every line
// speed a no-value option (b115200), every control character an option
// taking a character or number (intr=3, min=1).  raw, rawer, sane,
// termios-cfmakeraw, ispeed, ospeed and ctty are added by hand.  Each
// option is one tcgetattr/tcsetattr(TCSADRAIN) on the fd in the FD phase.
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cctype>
#include <deque>
#include <string>
#include <vector>

#include "core/open_context.hpp"

#include "core/syscall_log.hpp"
#include "core/option.hpp"
#include "core/registry.hpp"
#include "fdscope/termios_info.hpp"

namespace relay {
namespace {

using fdscope::Status;

enum Kind : int64_t { kBit, kField, kValue, kSpeed, kCc, kRaw, kRawer, kSane, kCfmakeraw, kIspeed, kOspeed };

Status modify(const OptionDesc& d, int fd, auto&& change) {
  if (fd < 0) return fdscope::plain_error(fmt::format("option \"{}\": no file descriptor", d.name));
  termios t{};
  if (::tcgetattr(fd, &t) < 0) return fdscope::sys_error(fmt::format("tcgetattr({}) for option \"{}\"", fd, d.name));
  if (auto s = change(t); !s) return s;
  if (::tcsetattr(fd, TCSADRAIN, &t) < 0)
    return fdscope::sys_error(fmt::format("tcsetattr({}) for option \"{}\"", fd, d.name));
  return {};
}

// socat's "raw": no input processing, no output processing, no echo, no
// signals, no canonical mode (what cfmakeraw does minus the CSIZE change).
void make_raw(termios& t) {
  t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF | IUCLC | IXANY | IMAXBEL);
  t.c_oflag &= ~OPOST;
  t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN | XCASE);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
}

void make_sane(termios& t) {
  t.c_iflag |= BRKINT | ICRNL | IMAXBEL;
  t.c_iflag &= ~(IGNBRK | INLCR | IGNCR | IXOFF | IUCLC | IXANY);
  t.c_oflag |= OPOST | ONLCR;
  t.c_oflag &= ~(OLCUC | OCRNL | ONOCR | ONLRET | OFILL | OFDEL | NLDLY | CRDLY | TABDLY | BSDLY | VTDLY | FFDLY);
  t.c_cflag |= CREAD;
  t.c_lflag |= ISIG | ICANON | IEXTEN | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE;
  t.c_lflag &= ~(ECHONL | NOFLSH | XCASE | TOSTOP | ECHOPRT);
}

tcflag_t lowest_bit(tcflag_t mask) { return mask & (~mask + 1); }

Status apply_termios(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  return modify(d, t.fd, [&](termios& tio) -> Status {
    auto flags = fdscope::termios_flags();
    switch (d.arg2) {
      case kBit:
      case kValue:
        fdscope::termios_apply(tio, flags[static_cast<size_t>(d.arg1)], d.arg2 == kValue || v.on);
        break;
      case kField: {
        const fdscope::TermiosFlag& f = flags[static_cast<size_t>(d.arg1)];
        tcflag_t value = static_cast<tcflag_t>(v.u) * lowest_bit(f.mask);
        if ((value & ~f.mask) != 0)
          return fdscope::plain_error(fmt::format("option \"{}\": value {} out of range", d.name, v.u));
        tcflag_t& field = fdscope::termios_field_ref(tio, f.field);
        field = (field & ~f.mask) | value;
        break;
      }
      case kSpeed:
        ::cfsetispeed(&tio, static_cast<speed_t>(d.arg1));
        ::cfsetospeed(&tio, static_cast<speed_t>(d.arg1));
        break;
      case kIspeed:
      case kOspeed: {
        auto code = fdscope::baud_to_speed(static_cast<unsigned>(v.u));
        if (!code) return fdscope::plain_error(fmt::format("option \"{}\": unsupported speed {}", d.name, v.u));
        (d.arg2 == kIspeed ? ::cfsetispeed : ::cfsetospeed)(&tio, *code);
        break;
      }
      case kCc:
        tio.c_cc[d.arg1] = static_cast<cc_t>(v.i);
        break;
      case kRaw:
        make_raw(tio);
        break;
      case kRawer:
        make_raw(tio);
        tio.c_lflag &= ~(ECHOE | ECHOK | ECHOCTL | ECHOKE);
        tio.c_iflag &= ~INPCK;
        break;
      case kCfmakeraw:
        ::cfmakeraw(&tio);
        break;
      case kSane:
        make_sane(tio);
        break;
    }
    return {};
  });
}

Status check_speed(const OptionDesc&, const OptValue& v) {
  if (!fdscope::baud_to_speed(static_cast<unsigned>(v.u))) return fdscope::plain_error("not a supported line speed");
  return {};
}

// ctty: make the tty the controlling terminal (program addresses do it in
// the child; for others it is relay's own controlling terminal).
Status apply_ctty(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  if (!v.on) return {};
  if (t.fd < 0) return fdscope::plain_error(fmt::format("option \"{}\": no file descriptor", d.name));
  if (sys::ioctl(t.fd, TIOCSCTTY, 0) < 0) return fdscope::sys_error(fmt::format("ioctl({}, TIOCSCTTY)", t.fd));
  return {};
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

// Generated rows and the strings they point into (stable addresses).
struct TermiosTable {
  std::deque<std::string> names;
  std::vector<OptionDesc> rows;

  std::string_view keep(std::string s) { return names.emplace_back(std::move(s)); }

  TermiosTable() {
    auto base = [](std::string_view name, OptType type, int64_t kind, int64_t arg1) {
      OptionDesc d{};
      d.name = name;
      d.groups = grp::TERMIOS;
      d.phase = Phase::FD;
      d.type = type;
      d.apply = apply_termios;
      d.arg1 = arg1;
      d.arg2 = kind;
      return d;
    };
    auto flags = fdscope::termios_flags();
    for (size_t i = 0; i < flags.size(); ++i) {
      const auto& f = flags[i];
      std::string_view name = keep(lower(f.name));
      if (f.is_field) {
        OptionDesc d = base(name, OptType::Uint, kField, static_cast<int64_t>(i));
        d.help = keep(fmt::format("{} field value (0..{})", f.name, f.mask / lowest_bit(f.mask)));
        rows.push_back(d);
        continue;
      }
      bool multi = false;
      for (const auto& g : flags)
        if (g.is_field && g.field == f.field && g.mask == f.mask) multi = true;
      OptionDesc d = base(name, multi ? OptType::Const : OptType::Bool, multi ? kValue : kBit,
                          static_cast<int64_t>(i));
      d.help = keep(multi ? fmt::format("set the {} field to {}", fdscope::termios_field_name(f.field), f.name)
                          : fmt::format("set (=1) or clear (=0) {} in c_{}", f.name,
                                        fdscope::termios_field_name(f.field)));
      rows.push_back(d);
    }
    for (const auto& s : fdscope::termios_speeds()) {
      OptionDesc d = base(keep(lower(s.name)), OptType::Const, kSpeed, static_cast<int64_t>(s.code));
      d.help = keep(fmt::format("line speed {} baud (input and output)", s.baud));
      rows.push_back(d);
    }
    for (const auto& c : fdscope::termios_cc_names()) {
      std::string full = lower(c.name);  // "vintr"
      OptionDesc d = base(keep(full), OptType::Byte, kCc, static_cast<int64_t>(c.index));
      d.aliases[0] = keep(full.substr(1));  // "intr"
      d.help = keep(fmt::format("control character c_cc[{}] (a character or a number)", c.name));
      rows.push_back(d);
    }
    auto extra = [&](std::string_view name, std::string_view alias, OptType type, int64_t kind,
                     std::string_view help) {
      OptionDesc d = base(name, type, kind, 0);
      d.aliases[0] = alias;
      d.help = help;
      if (kind == kIspeed || kind == kOspeed) d.check = check_speed;
      rows.push_back(d);
    };
    extra("raw", "", OptType::Const, kRaw, "raw mode: no line editing, echo, signals or output processing");
    extra("rawer", "termios-rawer", OptType::Const, kRawer, "like raw, and no echo variants or parity check");
    extra("termios-cfmakeraw", "cfmakeraw", OptType::Const, kCfmakeraw, "cfmakeraw(3): raw mode and CS8");
    extra("sane", "", OptType::Const, kSane, "a sane interactive line discipline (like stty sane)");
    extra("ispeed", "", OptType::Uint, kIspeed, "input line speed in baud");
    extra("ospeed", "", OptType::Uint, kOspeed, "output line speed in baud");
    OptionDesc ctty{};
    ctty.name = "ctty";
    ctty.aliases[0] = "tiocsctty";
    ctty.groups = grp::TERMIOS;
    ctty.phase = Phase::LATE2;
    ctty.type = OptType::Bool;
    ctty.apply = apply_ctty;
    ctty.help = "make the tty the controlling terminal";
    rows.push_back(ctty);
  }
};

struct RegisterTermios {
  RegisterTermios() {
    static TermiosTable table;
    registry::add_options(table.rows);
  }
};
const RegisterTermios kRegisterTermios;

}  // namespace
}  // namespace relay
