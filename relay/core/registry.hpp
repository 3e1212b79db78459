// The address and option registry: every AddressType and OptionDesc table
// registered by a static initialiser (AddressTypeRegistrar /
// OptionTableRegistrar) is collected here and, at first use, sorted and
// indexed by every name and alias (lower-cased).  relay_core is linked as a
// whole archive, so every table file's registrar runs before main().
//
// Listing is sorted (keywords upper-case A-Z, options a-z) so `relay -h`,
// `relay -hhh` and the man-page test see the same, stable order.
//
// To add an address type or option group see address_type.hpp and
// option.hpp; nothing here needs to change.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/address_type.hpp"
#include "core/option.hpp"

namespace relay::registry {

// All address types, sorted by canonical keyword.
const std::vector<const AddressType*>& address_types();
// All options, sorted by canonical name.
const std::vector<const OptionDesc*>& options();

// Case-insensitive lookup by keyword or alias; nullptr when unknown.
const AddressType* find_address(std::string_view keyword);
// Case-insensitive lookup by option name or alias; nullptr when unknown.
const OptionDesc* find_option(std::string_view name);

// Names that are registered twice (two tables claiming one keyword, alias or
// option name), as "keyword FOO" / "option foo".  Empty when consistent;
// the registry test asserts that.
std::vector<std::string> duplicates();

// Used by the registrars.
void add_address_types(std::span<const AddressType> table);
void add_options(std::span<const OptionDesc> table);

}  // namespace relay::registry
