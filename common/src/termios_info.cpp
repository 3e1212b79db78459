// Terminal settings as tables: each termios flag (or value of a multi-bit
// field such as CSIZE or NLDLY) is one row naming its field, mask and value,
// so the same rows decode a tty for filan and set flags for relay's TERMIOS
// options.  The reader uses only non-blocking queries (tcgetattr and the
// TIOCGWINSZ/TIOCGPGRP/TIOCGSID ioctls): nothing here waits on the line or
// changes it.
#include "fdscope/termios_info.hpp"

#include <strings.h>
#include <sys/ioctl.h>

#include <fmt/format.h>

#include <cstring>

namespace fdscope {
namespace {

using F = TermiosField;

#define BIT(field, name) {#name, F::field, name, name, false}
#define FIELD(field, name) {#name, F::field, name, 0, true}
#define VAL(field, mask, name) {#name, F::field, mask, name, false}

const TermiosFlag kFlags[] = {
    // c_iflag
    BIT(Iflag, IGNBRK), BIT(Iflag, BRKINT), BIT(Iflag, IGNPAR), BIT(Iflag, PARMRK),
    BIT(Iflag, INPCK), BIT(Iflag, ISTRIP), BIT(Iflag, INLCR), BIT(Iflag, IGNCR),
    BIT(Iflag, ICRNL), BIT(Iflag, IUCLC), BIT(Iflag, IXON), BIT(Iflag, IXANY),
    BIT(Iflag, IXOFF), BIT(Iflag, IMAXBEL), BIT(Iflag, IUTF8),
    // c_oflag
    BIT(Oflag, OPOST), BIT(Oflag, OLCUC), BIT(Oflag, ONLCR), BIT(Oflag, OCRNL),
    BIT(Oflag, ONOCR), BIT(Oflag, ONLRET), BIT(Oflag, OFILL), BIT(Oflag, OFDEL),
    FIELD(Oflag, NLDLY), VAL(Oflag, NLDLY, NL0), VAL(Oflag, NLDLY, NL1),
    FIELD(Oflag, CRDLY), VAL(Oflag, CRDLY, CR0), VAL(Oflag, CRDLY, CR1), VAL(Oflag, CRDLY, CR2),
    VAL(Oflag, CRDLY, CR3),
    FIELD(Oflag, TABDLY), VAL(Oflag, TABDLY, TAB0), VAL(Oflag, TABDLY, TAB1),
    VAL(Oflag, TABDLY, TAB2), VAL(Oflag, TABDLY, TAB3),
    FIELD(Oflag, BSDLY), VAL(Oflag, BSDLY, BS0), VAL(Oflag, BSDLY, BS1),
    FIELD(Oflag, VTDLY), VAL(Oflag, VTDLY, VT0), VAL(Oflag, VTDLY, VT1),
    FIELD(Oflag, FFDLY), VAL(Oflag, FFDLY, FF0), VAL(Oflag, FFDLY, FF1),
    // c_cflag (the speed bits are decoded through the speed table)
    FIELD(Cflag, CSIZE), VAL(Cflag, CSIZE, CS5), VAL(Cflag, CSIZE, CS6), VAL(Cflag, CSIZE, CS7),
    VAL(Cflag, CSIZE, CS8),
    BIT(Cflag, CSTOPB), BIT(Cflag, CREAD), BIT(Cflag, PARENB), BIT(Cflag, PARODD),
    BIT(Cflag, HUPCL), BIT(Cflag, CLOCAL), BIT(Cflag, CMSPAR), BIT(Cflag, CRTSCTS),
    // c_lflag
    BIT(Lflag, ISIG), BIT(Lflag, ICANON), BIT(Lflag, XCASE), BIT(Lflag, ECHO),
    BIT(Lflag, ECHOE), BIT(Lflag, ECHOK), BIT(Lflag, ECHONL), BIT(Lflag, NOFLSH),
    BIT(Lflag, TOSTOP), BIT(Lflag, ECHOCTL), BIT(Lflag, ECHOPRT), BIT(Lflag, ECHOKE),
    BIT(Lflag, FLUSHO), BIT(Lflag, PENDIN), BIT(Lflag, IEXTEN), BIT(Lflag, EXTPROC),
};

#undef BIT
#undef FIELD
#undef VAL

#define SPEED(n) {B##n, n, "B" #n}
const TermiosSpeed kSpeeds[] = {
    SPEED(0),       SPEED(50),      SPEED(75),      SPEED(110),     SPEED(134),
    SPEED(150),     SPEED(200),     SPEED(300),     SPEED(600),     SPEED(1200),
    SPEED(1800),    SPEED(2400),    SPEED(4800),    SPEED(9600),    SPEED(19200),
    SPEED(38400),   SPEED(57600),   SPEED(115200),  SPEED(230400),  SPEED(460800),
    SPEED(500000),  SPEED(576000),  SPEED(921600),  SPEED(1000000), SPEED(1152000),
    SPEED(1500000), SPEED(2000000), SPEED(2500000), SPEED(3000000), SPEED(3500000),
    SPEED(4000000),
};
#undef SPEED

#define CC(name) {#name, name}
const TermiosCc kCc[] = {
    CC(VINTR),  CC(VQUIT),  CC(VERASE),   CC(VKILL),  CC(VEOF),    CC(VTIME),
    CC(VMIN),   CC(VSWTC),  CC(VSTART),   CC(VSTOP),  CC(VSUSP),   CC(VEOL),
    CC(VREPRINT), CC(VDISCARD), CC(VWERASE), CC(VLNEXT), CC(VEOL2),
};
#undef CC

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// socat's rendering of one c_cc byte: ^X for controls, xHH for DEL and 8-bit.
std::string socat_cc(cc_t c) {
  if (c < 0x20) return fmt::format("^{}", static_cast<char>(c + '@'));
  if (c < 0x7f) return std::string(1, static_cast<char>(c));
  return fmt::format("x{:02X}", c);
}

bool is_count_slot(unsigned index) { return index == VMIN || index == VTIME; }

}  // namespace

std::string_view termios_field_name(TermiosField f) {
  switch (f) {
    case F::Iflag: return "iflag";
    case F::Oflag: return "oflag";
    case F::Cflag: return "cflag";
    case F::Lflag: return "lflag";
  }
  return "";
}

std::span<const TermiosFlag> termios_flags() { return kFlags; }

const TermiosFlag* find_termios_flag(std::string_view name) {
  for (const auto& f : kFlags)
    if (iequals(name, f.name)) return &f;
  return nullptr;
}

tcflag_t& termios_field_ref(termios& t, TermiosField f) {
  switch (f) {
    case F::Iflag: return t.c_iflag;
    case F::Oflag: return t.c_oflag;
    case F::Cflag: return t.c_cflag;
    case F::Lflag: break;
  }
  return t.c_lflag;
}

tcflag_t termios_field_value(const termios& t, TermiosField f) {
  return termios_field_ref(const_cast<termios&>(t), f);
}

void termios_apply(termios& t, const TermiosFlag& flag, bool on) {
  tcflag_t& bits = termios_field_ref(t, flag.field);
  bits &= ~flag.mask;
  if (on) bits |= flag.value;
}

std::string termios_flags_text(TermiosField field, tcflag_t bits, char sep) {
  std::string out;
  tcflag_t known = 0;
  auto add = [&](std::string_view s) {
    if (!out.empty()) out.push_back(sep);
    out += s;
  };
  for (const auto& f : kFlags) {
    if (f.field != field) continue;
    known |= f.mask;
    if (f.is_field) continue;
    bool single = f.mask == f.value;
    if (single) {
      if (bits & f.mask) add(f.name);
    } else if ((bits & f.mask) == f.value) {
      // Zero values (NL0, CR0, TAB0...) are the default and not shown, but
      // the character size is always shown.
      if (f.value != 0 || f.mask == CSIZE) add(f.name);
    }
  }
  if (field == F::Cflag) {
    known |= CBAUD | CBAUDEX | CIBAUD;
    speed_t speed = bits & (CBAUD | CBAUDEX);
    for (const auto& s : kSpeeds)
      if (s.code == speed) {
        std::string name = s.name;
        if (!out.empty())
          out = name + std::string(1, sep) + out;
        else
          out = name;
        break;
      }
  }
  if (tcflag_t unknown = bits & ~known) add(fmt::format("0x{:x}", unknown));
  return out;
}

std::span<const TermiosSpeed> termios_speeds() { return kSpeeds; }

std::optional<unsigned> speed_to_baud(speed_t code) {
  for (const auto& s : kSpeeds)
    if (s.code == code) return s.baud;
  return std::nullopt;
}

std::optional<speed_t> baud_to_speed(unsigned baud) {
  for (const auto& s : kSpeeds)
    if (s.baud == baud) return s.code;
  return std::nullopt;
}

std::span<const TermiosCc> termios_cc_names() { return kCc; }

const TermiosCc* find_termios_cc(std::string_view name) {
  for (const auto& c : kCc) {
    std::string_view full = c.name;
    if (iequals(name, full) || iequals(name, full.substr(1))) return &c;
  }
  return nullptr;
}

std::string termios_cc_text(cc_t c) {
  if (c == 0) return "<undef>";  // _POSIX_VDISABLE on Linux
  if (c == 0x7f) return "^?";
  if (c < 0x20) return fmt::format("^{}", static_cast<char>(c + '@'));
  if (c < 0x7f) return std::string(1, static_cast<char>(c));
  return fmt::format("\\{:03o}", c);
}

Result<TtyInfo> read_tty_info(int fd) {
  TtyInfo t;
  if (::tcgetattr(fd, &t.tio) < 0) return sys_error(fmt::format("tcgetattr(fd {})", fd));
  winsize ws{};
  if (::ioctl(fd, TIOCGWINSZ, &ws) == 0) t.ws = ws;
  pid_t pgrp = 0;
  if (::ioctl(fd, TIOCGPGRP, &pgrp) == 0) t.pgrp = pgrp;
  pid_t sid = 0;
  if (::ioctl(fd, TIOCGSID, &sid) == 0) t.sid = sid;
  return t;
}

std::string tty_info_socat(const TtyInfo& t) {
  std::string out = fmt::format("IFLAGS={:08x} OFLAGS={:08x} CFLAGS={:08x} LFLAGS={:08x}", t.tio.c_iflag,
                                t.tio.c_oflag, t.tio.c_cflag, t.tio.c_lflag);
  for (unsigned i = 0; i < NCCS; ++i) fmt::format_to(std::back_inserter(out), " cc[{}]={}", i, socat_cc(t.tio.c_cc[i]));
  return out;
}

std::string tty_info_text(const TtyInfo& t) {
  std::string out = fmt::format("iflag={} oflag={} cflag={} lflag={}", termios_flags_text(F::Iflag, t.tio.c_iflag),
                                termios_flags_text(F::Oflag, t.tio.c_oflag),
                                termios_flags_text(F::Cflag, t.tio.c_cflag),
                                termios_flags_text(F::Lflag, t.tio.c_lflag));
  auto isp = speed_to_baud(cfgetispeed(&t.tio));
  auto osp = speed_to_baud(cfgetospeed(&t.tio));
  if (isp) fmt::format_to(std::back_inserter(out), " ispeed={}", *isp);
  if (osp) fmt::format_to(std::back_inserter(out), " ospeed={}", *osp);
  if (t.ws) fmt::format_to(std::back_inserter(out), " rows={} cols={}", t.ws->ws_row, t.ws->ws_col);
  if (t.pgrp) fmt::format_to(std::back_inserter(out), " pgrp={}", *t.pgrp);
  if (t.sid) fmt::format_to(std::back_inserter(out), " sid={}", *t.sid);
  for (const auto& c : kCc) {
    cc_t v = t.tio.c_cc[c.index];
    if (is_count_slot(c.index))
      fmt::format_to(std::back_inserter(out), " {}={}", c.name, v);
    else
      fmt::format_to(std::back_inserter(out), " {}={}", c.name, termios_cc_text(v));
  }
  return out;
}

void tty_info_json(JsonWriter& w, const TtyInfo& t) {
  w.begin_object();
  const std::pair<TermiosField, tcflag_t> fields[] = {
      {F::Iflag, t.tio.c_iflag}, {F::Oflag, t.tio.c_oflag}, {F::Cflag, t.tio.c_cflag}, {F::Lflag, t.tio.c_lflag}};
  for (const auto& [field, bits] : fields) {
    w.key(termios_field_name(field)).begin_array();
    std::string text = termios_flags_text(field, bits, '|');
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('|', start);
      if (end == std::string::npos) end = text.size();
      w.value(std::string_view(text).substr(start, end - start));
      start = end + 1;
    }
    w.end_array();
  }
  for (const auto& [field, bits] : fields) w.field(std::string(termios_field_name(field)) + "_raw", bits);
  if (auto isp = speed_to_baud(cfgetispeed(&t.tio))) w.field("ispeed", *isp);
  if (auto osp = speed_to_baud(cfgetospeed(&t.tio))) w.field("ospeed", *osp);
  w.key("cc").begin_object();
  for (const auto& c : kCc) {
    cc_t v = t.tio.c_cc[c.index];
    if (is_count_slot(c.index))
      w.field(c.name, v);
    else
      w.field(c.name, termios_cc_text(v));
  }
  w.end_object();
  if (t.ws) {
    w.field("rows", t.ws->ws_row).field("cols", t.ws->ws_col);
    w.field("xpixel", t.ws->ws_xpixel).field("ypixel", t.ws->ws_ypixel);
  }
  if (t.pgrp) w.field("pgrp", *t.pgrp);
  if (t.sid) w.field("sid", *t.sid);
  w.end_object();
}

}  // namespace fdscope
