// Unit tests for the /proc/PID/cgroup parser (common/src/proc_cgroup.cpp): a
// mixed v1 + v2 machine like this one, named hierarchies and colons in paths.
#include <gtest/gtest.h>

#include "fdscope/proc_cgroup.hpp"

using namespace fdscope;

TEST(ProcCgroup, MixedV1AndV2Hierarchies) {
  auto r = parse_proc_cgroup(
      "9:name=systemd:/\n"
      "4:memory:/process_api/05b04e\n"
      "2:cpu,cpuacct:/user.slice\n"
      "0::/init.scope\n");
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].hierarchy, 9u);
  EXPECT_EQ((*r)[0].controllers, (std::vector<std::string>{"name=systemd"}));
  EXPECT_FALSE((*r)[0].v2());
  EXPECT_EQ((*r)[1].path, "/process_api/05b04e");
  EXPECT_EQ((*r)[2].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
  EXPECT_TRUE((*r)[3].v2());
  EXPECT_EQ((*r)[3].path, "/init.scope");
}

TEST(ProcCgroup, PathMayContainColons) {
  auto r = parse_proc_cgroup("0::/a:b:c\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].path, "/a:b:c");
}

TEST(ProcCgroup, MalformedLinesAreErrors) {
  EXPECT_FALSE(parse_proc_cgroup("garbage\n").ok());
  EXPECT_FALSE(parse_proc_cgroup("x::/\n").ok());
}
