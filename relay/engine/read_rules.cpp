// The registry behind ReadRules (see read_rules.hpp): a few fds at most, so
// a small vector searched linearly.  A relay process runs one transfer at a
// time (a fork server's children each run their own), so one table per
// process suffices.
#include "engine/read_rules.hpp"

#include <utility>
#include <vector>

namespace relay {

namespace {

std::vector<std::pair<int, ReadRules>>& table() {
  static std::vector<std::pair<int, ReadRules>> t;
  return t;
}

}  // namespace

ReadRules& read_rules_for(int fd) {
  for (auto& [f, r] : table())
    if (f == fd) return r;
  return table().emplace_back(fd, ReadRules{}).second;
}

ReadRules read_rules_of(int fd) {
  for (const auto& [f, r] : table())
    if (f == fd) return r;
  return {};
}

void clear_read_rules() { table().clear(); }

}  // namespace relay
