// man/relay.1 documents every address keyword, every alias and every
// option name and alias in the registry, so the page cannot drift from the
// tables (the --help side is checked by the man.relay test).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/registry.hpp"

namespace {

std::set<std::string> man_tokens() {
  std::ifstream in(std::string(FDSCOPE_SOURCE_DIR) + "/man/relay.1");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  // roff escapes: "\-" is a hyphen, \fB \fI \fP \fR switch fonts.
  text = std::regex_replace(text, std::regex(R"(\\-)"), "-");
  text = std::regex_replace(text, std::regex(R"(\\f[BIPR])"), " ");
  std::set<std::string> tokens;
  std::regex word(R"([A-Za-z0-9_][A-Za-z0-9_-]*|-)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator(); ++it)
    tokens.insert(it->str());
  return tokens;
}

}  // namespace

TEST(ManPage, DocumentsEveryAddressKeywordAndAlias) {
  auto tokens = man_tokens();
  ASSERT_GT(tokens.size(), 100u) << "man/relay.1 missing or empty";
  for (const relay::AddressType* t : relay::registry::address_types()) {
    EXPECT_TRUE(tokens.count(std::string(t->keyword))) << t->keyword;
    for (auto a : t->aliases)
      if (!a.empty()) EXPECT_TRUE(tokens.count(std::string(a))) << a << " (alias of " << t->keyword << ")";
  }
}

TEST(ManPage, DocumentsEveryOptionAndAlias) {
  auto tokens = man_tokens();
  for (const relay::OptionDesc* o : relay::registry::options()) {
    EXPECT_TRUE(tokens.count(std::string(o->name))) << o->name;
    for (auto a : o->aliases)
      if (!a.empty()) EXPECT_TRUE(tokens.count(std::string(a))) << a << " (alias of " << o->name << ")";
  }
}
