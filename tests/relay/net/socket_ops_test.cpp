// relay/net/socket_ops.cpp: socat's error texts, connect and accept
// timeouts.
#include "net/socket_ops.hpp"

#include <chrono>

#include <gtest/gtest.h>

#include "net/resolve.hpp"

using namespace relay::net;

TEST(SocketOps, ConnectRefusedHasSocatText) {
  auto fd = open_socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_TRUE(fd);
  auto to = *resolve_one({"127.0.0.1", "1", AF_INET, SOCK_STREAM, 0, false});
  auto s = connect_to(fd->get(), to, 0);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(),
            "connect(" + std::to_string(fd->get()) + ", AF=2 127.0.0.1:1, 16): Connection refused");
}

TEST(SocketOps, ConnectTimeoutBoundsTheWait) {
  // A listener whose accept queue is full drops SYNs: connects hang.
  auto l = open_socket(AF_INET, SOCK_STREAM, 0);
  auto any = *resolve_one({"127.0.0.1", "0", AF_INET, SOCK_STREAM, 0, true});
  ASSERT_TRUE(bind_to(l->get(), any));
  ASSERT_TRUE(listen_on(l->get(), 0));
  SockAddr where = *local_addr(l->get());
  std::vector<fdscope::UniqueFd> fill;
  bool timed_out = false;
  for (int i = 0; i < 8 && !timed_out; ++i) {
    auto c = open_socket(AF_INET, SOCK_STREAM, 0);
    auto t0 = std::chrono::steady_clock::now();
    auto s = connect_to(c->get(), where, 0.3);
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!s) {
      EXPECT_EQ(s.error().err, ETIMEDOUT);
      EXPECT_LT(took, 2.0);
      timed_out = true;
    }
    fill.push_back(std::move(*c));
  }
  EXPECT_TRUE(timed_out);
}

TEST(SocketOps, AcceptTimeoutAndAcceptedAddresses) {
  auto l = open_socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_TRUE(bind_to(l->get(), *resolve_one({"127.0.0.1", "0", AF_INET, SOCK_STREAM, 0, true})));
  ASSERT_TRUE(listen_on(l->get(), 5));
  auto none = accept_on(l->get(), 0.05);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().err, ETIMEDOUT);

  SockAddr where = *local_addr(l->get());
  auto c = open_socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_TRUE(connect_to(c->get(), where, 1));
  auto acc = accept_on(l->get(), 1);
  ASSERT_TRUE(acc) << acc.error().message();
  EXPECT_EQ(acc->local.port(), where.port());
  EXPECT_EQ(acc->peer.port(), local_addr(c->get())->port());
}
