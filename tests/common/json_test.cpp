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

// Pieces of an array made by nested writers and joined in order are the
// text one writer makes, pretty or compact, whatever the cut.
TEST(JsonWriter, NestedWritersJoinIntoTheOneWriterText) {
  for (bool pretty : {false, true}) {
    auto item = [](JsonWriter& w, int i) {
      w.begin_object().field("fd", i).key("path").value("/tmp/a \"b\"").key("v").begin_array().value(i).end_array();
      w.end_object();
    };
    std::string whole;
    {
      JsonWriter w(whole, pretty);
      w.begin_object().field("pid", 7).key("fds").begin_array();
      for (int i = 0; i < 5; ++i) item(w, i);
      w.end_array().field("after", true).end_object();
    }
    for (int cut : {0, 1, 3, 5}) {
      std::string joined;
      JsonWriter top(joined, pretty);
      top.begin_object().field("pid", 7).key("fds").begin_array();
      std::string a, b;
      JsonWriter wa(a, pretty, 2, true);
      for (int i = 0; i < cut; ++i) item(wa, i);
      JsonWriter wb(b, pretty, 2, cut == 0);
      for (int i = cut; i < 5; ++i) item(wb, i);
      joined += a;
      joined += b;
      top.mark_written();
      top.end_array().field("after", true).end_object();
      EXPECT_EQ(joined, whole) << "pretty " << pretty << " cut " << cut;
    }
  }
}

TEST(JsonWriter, PlainRunsAndNumbersAreWrittenExactly) {
  std::string out;
  JsonWriter w(out);
  w.begin_array().value("plain text, then \"quoted\\\" and a tab\tend").value(-9223372036854775807LL - 1).value(0u);
  w.end_array();
  EXPECT_EQ(out, R"(["plain text, then \"quoted\\\" and a tab\tend",-9223372036854775808,0])");
}
