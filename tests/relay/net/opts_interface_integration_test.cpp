// The iff-* options of net/opts_interface.cpp through the relay binary: in a
// network namespace of the test's own, one end of a veth pair is opened as
// an INTERFACE address with flags to set and to clear, and the interface's
// flags are read back with SIOCGIFFLAGS after relay is done (they outlive
// it).  Without options the flags stay as they were.
#include <net/if.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "netns_harness.hpp"
#include "relay_harness.hpp"

using namespace relay_test;

#define NEED_RELAY() \
  if (!have_relay()) GTEST_SKIP() << "relay binary not built (" << relay_path() << ")"

namespace {

constexpr int kNoVeth = 150;

// Opens INTERFACE:v0 with the options, relaying from /dev/null (so relay
// ends at once), and returns v0's flags afterwards (negative: failed).
int flags_after(const std::string& options) {
  auto r = start_relay({"-u", "/dev/null", "INTERFACE:v0" + options});
  if (r.wait_exit() != 0) {
    std::fputs(r.log.c_str(), stderr);
    return -1;
  }
  return if_flags("v0");
}

}  // namespace

TEST(RelayInterfaceFlags, SetsAndClearsTheFlagsOfTheInterface) {
  NEED_RELAY();
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespace, CAP_NET_ADMIN)";
  int rc = run_in_netns([] {
    if (std::system("ip link add v0 type veth peer name v1 >/dev/null 2>&1") != 0) return kNoVeth;
    int before = if_flags("v0");
    if (before < 0 || (before & IFF_UP) || !(before & IFF_MULTICAST)) return 1;
    if (flags_after("") != before) return 2;
    int after = flags_after(",iff-up,iff-promisc,noarp,iff-allmulti,iff-debug,iff-multicast=0");
    if (after < 0) return 3;
    unsigned want_on = IFF_UP | IFF_PROMISC | IFF_NOARP | IFF_ALLMULTI | IFF_DEBUG;
    if ((static_cast<unsigned>(after) & want_on) != want_on) return std::fprintf(stderr, "flags 0x%x\n", after), 4;
    if (after & IFF_MULTICAST) return 5;
    // Later settings win: up then up=0 leaves it down again.
    int down = flags_after(",iff-up,iff-up=0,iff-promisc=0");
    if (down < 0 || (down & IFF_UP) || (down & IFF_PROMISC)) return 6;
    return 0;
  });
  if (rc == kNoNamespace) GTEST_SKIP() << "cannot create a network namespace";
  if (rc == kNoVeth) GTEST_SKIP() << "cannot create a veth pair";
  EXPECT_EQ(rc, 0) << "1: unexpected initial flags, 2: no options changed flags, 3: relay failed, "
                      "4: a flag was not set, 5: multicast=0 not cleared, 6: a later =0 did not win";
}
