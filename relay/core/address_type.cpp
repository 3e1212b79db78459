// Address type descriptors and parsed address specs: the small helpers
// behind address_type.hpp (direction names, keyword matching, option
// lookup in a spec, table registration).
#include "core/address_type.hpp"

#include <cctype>

#include "core/registry.hpp"

namespace relay {

std::string_view dir_name(Dir d) {
  switch (d) {
    case Dir::Read: return "r";
    case Dir::Write: return "w";
    case Dir::ReadWrite: return "rw";
  }
  return "?";
}

namespace {
bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}
}  // namespace

bool AddressType::matches(std::string_view kw) const {
  if (iequal(kw, keyword)) return true;
  for (std::string_view a : aliases)
    if (!a.empty() && iequal(kw, a)) return true;
  return false;
}

const OptionSetting* AddressSpec::find(std::string_view name) const {
  for (auto it = options.rbegin(); it != options.rend(); ++it)
    if (it->desc != nullptr && it->desc->name == name) return &*it;
  return nullptr;
}

AddressTypeRegistrar::AddressTypeRegistrar(std::span<const AddressType> table) {
  registry::add_address_types(table);
}

}  // namespace relay
