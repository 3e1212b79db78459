// Unit tests for the resource-limit table and /proc/PID/limits parser
// (common/src/proc_limits.cpp), on text in the kernel's exact layout.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include "fdscope/proc_limits.hpp"

using namespace fdscope;

namespace {
const char* kLimits =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max file size             1048576              2097152              bytes     \n"
    "Max data size             unlimited            unlimited            bytes     \n"
    "Max stack size            8388608              unlimited            bytes     \n"
    "Max core file size        0                    unlimited            bytes     \n"
    "Max resident set          unlimited            unlimited            bytes     \n"
    "Max processes             96365                96365                processes \n"
    "Max open files            100                  200                  files     \n"
    "Max locked memory         8388608              8388608              bytes     \n"
    "Max address space         unlimited            unlimited            bytes     \n"
    "Max file locks            unlimited            unlimited            locks     \n"
    "Max pending signals       96365                96365                signals   \n"
    "Max msgqueue size         819200               819200               bytes     \n"
    "Max nice priority         0                    0                    \n"
    "Max realtime priority     5                    10                   \n"
    "Max realtime timeout      1000000              2000000              us        \n";

const LimitValue& find(const std::vector<LimitValue>& v, int res) {
  for (const auto& l : v)
    if (l.info->resource == res) return l;
  throw std::runtime_error("no such limit");
}
}  // namespace

TEST(ProcLimits, TableHasAllSixteenWithSocatsTenFirst) {
  auto t = limit_table();
  ASSERT_EQ(t.size(), 16u);
  EXPECT_EQ(t[0].resource, RLIMIT_CPU);
  EXPECT_EQ(t[9].resource, RLIMIT_AS);
  EXPECT_EQ(t[15].resource, RLIMIT_RTTIME);
  // socat's unit bugs are fixed: byte limits say bytes.
  EXPECT_STREQ(t[1].label, "file size (bytes)");
  EXPECT_STREQ(t[1].unit, "bytes");
  EXPECT_STREQ(t[2].label, "data seg size (bytes)");
  EXPECT_STREQ(t[9].label, "virtual memory (bytes)");
  EXPECT_STREQ(t[15].unit, "microseconds");
}

TEST(ProcLimits, ParsesEveryRowWithUnlimitedAsNullopt) {
  auto r = parse_proc_limits(kLimits);
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->size(), 16u);
  for (const auto& l : *r) EXPECT_TRUE(l.present) << l.info->key;
  const auto& fsize = find(*r, RLIMIT_FSIZE);
  EXPECT_EQ(fsize.soft, 1048576u);
  EXPECT_EQ(fsize.hard, 2097152u);
  const auto& cpu = find(*r, RLIMIT_CPU);
  EXPECT_FALSE(cpu.soft.has_value());
  EXPECT_FALSE(cpu.hard.has_value());
  EXPECT_EQ(find(*r, RLIMIT_NOFILE).soft, 100u);
  EXPECT_EQ(find(*r, RLIMIT_NOFILE).hard, 200u);
  // Rows without a unit column, and the two "Max realtime" rows apart.
  EXPECT_EQ(find(*r, RLIMIT_RTPRIO).soft, 5u);
  EXPECT_EQ(find(*r, RLIMIT_RTPRIO).hard, 10u);
  EXPECT_EQ(find(*r, RLIMIT_RTTIME).soft, 1000000u);
  EXPECT_EQ(find(*r, RLIMIT_STACK).hard, std::nullopt);
}

TEST(ProcLimits, MissingRowsStayAbsentNotZero) {
  auto r = parse_proc_limits(
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max open files            1024                 4096                 files     \n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(find(*r, RLIMIT_NOFILE).present);
  EXPECT_FALSE(find(*r, RLIMIT_CPU).present);
}

TEST(ProcLimits, GarbageIsRejected) {
  EXPECT_FALSE(parse_proc_limits("hello\n").ok());
  EXPECT_FALSE(parse_proc_limits("Limit  Soft Hard Units\nMax open files            12x   4096  files\n").ok());
}
