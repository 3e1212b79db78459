// The registry: every table registered by the address and option files is
// listed sorted, every name is unique, lookups ignore case and find aliases,
// and each table row is well formed.
#include "core/registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

namespace reg = relay::registry;

TEST(Registry, NoNameIsRegisteredTwice) {
  auto dups = reg::duplicates();
  std::string all;
  for (auto& d : dups) all += d + "; ";
  EXPECT_TRUE(dups.empty()) << all;
}

TEST(Registry, ListsAreSortedAndNonEmpty) {
  const auto& a = reg::address_types();
  const auto& o = reg::options();
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(o.empty());
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end(), [](auto x, auto y) { return x->keyword < y->keyword; }));
  EXPECT_TRUE(std::is_sorted(o.begin(), o.end(), [](auto x, auto y) { return x->name < y->name; }));
}

TEST(Registry, LookupIgnoresCaseAndFindsAliases) {
  ASSERT_NE(reg::find_address("stdio"), nullptr);
  EXPECT_EQ(reg::find_address("-"), reg::find_address("STDIO"));
  EXPECT_EQ(reg::find_address("file"), reg::find_address("OPEN"));
  EXPECT_EQ(reg::find_address("Echo"), reg::find_address("PIPE"));
  EXPECT_EQ(reg::find_address("NOSUCH"), nullptr);
  ASSERT_NE(reg::find_option("NONBLOCK"), nullptr);
  EXPECT_EQ(reg::find_option("crlf"), reg::find_option("crnl"));
  EXPECT_EQ(reg::find_option("nosuch-option"), nullptr);
}

TEST(Registry, RowsAreWellFormed) {
  for (const relay::AddressType* t : reg::address_types()) {
    SCOPED_TRACE(std::string(t->keyword));
    EXPECT_NE(t->open, nullptr);
    EXPECT_LE(t->min_params, t->max_params);
    EXPECT_FALSE(t->usage.empty());
    EXPECT_NE(t->groups, 0u);
    for (char ch : t->keyword) EXPECT_FALSE(std::islower(static_cast<unsigned char>(ch)));
  }
  for (const relay::OptionDesc* o : reg::options()) {
    SCOPED_TRACE(std::string(o->name));
    EXPECT_NE(o->groups, 0u);
    EXPECT_FALSE(o->apply != nullptr && o->optname != 0) << "both apply function and setsockopt row";
    for (char ch : o->name) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(ch)));
  }
}

TEST(Registry, EveryOptionIsAcceptedBySomeAddressType) {
  // An option no address accepts could only be used with -g: a table bug.
  for (const relay::OptionDesc* o : reg::options()) {
    bool used = std::any_of(reg::address_types().begin(), reg::address_types().end(),
                            [&](const relay::AddressType* t) { return t->accepts(*o); });
    EXPECT_TRUE(used) << o->name;
  }
}
