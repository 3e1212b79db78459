// Unit tests for namespace link parsing and reading (common/src/proc_ns.cpp).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "fdscope/proc_ns.hpp"

using namespace fdscope;

TEST(ProcNs, ParsesLinkOfMatchingType) {
  auto n = parse_ns_link("net:[4026531840]", "net");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 4026531840u);
  auto p = parse_ns_link("pid:[4026531836]", "pid_for_children");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, 4026531836u);
}

TEST(ProcNs, RejectsWrongTypeOrShape) {
  EXPECT_FALSE(parse_ns_link("mnt:[1]", "net").ok());
  EXPECT_FALSE(parse_ns_link("net:1", "net").ok());
  EXPECT_FALSE(parse_ns_link("net:[x]", "net").ok());
  EXPECT_FALSE(parse_ns_link("net:[]", "net").ok());
}

TEST(ProcNs, OwnNamespacesMatchStatOfNsFiles) {
  auto src = ProcSource::open(getpid());
  ASSERT_TRUE(src.ok());
  auto list = read_namespaces(*src, getppid());
  ASSERT_EQ(list.size(), namespace_types().size());
  for (const auto& ns : list) {
    if (!ns.inode) continue;  // a type this kernel lacks
    struct stat sb;
    ASSERT_EQ(stat(("/proc/self/ns/" + ns.type).c_str(), &sb), 0);
    EXPECT_EQ(*ns.inode, sb.st_ino) << ns.type;
  }
}
