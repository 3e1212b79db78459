// Dump block headers and whole dump blocks (see dump.hpp).  The header's
// date part only changes once a second, so it is formatted with strftime()
// once per second per thread and reused; the rest is plain digit copying.
// The bodies live in dump_text.cpp (-v) and dump_hex.cpp (-x, -v -x).
#include <fmt/format.h>

#include <cstring>

#include "fdscope/dump.hpp"

namespace fdscope {

namespace {

struct SecondCache {
  time_t sec = -1;
  char text[32] = {};
  size_t len = 0;
};

const SecondCache& local_second(time_t sec) {
  thread_local SecondCache cache;
  if (cache.sec != sec) {
    struct tm tm;
    localtime_r(&sec, &tm);
    cache.len = strftime(cache.text, sizeof cache.text, "%Y/%m/%d %H:%M:%S", &tm);
    cache.sec = sec;
  }
  return cache;
}

}  // namespace

void append_dump_header(std::string& out, DumpDirection dir, const timespec& when, size_t length,
                        uint64_t from) {
  const SecondCache& s = local_second(when.tv_sec);
  out += dir == DumpDirection::LeftToRight ? "> " : "< ";
  out.append(s.text, s.len);
  uint64_t to = length ? from + length - 1 : from;
  fmt::format_to(std::back_inserter(out), ".{:06}  length={} from={} to={}\n",
                 static_cast<long>(when.tv_nsec / 1000), length, from, to);
}

void append_dump_block(std::string& out, DumpFormat fmt, DumpDirection dir, const timespec& when,
                       uint64_t from, const void* data, size_t len) {
  if (!fmt.any() || len == 0) return;
  append_dump_header(out, dir, when, len, from);
  if (fmt.text && fmt.hex)
    append_dump_table(out, data, len);
  else if (fmt.hex)
    append_dump_hex(out, data, len);
  else
    append_dump_text(out, data, len);
}

size_t dump_block_bound(DumpFormat fmt, size_t len) {
  constexpr size_t kHeader = 128;
  if (!fmt.any() || len == 0) return 0;
  if (fmt.text && fmt.hex) return kHeader + 52 * len + 3;  // worst case: every byte an LF
  if (fmt.hex) return kHeader + 3 * len + 1;
  return kHeader + 2 * len;
}

}  // namespace fdscope
