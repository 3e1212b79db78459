// -c summary rendering: histogram bucket bounds, quantiles and the table/JSON
// forms.
#include "summary.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace fdscope::trace;

TEST(Histogram, BucketBoundsAreContiguous) {
  for (uint32_t b = 0; b + 1 < TRACE_HIST_BUCKETS; b++)
    EXPECT_EQ(hist_bucket_high(b), hist_bucket_low(b + 1)) << b;
  EXPECT_EQ(hist_bucket_low(4), 4u);
  EXPECT_EQ(hist_bucket_low(8), 8u);
  EXPECT_EQ(hist_bucket_low(9), 10u);
}

TEST(Histogram, QuantileInterpolatesInsideTheBucket) {
  std::vector<uint32_t> h(TRACE_HIST_BUCKETS, 0);
  h[8] = 100;  // [8, 10) ns
  EXPECT_DOUBLE_EQ(histogram_quantile(h, 0.5), 9.0);
  h[40] = 100;  // a slower mode
  EXPECT_GE(histogram_quantile(h, 0.99), static_cast<double>(hist_bucket_low(40)));
  EXPECT_LT(histogram_quantile(h, 0.5), static_cast<double>(hist_bucket_low(40)));
}

TEST(Summary, TableAndJsonCarryTheSameCounts) {
  SyscallStats s;
  s.nr = 1;  // write
  s.calls = 10;
  s.errors = 2;
  s.total_ns = 10000;
  s.hist.assign(TRACE_HIST_BUCKETS, 0);
  s.hist[30] = 10;
  std::string table, json;
  render_summary_table({s}, 5, table);
  render_summary_json({s}, 5, json);
  EXPECT_NE(table.find("write"), std::string::npos) << table;
  EXPECT_NE(table.find("5 events lost"), std::string::npos) << table;
  auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j["syscalls"][0]["syscall"], "write");
  EXPECT_EQ(j["syscalls"][0]["calls"], 10);
  EXPECT_EQ(j["syscalls"][0]["errors"], 2);
  EXPECT_EQ(j["lost"], 5);
}
