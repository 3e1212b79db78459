// cr / crnl conversion rules (relay/engine/line_term.cpp), as socat's
// cv_newline(): each pair of conventions, both ways.
#include "engine/line_term.hpp"

#include <gtest/gtest.h>

#include <string>

using relay::LineTerm;

namespace {

std::string conv(const std::string& in, LineTerm from, LineTerm to) {
  std::string out(2 * in.size() + 1, '\0');
  size_t n = relay::convert_line_terms(in.data(), in.size(), out.data(), from, to);
  out.resize(n);
  return out;
}

}  // namespace

TEST(LineTermTest, SameConventionCopies) { EXPECT_EQ(conv("a\r\nb\n", LineTerm::CrNl, LineTerm::CrNl), "a\r\nb\n"); }

TEST(LineTermTest, RawToCrSwapsLfForCr) { EXPECT_EQ(conv("a\nb\r", LineTerm::None, LineTerm::Cr), "a\rb\r"); }

TEST(LineTermTest, CrToRawSwapsCrForLf) { EXPECT_EQ(conv("a\rb\n", LineTerm::Cr, LineTerm::None), "a\nb\n"); }

TEST(LineTermTest, RawToCrNlExpandsLf) { EXPECT_EQ(conv("a\nb\n\n", LineTerm::None, LineTerm::CrNl), "a\r\nb\r\n\r\n"); }

TEST(LineTermTest, CrToCrNlExpandsCr) { EXPECT_EQ(conv("a\rb", LineTerm::Cr, LineTerm::CrNl), "a\r\nb"); }

TEST(LineTermTest, CrNlToRawDropsEveryCr) { EXPECT_EQ(conv("a\r\nb\rc\n", LineTerm::CrNl, LineTerm::None), "a\nbc\n"); }

TEST(LineTermTest, CrNlToCrDropsCrAndMapsLf) { EXPECT_EQ(conv("a\r\nb\n", LineTerm::CrNl, LineTerm::Cr), "a\rb\r"); }

TEST(LineTermTest, OnlyCrsBecomeNothing) { EXPECT_EQ(conv("\r\r\r", LineTerm::CrNl, LineTerm::None), ""); }
