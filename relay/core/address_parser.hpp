// The address parser: turns one command-line address argument into a
// validated AddressArg, like socat's xioopen/nestlex:
//   KEYWORD[:param[:param...]][,option[=value][,...]]   or  ADDR!!ADDR
// Quotes "..." '...', backslash escapes and (...) [...] {...} nesting keep
// ':' ',' and '!!' inside them from splitting (quotes and backslashes are
// removed, brackets kept).  Keywords and option names are case-insensitive.
// A bare number is FD:n, a first token containing '/' is GOPEN:token, and
// "-" is STDIO.  Everything is checked here -- keyword, parameter count,
// option names, option groups (unless -g) and option values -- so main can
// validate both addresses before opening either.  Error texts are socat's:
//   unknown device/address "FOO"
//   unknown option "x"
//   option "x" not supported with this address type
//   TCP4: wrong number of parameters (1 instead of 2): usage: TCP4-CONNECT:<host>:<port>
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/address_type.hpp"
#include "fdscope/result.hpp"

namespace relay {

struct ParseSettings {
  bool check_groups = true;   // false with -g
  bool experimental = false;  // --experimental: allow addrflag::Experimental types
};

fdscope::Result<AddressArg> parse_address_arg(std::string_view text, const ParseSettings& s = {});
// One address without "!!".
fdscope::Result<AddressSpec> parse_address(std::string_view text, const ParseSettings& s = {});

}  // namespace relay
