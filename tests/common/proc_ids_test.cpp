// Unit tests for /proc/PID/stat parsing and controlling-terminal naming
// (common/src/proc_ids.cpp): comm with spaces and parentheses, the kernel's
// tty_nr encoding, and a real pty named by its /dev/pts device.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fdscope/proc_ids.hpp"

using namespace fdscope;

TEST(ProcIds, ParsesStatWithHostileComm) {
  std::string line =
      "4242 (evil) (name) S 100 4242 4242 34819 4242 4194560 0 0 0 0 0 0 0 0 20 0 1 0 123456 0 0 "
      "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  auto st = parse_proc_stat(line);
  ASSERT_TRUE(st.ok()) << st.error().message();
  EXPECT_EQ(st->pid, 4242);
  EXPECT_EQ(st->comm, "evil) (name");
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->ppid, 100);
  EXPECT_EQ(st->pgrp, 4242);
  EXPECT_EQ(st->session, 4242);
  EXPECT_EQ(st->tty_nr, 34819u);
  EXPECT_EQ(st->tpgid, 4242);
  EXPECT_EQ(st->starttime, 123456u);
  EXPECT_FALSE(is_kernel_thread(*st));
  EXPECT_STREQ(state_name(st->state), "sleeping");
}

TEST(ProcIds, KernelThreadFlagAndZombieState) {
  auto st = parse_proc_stat(
      "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
  ASSERT_TRUE(st.ok()) << st.error().message();
  EXPECT_TRUE(is_kernel_thread(*st));  // 2129984 = 0x208040 includes PF_KTHREAD
  EXPECT_NE(std::string(state_name('Z')).find("zombie"), std::string::npos);
}

TEST(ProcIds, RejectsTruncatedStat) {
  EXPECT_FALSE(parse_proc_stat("12 (x) S 1 2").ok());
  EXPECT_FALSE(parse_proc_stat("no parens at all").ok());
}

TEST(ProcIds, DecodesTtyNr) {
  // 34819 = 0x8803: major 136, minor 3 (/dev/pts/3).
  EXPECT_EQ(tty_major(34819), 136u);
  EXPECT_EQ(tty_minor(34819), 3u);
  // Minor >= 256 uses the high minor bits (bits 20..31).
  uint32_t nr = (0x12u << 20) | (137u << 8) | 0x34u;
  EXPECT_EQ(tty_major(nr), 137u);
  EXPECT_EQ(tty_minor(nr), 0x1234u);
  EXPECT_EQ(tty_device_path(0), std::nullopt);
}

TEST(ProcIds, NamesRealPtyDeviceNotDevTty) {
  int master = -1, slave = -1;
  char name[256];
  ASSERT_EQ(openpty(&master, &slave, name, nullptr, nullptr), 0);
  struct stat sb;
  ASSERT_EQ(fstat(slave, &sb), 0);
  // The kernel's stat encoding of the slave's dev_t.
  uint32_t nr = (minor(sb.st_rdev) & 0xff) | (major(sb.st_rdev) << 8) | ((minor(sb.st_rdev) & ~0xffu) << 12);
  auto path = tty_device_path(nr);
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(*path, name);
  close(slave);
  close(master);
}

TEST(ProcIds, ReadsOwnIdsThroughProc) {
  auto src = ProcSource::open(getpid());
  ASSERT_TRUE(src.ok()) << src.error().message();
  auto ids = read_ids(*src);
  ASSERT_TRUE(ids.ok()) << ids.error().message();
  EXPECT_EQ(ids->stat.pid, getpid());
  EXPECT_EQ(ids->stat.ppid, getppid());
  EXPECT_EQ(ids->stat.pgrp, getpgrp());
  EXPECT_EQ(ids->stat.session, getsid(0));
  for (int fd = 0; fd < 3; ++fd) {
    ASSERT_TRUE(ids->fg_pgid[fd].ok());
    EXPECT_EQ(*ids->fg_pgid[fd], tcgetpgrp(fd) < 0 ? -1 : tcgetpgrp(fd)) << "fd " << fd;
  }
}
