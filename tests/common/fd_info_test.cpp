// Unit tests for the fd model (common/include/fdscope/fd_info.hpp): the
// heap-held optional that keeps FdInfo small behaves like std::optional
// (copies are deep, assignment fills or replaces, reset empties).
#include "fdscope/fd_info.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <utility>

namespace fdscope {
namespace {

TEST(HeapOptional, BehavesLikeOptionalWithDeepCopies) {
  HeapOptional<SocketInfo> a;
  EXPECT_FALSE(a);
  EXPECT_FALSE(a.has_value());
  EXPECT_THROW((void)a.value(), std::bad_optional_access);
  SocketInfo s;
  s.family = AF_INET;
  s.congestion = "cubic";
  a = s;
  ASSERT_TRUE(a);
  EXPECT_EQ(a->congestion, "cubic");
  HeapOptional<SocketInfo> b = a;  // deep: b is its own copy
  b->congestion = "bbr";
  EXPECT_EQ(a->congestion, "cubic");
  EXPECT_EQ((*b).congestion, "bbr");
  b = a;
  EXPECT_EQ(b->congestion, "cubic");
  HeapOptional<SocketInfo> c = std::move(b);
  EXPECT_TRUE(c);
  EXPECT_EQ(c.value().family, AF_INET);
  c.reset();
  EXPECT_FALSE(c);
  c.emplace().state = 1;
  EXPECT_EQ(c->state, 1u);
  c = std::nullopt;
  EXPECT_FALSE(c);
  HeapOptional<SocketInfo> empty;
  a = empty;
  EXPECT_FALSE(a);
}

TEST(HeapOptional, KeepsFdInfoSmall) {
  // Socket facts no longer sit inside every record.
  EXPECT_LT(sizeof(FdInfo), sizeof(SocketInfo) + 200);
  FdInfo f;
  EXPECT_FALSE(f.sock);
  f.sock.emplace().family = AF_UNIX;
  FdInfo g = f;
  g.sock->family = AF_INET;
  EXPECT_EQ(f.sock->family, AF_UNIX);
}

}  // namespace
}  // namespace fdscope
