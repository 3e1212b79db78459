// Tests for common/src/termios_info.cpp: the flag rows decode and set real
// pty settings, window size and control characters are read, and the socat,
// text and JSON renderings have their shapes.
#include "fdscope/termios_info.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>

#include "fdscope/unique_fd.hpp"

using namespace fdscope;
using nlohmann::json;

namespace {

struct Pty {
  UniqueFd master, slave;
};

Pty open_pty() {
  Pty p;
  p.master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  EXPECT_TRUE(p.master.valid());
  EXPECT_EQ(::grantpt(p.master.get()), 0);
  EXPECT_EQ(::unlockpt(p.master.get()), 0);
  const char* name = ::ptsname(p.master.get());
  EXPECT_NE(name, nullptr);
  if (name) p.slave.reset(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  EXPECT_TRUE(p.slave.valid());
  return p;
}

json to_json(const TtyInfo& t) {
  std::string out;
  JsonWriter w(out);
  tty_info_json(w, t);
  return json::parse(out);
}

}  // namespace

TEST(TermiosTable, RowsAreConsistent) {
  for (const auto& f : termios_flags()) {
    SCOPED_TRACE(f.name);
    EXPECT_NE(f.mask, 0u);
    EXPECT_EQ(f.value & ~f.mask, 0u) << "value inside mask";
    if (f.is_field) EXPECT_EQ(f.value, 0u);
    // Names are unique, so lookups return this row.
    EXPECT_EQ(find_termios_flag(f.name), &f);
  }
  EXPECT_EQ(find_termios_flag("icanon"), find_termios_flag("ICANON"));
  EXPECT_EQ(find_termios_flag("CS8")->mask, static_cast<tcflag_t>(CSIZE));
  EXPECT_EQ(find_termios_flag("CS8")->field, TermiosField::Cflag);
  EXPECT_EQ(find_termios_flag("NLDLY")->is_field, true);
  EXPECT_EQ(find_termios_flag("NOPE"), nullptr);
}

TEST(TermiosTable, SpeedsAndControlCharacters) {
  EXPECT_EQ(baud_to_speed(115200), static_cast<speed_t>(B115200));
  EXPECT_EQ(speed_to_baud(B4000000), 4000000u);
  EXPECT_FALSE(baud_to_speed(12345).has_value());
  EXPECT_EQ(termios_speeds().front().baud, 0u);
  EXPECT_EQ(find_termios_cc("VINTR")->index, static_cast<unsigned>(VINTR));
  EXPECT_EQ(find_termios_cc("eof")->index, static_cast<unsigned>(VEOF));
  EXPECT_EQ(termios_cc_text(3), "^C");
  EXPECT_EQ(termios_cc_text(0x7f), "^?");
  EXPECT_EQ(termios_cc_text(0), "<undef>");
  EXPECT_EQ(termios_cc_text('a'), "a");
  EXPECT_EQ(termios_cc_text(0xe9), "\\351");
}

TEST(TermiosTable, FlagsText) {
  EXPECT_EQ(termios_flags_text(TermiosField::Cflag, B38400 | CS8 | CREAD), "B38400|CS8|CREAD");
  EXPECT_EQ(termios_flags_text(TermiosField::Cflag, B0 | CS5), "B0|CS5");
  EXPECT_EQ(termios_flags_text(TermiosField::Oflag, OPOST | ONLCR | NL1 | TAB3), "OPOST|ONLCR|NL1|TAB3");
  EXPECT_EQ(termios_flags_text(TermiosField::Lflag, ICANON | ECHO, ' '), "ICANON ECHO");
  EXPECT_EQ(termios_flags_text(TermiosField::Iflag, 0), "");
  EXPECT_EQ(termios_flags_text(TermiosField::Iflag, 0x80000000u), "0x80000000");
}

TEST(TermiosTable, ApplySetsAndClearsFields) {
  termios t{};
  termios_apply(t, *find_termios_flag("CS7"), true);
  EXPECT_EQ(t.c_cflag & CSIZE, static_cast<tcflag_t>(CS7));
  termios_apply(t, *find_termios_flag("CS8"), true);
  EXPECT_EQ(t.c_cflag & CSIZE, static_cast<tcflag_t>(CS8));
  termios_apply(t, *find_termios_flag("ECHO"), true);
  EXPECT_TRUE(t.c_lflag & ECHO);
  termios_apply(t, *find_termios_flag("ECHO"), false);
  EXPECT_FALSE(t.c_lflag & ECHO);
  termios_apply(t, *find_termios_flag("CSIZE"), false);
  EXPECT_EQ(t.c_cflag & CSIZE, 0u);
}

TEST(TermiosRead, PtyRoundTrip) {
  Pty p = open_pty();
  ASSERT_TRUE(p.slave.valid());
  winsize ws{24, 80, 0, 0};
  ASSERT_EQ(::ioctl(p.slave.get(), TIOCSWINSZ, &ws), 0);
  termios t{};
  ASSERT_EQ(::tcgetattr(p.slave.get(), &t), 0);
  termios_apply(t, *find_termios_flag("ECHO"), false);
  termios_apply(t, *find_termios_flag("IXOFF"), true);
  termios_apply(t, *find_termios_flag("TOSTOP"), true);
  t.c_cc[VINTR] = 3;
  ASSERT_EQ(::tcsetattr(p.slave.get(), TCSANOW, &t), 0);

  auto info = read_tty_info(p.slave.get());
  ASSERT_TRUE(info.ok()) << info.error().message();
  ASSERT_TRUE(info->ws.has_value());
  EXPECT_EQ(info->ws->ws_row, 24);
  EXPECT_EQ(info->ws->ws_col, 80);
  EXPECT_FALSE(info->tio.c_lflag & ECHO);
  // Not our controlling tty: pgrp/sid are unavailable, and that is fine.
  std::string text = tty_info_text(*info);
  EXPECT_NE(text.find("cflag="), std::string::npos);
  EXPECT_NE(text.find("CS8"), std::string::npos);  // ptys keep 8-bit characters
  EXPECT_NE(text.find("TOSTOP"), std::string::npos);
  EXPECT_NE(text.find("IXOFF"), std::string::npos);
  EXPECT_NE(text.find("rows=24 cols=80"), std::string::npos);
  EXPECT_NE(text.find("VINTR=^C"), std::string::npos);
  EXPECT_EQ(text.find("|ECHO|"), std::string::npos);

  std::string socat = tty_info_socat(*info);
  EXPECT_EQ(socat.rfind("IFLAGS=", 0), 0u);
  EXPECT_NE(socat.find(" cc[0]=^C"), std::string::npos);
  EXPECT_NE(socat.find(" cc[31]="), std::string::npos);
  char expect[64];
  snprintf(expect, sizeof expect, "LFLAGS=%08x", info->tio.c_lflag);
  EXPECT_NE(socat.find(expect), std::string::npos);

  json j = to_json(*info);
  EXPECT_EQ(j["rows"], 24);
  EXPECT_EQ(j["cols"], 80);
  EXPECT_EQ(j["cc"]["VINTR"], "^C");
  EXPECT_TRUE(j["cc"]["VMIN"].is_number());
  bool has_cs8 = false, has_echo = false, has_tostop = false;
  for (const auto& n : j["cflag"]) has_cs8 |= n == "CS8";
  for (const auto& n : j["lflag"]) has_echo |= n == "ECHO", has_tostop |= n == "TOSTOP";
  EXPECT_TRUE(has_cs8);
  EXPECT_TRUE(has_tostop);
  EXPECT_FALSE(has_echo);
  EXPECT_EQ(j["lflag_raw"], info->tio.c_lflag);
}

TEST(TermiosRead, MasterSideAndNonTty) {
  Pty p = open_pty();
  EXPECT_TRUE(read_tty_info(p.master.get()).ok());
  int pipefd[2];
  ASSERT_EQ(::pipe2(pipefd, O_CLOEXEC), 0);
  UniqueFd r(pipefd[0]), w(pipefd[1]);
  auto info = read_tty_info(r.get());
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().err, ENOTTY);
}
