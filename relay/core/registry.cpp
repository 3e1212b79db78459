// The registry behind registry.hpp: tables arrive from static initialisers
// in any order; the first lookup sorts them and builds one name index per
// kind (keywords and aliases upper-cased, option names lower-cased).  The
// storage is function-local static, so registration order between
// translation units does not matter.
#include "core/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

namespace relay::registry {

namespace {

struct Store {
  std::vector<std::span<const AddressType>> address_tables;
  std::vector<std::span<const OptionDesc>> option_tables;
  bool built = false;
  std::vector<const AddressType*> addresses;
  std::vector<const OptionDesc*> options;
  std::map<std::string, const AddressType*, std::less<>> address_index;
  std::map<std::string, const OptionDesc*, std::less<>> option_index;
  std::vector<std::string> duplicates;
};

Store& store() {
  static Store s;
  return s;
}

std::string upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}
std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

Store& built() {
  Store& s = store();
  if (s.built) return s;
  s.addresses.clear();
  s.options.clear();
  s.address_index.clear();
  s.option_index.clear();
  s.duplicates.clear();
  for (auto table : s.address_tables)
    for (const AddressType& t : table) {
      s.addresses.push_back(&t);
      auto add = [&](std::string_view name) {
        if (name.empty()) return;
        auto [it, fresh] = s.address_index.emplace(upper(name), &t);
        if (!fresh) s.duplicates.push_back(fmt::format("keyword {}", upper(name)));
      };
      add(t.keyword);
      for (auto a : t.aliases) add(a);
    }
  for (auto table : s.option_tables)
    for (const OptionDesc& o : table) {
      s.options.push_back(&o);
      auto add = [&](std::string_view name) {
        if (name.empty()) return;
        auto [it, fresh] = s.option_index.emplace(lower(name), &o);
        if (!fresh) s.duplicates.push_back(fmt::format("option {}", lower(name)));
      };
      add(o.name);
      for (auto a : o.aliases) add(a);
    }
  std::sort(s.addresses.begin(), s.addresses.end(),
            [](const AddressType* a, const AddressType* b) { return a->keyword < b->keyword; });
  std::sort(s.options.begin(), s.options.end(),
            [](const OptionDesc* a, const OptionDesc* b) { return a->name < b->name; });
  s.built = true;
  return s;
}

}  // namespace

const std::vector<const AddressType*>& address_types() { return built().addresses; }
const std::vector<const OptionDesc*>& options() { return built().options; }

const AddressType* find_address(std::string_view keyword) {
  Store& s = built();
  auto it = s.address_index.find(upper(keyword));
  return it == s.address_index.end() ? nullptr : it->second;
}

const OptionDesc* find_option(std::string_view name) {
  Store& s = built();
  auto it = s.option_index.find(lower(name));
  return it == s.option_index.end() ? nullptr : it->second;
}

std::vector<std::string> duplicates() { return built().duplicates; }

void add_address_types(std::span<const AddressType> table) {
  store().address_tables.push_back(table);
  store().built = false;
}

void add_options(std::span<const OptionDesc> table) {
  store().option_tables.push_back(table);
  store().built = false;
}

}  // namespace relay::registry
