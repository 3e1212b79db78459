// Address types: the descriptor of one kind of address (keyword, aliases,
// parameter form, direction, option groups, open function) and what the
// parser produces from the user's text (AddressSpec).
//
// HOW TO ADD AN ADDRESS TYPE (e.g. TCP4-CONNECT):
//   Write one file relay/addr/<type>.cpp (or relay/net/ for socket plumbing)
//   with its open function and a table row, and register it:
//
//     namespace {
//     fdscope::Result<relay::Endpoint> open_tcp4(const relay::AddressSpec& a,
//                                                relay::OpenContext& ctx) {
//       // a.params[0] is the host, a.params[1] the port (count already checked)
//       // ctx.apply_phase(Phase::PASTSOCKET, fd) etc. at each step
//       ...
//     }
//     const relay::AddressType kTcp4[] = {
//       {.keyword = "TCP4-CONNECT", .aliases = {"TCP4", "INET4"},
//        .min_params = 2, .max_params = 2, .usage = "TCP4-CONNECT:<host>:<port>",
//        .dir = Dir::ReadWrite,
//        .groups = grp::FD | grp::SOCKET | grp::SOCK_IP4 | grp::IP_TCP | grp::CHILD | grp::RETRY,
//        .open = &open_tcp4, .summary = "TCP client over IPv4"},
//     };
//     const relay::AddressTypeRegistrar kReg(kTcp4);
//     }
//
//   Keywords are upper-case and unique over all tables (a registry test
//   checks); matching is case-insensitive.  The parser checks the parameter
//   count and that every option belongs to .groups (or grp::ALWAYS) before
//   any address is opened; the open function never sees a bad option.
//   man/relay.1 must document every keyword and alias (the man test checks).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/endpoint.hpp"
#include "core/option.hpp"
#include "fdscope/result.hpp"

namespace relay {

class OpenContext;

// Data direction of an address (socat's XIO_RDONLY / XIO_WRONLY / XIO_RDWR).
enum class Dir : uint8_t { Read = 1, Write = 2, ReadWrite = 3 };
inline bool has_read(Dir d) { return (static_cast<unsigned>(d) & 1u) != 0; }
inline bool has_write(Dir d) { return (static_cast<unsigned>(d) & 2u) != 0; }
std::string_view dir_name(Dir d);  // "r", "w", "rw"

// One option as written in an address, resolved to its descriptor.
struct OptionSetting {
  const OptionDesc* desc = nullptr;
  std::string written;  // the name as the user wrote it ("SO-REUSEADDR")
  OptValue value;
};

struct AddressType;

// A parsed, validated address: what an open function receives.
struct AddressSpec {
  std::string text;                   // the address as written (one side of "!!")
  const AddressType* type = nullptr;
  std::string keyword;                // as written ("tcp4"), or "" for implicit FD/GOPEN/STDIO
  std::vector<std::string> params;    // unquoted parameters after the keyword
  std::vector<OptionSetting> options; // in the order written

  // The last setting of an option by canonical name (later ones override
  // earlier ones, as in socat), or nullptr.
  const OptionSetting* find(std::string_view name) const;
};

using OpenFn = fdscope::Result<Endpoint> (*)(const AddressSpec&, OpenContext&);

// Flags of an address type.
namespace addrflag {
inline constexpr uint32_t Experimental = 1u << 0;  // needs --experimental
inline constexpr uint32_t NoFork = 1u << 1;        // never a forking server
}  // namespace addrflag

struct AddressType {
  std::string_view keyword;                   // canonical, upper-case: "TCP4-CONNECT"
  std::array<std::string_view, 6> aliases{};  // "TCP4", "INET4"; unused slots empty
  int min_params = 0;                         // ':'-separated parameters
  int max_params = 0;
  std::string_view usage;                     // "TCP4-CONNECT:<host>:<port>" (errors, -h)
  Dir dir = Dir::ReadWrite;
  uint64_t groups = 0;                        // grp:: mask of accepted option groups
  OpenFn open = nullptr;
  std::string_view summary{};                 // one line for `relay -h`
  uint32_t flags = 0;                         // addrflag::

  bool matches(std::string_view keyword_any_case) const;
  bool accepts(const OptionDesc& o) const { return (o.groups & (groups | grp::ALWAYS)) != 0; }
};

struct AddressTypeRegistrar {
  explicit AddressTypeRegistrar(std::span<const AddressType> table);
};

// One command-line address argument: a single address, or the dual form
// "READ-ADDRESS!!WRITE-ADDRESS" (read from the first, write to the second).
struct AddressArg {
  std::string text;                // the whole argument
  AddressSpec first;               // the address, or the read side of "!!"
  bool dual = false;
  AddressSpec second;              // the write side when dual
};

}  // namespace relay
