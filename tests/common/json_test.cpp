// JsonWriter: output must always parse, keep key order and escape everything.
#include "fdscope/json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using fdscope::JsonWriter;

TEST(JsonWriter, NestedDocumentParsesAndKeepsKeyOrder) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("b", 1).field("a", "x");
  w.key("list").begin_array().value(true).null().value(-5).value(uint64_t{18446744073709551615ULL}).end_array();
  w.key("empty").begin_object().end_object();
  w.end_object();
  EXPECT_EQ(out, R"({"b":1,"a":"x","list":[true,null,-5,18446744073709551615],"empty":{}})");
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["list"][3].get<uint64_t>(), 18446744073709551615ULL);
}

TEST(JsonWriter, EscapesControlQuotesAndInvalidUtf8) {
  std::string out;
  JsonWriter w(out);
  w.value(std::string_view("a\"b\\c\n\x01\x7f\xff\xc3\xa9", 11));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\\u007f\xEF\xBF\xBD\xC3\xA9\"");
  EXPECT_NO_THROW((void)nlohmann::json::parse(out));
}

TEST(JsonWriter, PrettyOutputIsIndentedAndParses) {
  std::string out;
  JsonWriter w(out, true);
  w.begin_object().field("k", 1).key("a").begin_array().value(2).end_array().end_object();
  EXPECT_EQ(out, "{\n  \"k\": 1,\n  \"a\": [\n    2\n  ]\n}");
  EXPECT_EQ(nlohmann::json::parse(out)["a"][0], 2);
}
