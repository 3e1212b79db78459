// Small tokenisers for the text files under /proc (status, stat, limits,
// cgroup): whitespace splitting, trimming and exact integer parsing.  Every
// proc_* parser uses these, so a malformed number is always a parse failure
// (std::nullopt), never a silently wrong value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fdscope {

// s without leading/trailing spaces, tabs, newlines and NULs.
std::string_view trim(std::string_view s);

// Tokens separated by runs of spaces/tabs/newlines.
std::vector<std::string_view> split_ws(std::string_view s);

// The whole of s as a number in the given base, or nullopt.
std::optional<uint64_t> parse_u64(std::string_view s, int base = 10);
std::optional<int64_t> parse_i64(std::string_view s);

// "EACCES", "ENOENT", ... for an errno value ("E?" when unknown).
std::string errno_name(int err);

}  // namespace fdscope
