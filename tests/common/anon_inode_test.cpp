// Unit tests for anon_inode.cpp: /proc/PID/fdinfo texts as this kernel
// prints them (captured on Linux 6.18) decoded into facts.
#include "fdscope/anon_inode.hpp"

#include <gtest/gtest.h>

namespace fdscope {
namespace {

const Fact* find(const std::vector<Fact>& facts, std::string_view key) {
  for (const auto& f : facts)
    if (f.key == key) return &f;
  return nullptr;
}

TEST(FdinfoCommon, ParsesPosOctalFlagsMntIdAndIno) {
  auto c = parse_fdinfo_common("pos:\t42\nflags:\t02100002\nmnt_id:\t17\nino:\t1038\neventfd-count: 5\n");
  ASSERT_TRUE(c.pos);
  EXPECT_EQ(*c.pos, 42);
  ASSERT_TRUE(c.flags);
  EXPECT_EQ(*c.flags, 02100002u);
  EXPECT_EQ(c.mnt_id.value_or(-1), 17);
  EXPECT_EQ(c.ino.value_or(0), 1038u);
}

TEST(FdinfoCommon, MissingLinesStayAbsent) {
  auto c = parse_fdinfo_common("garbage\n");
  EXPECT_FALSE(c.pos);
  EXPECT_FALSE(c.flags);
}

TEST(ClassifyAnonLink, NamesEveryKnownKind) {
  EXPECT_EQ(classify_anon_link("anon_inode:[eventfd]"), FdKind::EventFd);
  EXPECT_EQ(classify_anon_link("anon_inode:[timerfd]"), FdKind::TimerFd);
  EXPECT_EQ(classify_anon_link("anon_inode:[signalfd]"), FdKind::SignalFd);
  EXPECT_EQ(classify_anon_link("anon_inode:[eventpoll]"), FdKind::Epoll);
  EXPECT_EQ(classify_anon_link("anon_inode:inotify"), FdKind::Inotify);
  EXPECT_EQ(classify_anon_link("anon_inode:[fanotify]"), FdKind::Fanotify);
  EXPECT_EQ(classify_anon_link("anon_inode:[pidfd]"), FdKind::PidFd);
  EXPECT_EQ(classify_anon_link("pidfd:[7056]"), FdKind::PidFd);
  EXPECT_EQ(classify_anon_link("anon_inode:[io_uring]"), FdKind::IoUring);
  EXPECT_EQ(classify_anon_link("anon_inode:bpf-map"), FdKind::BpfMap);
  EXPECT_EQ(classify_anon_link("anon_inode:bpf-prog"), FdKind::BpfProg);
  EXPECT_EQ(classify_anon_link("anon_inode:bpf_link"), FdKind::BpfLink);
  EXPECT_EQ(classify_anon_link("anon_inode:[perf_event]"), FdKind::PerfEvent);
  EXPECT_EQ(classify_anon_link("anon_inode:[userfaultfd]"), FdKind::UserFaultFd);
  EXPECT_EQ(classify_anon_link("anon_inode:[kvm-vm]"), FdKind::AnonInode);
  EXPECT_EQ(classify_anon_link("/tmp/x"), FdKind::Unknown);
  EXPECT_EQ(classify_anon_link("socket:[12]"), FdKind::Unknown);
}

TEST(DecodeFdinfo, EventfdCountIsHex) {
  auto f = decode_fdinfo_facts(FdKind::EventFd,
                               "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n"
                               "eventfd-count:               1f\neventfd-id: 1\neventfd-semaphore: 0\n");
  ASSERT_TRUE(find(f, "count"));
  EXPECT_EQ(find(f, "count")->u, 31u);
  EXPECT_EQ(find(f, "id")->i, 1);
  EXPECT_EQ(find(f, "semaphore")->i, 0);
  EXPECT_FALSE(find(f, "pos"));  // common lines are not facts
}

TEST(DecodeFdinfo, TimerfdClockAndExpiryInNanoseconds) {
  auto f = decode_fdinfo_facts(FdKind::TimerFd,
                               "pos:\t0\nclockid: 1\nticks: 3\nsettime flags: 01\n"
                               "it_value: (99, 976048277)\nit_interval: (1, 0)\n");
  EXPECT_EQ(find(f, "clockid")->i, 1);
  EXPECT_EQ(find(f, "clock")->text, "CLOCK_MONOTONIC");
  EXPECT_EQ(find(f, "ticks")->u, 3u);
  EXPECT_EQ(find(f, "settime_flags")->text, "TFD_TIMER_ABSTIME");
  EXPECT_EQ(find(f, "it_value_ns")->u, 99976048277ull);
  EXPECT_EQ(find(f, "it_interval_ns")->u, 1000000000ull);
  EXPECT_EQ(find(f, "it_value_ns")->value_text(), "99976048277ns");
}

TEST(DecodeFdinfo, SignalfdMaskNamesSignals) {
  auto f = decode_fdinfo_facts(FdKind::SignalFd, "pos:\t0\nsigmask:\t0000000000004200\n");
  EXPECT_EQ(find(f, "signals")->text, "SIGUSR1,SIGTERM");
  EXPECT_EQ(find(f, "sigmask")->text, "0x0000000000004200");
}

TEST(DecodeFdinfo, EpollTargetsBecomeRecords) {
  auto f = decode_fdinfo_facts(FdKind::Epoll,
                               "pos:\t0\nflags:\t02\n"
                               "tfd:        3 events:       19 data:               2a  pos:0 ino:40e sdev:10\n"
                               "tfd:        7 events: 80000001 data:                0  pos:0 ino:1 sdev:fe00000\n");
  EXPECT_EQ(find(f, "count")->u, 2u);
  const Fact* t = find(f, "targets");
  ASSERT_TRUE(t);
  ASSERT_EQ(t->items.size(), 2u);
  EXPECT_EQ(find(t->items[0], "tfd")->i, 3);
  EXPECT_EQ(find(t->items[0], "events")->text, "EPOLLIN|EPOLLERR|EPOLLHUP");
  EXPECT_EQ(find(t->items[0], "data")->text, "0x2a");
  EXPECT_EQ(find(t->items[0], "ino")->u, 0x40eu);
  EXPECT_EQ(find(t->items[0], "sdev")->text, "0:16");
  EXPECT_EQ(find(t->items[1], "events")->text, "EPOLLIN|EPOLLET");
  EXPECT_EQ(find(t->items[1], "sdev")->text, "254:0");
}

TEST(DecodeFdinfo, InotifyWatches) {
  auto f = decode_fdinfo_facts(FdKind::Inotify,
                               "pos:\t0\ninotify wd:1 ino:3c51a sdev:fe00000 mask:300 ignored_mask:0 "
                               "fhandle-bytes:8 fhandle-type:1 f_handle:1ac5030000000000\n");
  const Fact* w = find(f, "watches");
  ASSERT_TRUE(w);
  ASSERT_EQ(w->items.size(), 1u);
  EXPECT_EQ(find(w->items[0], "wd")->i, 1);
  EXPECT_EQ(find(w->items[0], "ino")->u, 0x3c51au);
  EXPECT_EQ(find(w->items[0], "mask")->text, "IN_CREATE|IN_DELETE");
  EXPECT_EQ(find(w->items[0], "ignored_mask")->text, "0");
}

TEST(DecodeFdinfo, FanotifyFlagsAndMarks) {
  auto f = decode_fdinfo_facts(FdKind::Fanotify,
                               "pos:\t0\nfanotify flags:0 event-flags:8000\n"
                               "fanotify ino:3c51a sdev:fe00000 mflags:0 mask:20 ignored_mask:0 "
                               "fhandle-bytes:8 fhandle-type:1 f_handle:1ac5030000000000\n"
                               "fanotify mnt_id:1c mflags:0 mask:8 ignored_mask:0\n");
  EXPECT_EQ(find(f, "init_flags")->text, "0");
  EXPECT_EQ(find(f, "event_flags")->text, "0100000");
  const Fact* m = find(f, "marks");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->items.size(), 2u);
  EXPECT_EQ(find(m->items[0], "type")->text, "inode");
  EXPECT_EQ(find(m->items[0], "mask")->text, "FAN_OPEN");
  EXPECT_EQ(find(m->items[1], "type")->text, "mount");
  EXPECT_EQ(find(m->items[1], "mnt_id")->u, 0x1cu);
  EXPECT_EQ(find(m->items[1], "mask")->text, "FAN_CLOSE_WRITE");
}

TEST(DecodeFdinfo, PidfdPidAndExitedPid) {
  auto f = decode_fdinfo_facts(FdKind::PidFd, "pos:\t0\nPid:\t7055\nNSpid:\t7055\n");
  EXPECT_EQ(find(f, "pid")->i, 7055);
  EXPECT_EQ(find(f, "nspid")->text, "7055");
  auto g = decode_fdinfo_facts(FdKind::PidFd, "Pid:\t-1\nNSpid:\t-1\n");
  EXPECT_EQ(find(g, "pid")->i, -1);
}

TEST(DecodeFdinfo, BpfMapTypeIsNamed) {
  auto f = decode_fdinfo_facts(FdKind::BpfMap,
                               "pos:\t0\nmap_type:\t27\nkey_size:\t0\nvalue_size:\t0\nmax_entries:\t4096\n"
                               "map_flags:\t0x0\nmap_extra:\t0x0\nmemlock:\t8192\nmap_id:\t12\nfrozen:\t0\n");
  EXPECT_EQ(find(f, "map_type")->i, 27);
  EXPECT_EQ(find(f, "map_type_name")->text, "ringbuf");
  EXPECT_EQ(find(f, "max_entries")->i, 4096);
  EXPECT_EQ(find(f, "map_flags")->text, "0x0");
  EXPECT_EQ(find(f, "map_id")->i, 12);
}

TEST(DecodeFdinfo, IoUringSkipsEmptyHeaders) {
  auto f = decode_fdinfo_facts(FdKind::IoUring,
                               "pos:\t0\nSqMask:\t0x3\nSqHead:\t0\nSqThread:\t-1\nPollList:\nCqOverflowList:\n"
                               "NAPI:\tdisabled\n");
  EXPECT_EQ(find(f, "SqMask")->text, "0x3");
  EXPECT_EQ(find(f, "SqThread")->i, -1);
  EXPECT_EQ(find(f, "NAPI")->text, "disabled");
  EXPECT_FALSE(find(f, "PollList"));
}

TEST(DecodeFdinfo, UserfaultfdAndLocksAndTtyIndex) {
  auto u = decode_fdinfo_facts(FdKind::UserFaultFd, "pending:\t0\ntotal:\t2\nAPI:\taa:0:80000000000001ff\n");
  EXPECT_EQ(find(u, "total")->i, 2);
  EXPECT_EQ(find(u, "API")->text, "aa:0:80000000000001ff");
  auto l = decode_fdinfo_facts(FdKind::Regular,
                               "pos:\t0\nflags:\t0100002\nmnt_id:\t28\nino:\t5\n"
                               "lock:\t1: POSIX  ADVISORY  WRITE 1234 fe:00:5 0 EOF\n");
  const Fact* locks = find(l, "locks");
  ASSERT_TRUE(locks);
  ASSERT_EQ(locks->items.size(), 1u);
  EXPECT_EQ(locks->items[0][0].text, "1: POSIX  ADVISORY  WRITE 1234 fe:00:5 0 EOF");
  auto p = decode_fdinfo_facts(FdKind::PtyMaster, "pos:\t0\ntty-index:\t4\n");
  EXPECT_EQ(find(p, "tty_index")->i, 4);
}

TEST(DecoderNames, SignalsClocksAndMasks) {
  EXPECT_EQ(signal_set_text(0), "");
  EXPECT_EQ(signal_set_text(1ull << 8), "SIGKILL");  // bit 8 = signal 9
  EXPECT_EQ(signal_set_text(1ull << 33), "SIGRT2");
  EXPECT_EQ(clock_id_name(7), "CLOCK_BOOTTIME");
  EXPECT_EQ(clock_id_name(10), "");
  EXPECT_EQ(epoll_events_text(0), "0");
  EXPECT_EQ(epoll_events_text(0x100000), "0x100000");
  EXPECT_EQ(inotify_mask_text(0x40000100), "IN_CREATE|IN_ISDIR");
  EXPECT_EQ(bpf_prog_type_name(1), "socket_filter");
  EXPECT_EQ(bpf_map_type_name(999), "");
}

TEST(FactText, ListsRenderAsRecords) {
  Fact f = Fact::list("targets", {{Fact::num("tfd", 3), Fact::str("events", "EPOLLIN")}});
  EXPECT_EQ(f.value_text(), "{tfd=3,events=EPOLLIN}");
  EXPECT_EQ(Fact::unum("x", 5, "ns").value_text(), "5ns");
}

}  // namespace
}  // namespace fdscope
