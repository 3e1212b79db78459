// Unit tests for capability decoding (common/src/proc_caps.cpp): bit numbers
// map to the <linux/capability.h> names, unknown high bits become cap_N, and
// the five sets come out of status in a fixed order.
#include <gtest/gtest.h>

#include "fdscope/proc_caps.hpp"

using namespace fdscope;

TEST(ProcCaps, TableMatchesKernelNumbering) {
  auto names = capability_names();
  ASSERT_EQ(names.size(), 41u);
  EXPECT_STREQ(names[0], "cap_chown");
  EXPECT_STREQ(names[21], "cap_sys_admin");
  EXPECT_STREQ(names[24], "cap_sys_resource");
  EXPECT_STREQ(names[39], "cap_bpf");
  EXPECT_STREQ(names[40], "cap_checkpoint_restore");
}

TEST(ProcCaps, DecodesMaskInBitOrderAndNamesUnknownBits) {
  EXPECT_TRUE(decode_caps(0).empty());
  EXPECT_EQ(decode_caps((1ull << 1) | (1ull << 10) | (1ull << 21)),
            (std::vector<std::string>{"cap_dac_override", "cap_net_bind_service", "cap_sys_admin"}));
  EXPECT_EQ(decode_caps((1ull << 41) | (1ull << 63)), (std::vector<std::string>{"cap_41", "cap_63"}));
  auto all = decode_caps(0x000001fffeffffffull);
  EXPECT_EQ(all.size(), 40u);
  EXPECT_EQ(std::find(all.begin(), all.end(), "cap_sys_resource"), all.end());
}

TEST(ProcCaps, FiveSetsFromStatusInFixedOrder) {
  auto st = ProcStatus::parse(
      "CapInh:\t0000000000000001\nCapPrm:\t0000000000000002\nCapEff:\t0000000000000004\n"
      "CapBnd:\t000003ffffffffff\nCapAmb:\t0000000000000000\n");
  auto sets = caps_from_status(st);
  ASSERT_TRUE(sets.ok()) << sets.error().message();
  ASSERT_EQ(sets->size(), 5u);
  EXPECT_STREQ((*sets)[0].key, "inheritable");
  EXPECT_EQ((*sets)[0].mask, 1u);
  EXPECT_STREQ((*sets)[2].key, "effective");
  EXPECT_EQ((*sets)[2].mask, 4u);
  EXPECT_STREQ((*sets)[3].status_key, "CapBnd");
  EXPECT_EQ((*sets)[3].mask, 0x3ffffffffffull);
  EXPECT_STREQ((*sets)[4].key, "ambient");
}

TEST(ProcCaps, MissingOrMalformedSetIsAnError) {
  EXPECT_FALSE(caps_from_status(ProcStatus::parse("CapInh:\t0\n")).ok());
  EXPECT_FALSE(caps_from_status(ProcStatus::parse(
                   "CapInh:\tzz\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n"))
                   .ok());
}
