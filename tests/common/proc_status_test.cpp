// Unit tests for ProcStatus (common/src/proc_status.cpp) and the readers that
// interpret it: credentials (proc_creds), umask, no_new_privs and seccomp
// (proc_security), on a fixture status text like the kernel prints.
#include <gtest/gtest.h>

#include "fdscope/proc_creds.hpp"
#include "fdscope/proc_security.hpp"
#include "fdscope/proc_status.hpp"

using namespace fdscope;

namespace {
const char* kStatus =
    "Name:\tsleep\n"
    "Umask:\t0027\n"
    "State:\tS (sleeping)\n"
    "Uid:\t1000\t1001\t1002\t1003\n"
    "Gid:\t2000\t2001\t2002\t2003\n"
    "Groups:\t4 24 1234 \n"
    "CapInh:\t0000000000000000\n"
    "CapPrm:\t000001fffeffffff\n"
    "CapEff:\t0000000000000400\n"
    "CapBnd:\t000003ffffffffff\n"
    "CapAmb:\t0000000000000000\n"
    "NoNewPrivs:\t1\n"
    "Seccomp:\t2\n"
    "Seccomp_filters:\t3\n";
}  // namespace

TEST(ProcStatus, SplitsFieldsAndTrimsValues) {
  auto st = ProcStatus::parse(kStatus);
  ASSERT_NE(st.find("Name"), nullptr);
  EXPECT_EQ(*st.find("Name"), "sleep");
  EXPECT_EQ(*st.find("State"), "S (sleeping)");
  EXPECT_EQ(st.find("Nope"), nullptr);
}

TEST(ProcCreds, ReadsAllFourUidsAndGidsAndGroups) {
  auto c = creds_from_status(ProcStatus::parse(kStatus));
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->uid.real, 1000u);
  EXPECT_EQ(c->uid.effective, 1001u);
  EXPECT_EQ(c->uid.saved, 1002u);
  EXPECT_EQ(c->uid.fs, 1003u);
  EXPECT_EQ(c->gid.real, 2000u);
  EXPECT_EQ(c->gid.fs, 2003u);
  EXPECT_EQ(c->groups, (std::vector<uint32_t>{4, 24, 1234}));
}

TEST(ProcCreds, EmptyGroupsFieldMeansNoGroups) {
  auto c = creds_from_status(ProcStatus::parse("Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t \n"));
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->groups.empty());
}

TEST(ProcCreds, MalformedOrMissingIdsAreErrorsNotZero) {
  EXPECT_FALSE(creds_from_status(ProcStatus::parse("Uid:\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\n")).ok());
  EXPECT_FALSE(creds_from_status(ProcStatus::parse("Uid:\t0\tx\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\n")).ok());
  EXPECT_FALSE(creds_from_status(ProcStatus::parse("Gid:\t0\t0\t0\t0\nGroups:\n")).ok());
}

TEST(ProcCreds, UmaskIsOctal) {
  auto m = umask_from_status(ProcStatus::parse(kStatus));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, 027u);
  EXPECT_FALSE(umask_from_status(ProcStatus::parse("Umask:\t0089\n")).ok());
  EXPECT_FALSE(umask_from_status(ProcStatus::parse("Name:\tx\n")).ok());
}

TEST(ProcSecurity, NoNewPrivsAndSeccompFilters) {
  auto st = ProcStatus::parse(kStatus);
  auto nnp = no_new_privs_from_status(st);
  ASSERT_TRUE(nnp.ok());
  EXPECT_TRUE(*nnp);
  auto sc = seccomp_from_status(st);
  ASSERT_TRUE(sc.ok());
  EXPECT_EQ(sc->mode, 2u);
  EXPECT_EQ(seccomp_mode_name(sc->mode), "filter");
  ASSERT_TRUE(sc->filters.has_value());
  EXPECT_EQ(*sc->filters, 3u);
}

TEST(ProcSecurity, OldKernelWithoutFilterCountHasNoCount) {
  auto sc = seccomp_from_status(ProcStatus::parse("Seccomp:\t0\n"));
  ASSERT_TRUE(sc.ok());
  EXPECT_EQ(seccomp_mode_name(sc->mode), "disabled");
  EXPECT_FALSE(sc->filters.has_value());
  EXPECT_EQ(seccomp_mode_name(1), "strict");
  EXPECT_EQ(seccomp_mode_name(7), "mode 7");
  EXPECT_FALSE(no_new_privs_from_status(ProcStatus::parse("NoNewPrivs:\t2\n")).ok());
}
