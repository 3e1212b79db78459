// relay/net/child_server.cpp: every child is reaped (no zombie is left),
// max-children bounds how many run at once.
#include "net/child_server.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "relay_harness.hpp"

using relay::net::ChildServer;

TEST(ChildServer, ReapsEveryChildNoZombieLeft) {
  ChildServer cs(0);
  ASSERT_TRUE(cs.start());
  for (int i = 0; i < 5; ++i) {
    auto pid = cs.fork_child();
    ASSERT_TRUE(pid);
    if (*pid == 0) ::_exit(0);
  }
  EXPECT_EQ(cs.running(), 5u);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (cs.running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    cs.reap();
  }
  EXPECT_EQ(cs.running(), 0u);
  EXPECT_EQ(relay_test::zombies_of(::getpid()), 0);
}

TEST(ChildServer, MaxChildrenWaitsForASlot) {
  ChildServer cs(2);
  ASSERT_TRUE(cs.start());
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 2; ++i) {
    auto pid = cs.fork_child();
    ASSERT_TRUE(pid);
    if (*pid == 0) {
      ::usleep(300 * 1000);
      ::_exit(0);
    }
  }
  ASSERT_TRUE(cs.wait_for_slot());  // blocks until one of the two exits
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GE(waited, 0.25);
  EXPECT_LT(cs.running(), 2u);
  while (cs.running()) {
    ::usleep(10000);
    cs.reap();
  }
}

TEST(ChildServer, ChildGetsSigchldUnblocked) {
  ChildServer cs(0);
  ASSERT_TRUE(cs.start());
  auto pid = cs.fork_child();
  ASSERT_TRUE(pid);
  if (*pid == 0) {
    sigset_t cur;
    sigprocmask(SIG_BLOCK, nullptr, &cur);
    ::_exit(sigismember(&cur, SIGCHLD) ? 1 : 0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(*pid, &status, 0), *pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}
