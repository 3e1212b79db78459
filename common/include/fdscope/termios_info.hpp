// Terminal settings: tables of the termios input/output/control/local flags
// (single bits and multi-bit fields such as CSIZE or NLDLY), line speeds and
// control-character slots, a reader for a tty fd (tcgetattr, TIOCGWINSZ,
// TIOCGPGRP, TIOCGSID: none of them blocks or changes the tty), and
// renderers.  relay's TERMIOS option group uses the same flag rows to set
// flags: a row names the field, the mask to clear and the value to set.
//
// Renderings:
//   socat  filan's layout: "IFLAGS=<names>  OFLAGS=... CFLAGS=... LFLAGS=..."
//          then " cc[0]=^C cc[1]=^\ ..." for every c_cc slot (see
//          tty_info_socat for the exact form)
//   text   "iflag=ICRNL|IXON oflag=OPOST|ONLCR cflag=B38400|CS8|CREAD
//          lflag=ISIG|ICANON|ECHO ispeed=38400 ospeed=38400 rows=24 cols=80
//          VINTR=^C VQUIT=^\ ..."
//   JSON   tty_info_json() writes an object:
//            "iflag","oflag","cflag","lflag": arrays of flag names set (for a
//                multi-bit field its current value's name, e.g. "CS8", "NL0"
//                omitted when zero-valued except CSIZE)
//            "iflag_raw",...: numbers
//            "ispeed","ospeed": numbers (baud)
//            "cc": object, c_cc name -> string in ^X form ("^C", "^?", "<undef>"),
//                except VMIN and VTIME: numbers
//            "rows","cols","xpixel","ypixel": numbers (when TIOCGWINSZ works)
//            "pgrp","sid": numbers (when the ioctls work)
#pragma once

#include <sys/ioctl.h>
#include <sys/types.h>
#include <termios.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "fdscope/json.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

enum class TermiosField : uint8_t { Iflag, Oflag, Cflag, Lflag };

std::string_view termios_field_name(TermiosField f);  // "iflag", ...

// One flag or one value of a multi-bit field.  Setting the row means
// field = (field & ~mask) | value.  For a single bit mask == value; the
// "off" form clears mask.  For multi-bit fields there is one row per value
// (CS5..CS8 with mask CSIZE) and one row for the field itself (CSIZE with
// value 0, is_field = true).
struct TermiosFlag {
  const char* name;  // "ICRNL", "CS8", "NLDLY"
  TermiosField field;
  tcflag_t mask;
  tcflag_t value;
  bool is_field;     // the mask row of a multi-bit field (CSIZE, NLDLY, ...)

  bool is_set_in(tcflag_t bits) const { return (bits & mask) == value; }
};

std::span<const TermiosFlag> termios_flags();
const TermiosFlag* find_termios_flag(std::string_view name);  // case-insensitive

tcflag_t& termios_field_ref(termios& t, TermiosField f);
tcflag_t termios_field_value(const termios& t, TermiosField f);
// Sets (on) or clears (!on) a flag row in t.  Clearing a multi-bit value
// row clears the whole field.
void termios_apply(termios& t, const TermiosFlag& flag, bool on);

// Names of the flags set in one field, table order: single bits that are
// set, and for each multi-bit field the name of its current value (skipped
// when the value is 0 and has no name of its own).  Unknown bits as 0x...
std::string termios_flags_text(TermiosField f, tcflag_t bits, char sep = '|');

struct TermiosSpeed {
  speed_t code;   // B9600
  unsigned baud;  // 9600
  const char* name;  // "B9600"
};
std::span<const TermiosSpeed> termios_speeds();
std::optional<unsigned> speed_to_baud(speed_t code);
std::optional<speed_t> baud_to_speed(unsigned baud);

struct TermiosCc {
  const char* name;  // "VINTR"
  unsigned index;    // VINTR
};
std::span<const TermiosCc> termios_cc_names();
const TermiosCc* find_termios_cc(std::string_view name);  // "VINTR" or "intr"
// "^C", "^?", "^@", "<undef>" (_POSIX_VDISABLE), printable as itself, else \ooo.
std::string termios_cc_text(cc_t c);

struct TtyInfo {
  termios tio{};
  std::optional<winsize> ws;
  std::optional<pid_t> pgrp;  // foreground process group (TIOCGPGRP)
  std::optional<pid_t> sid;   // session (TIOCGSID)
};

// tcgetattr plus the optional ioctls; error only when tcgetattr fails
// (ENOTTY for a non-tty).
Result<TtyInfo> read_tty_info(int fd);

std::string tty_info_socat(const TtyInfo& t);
std::string tty_info_text(const TtyInfo& t);
void tty_info_json(JsonWriter& w, const TtyInfo& t);

}  // namespace fdscope
