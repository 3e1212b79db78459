// libFuzzer target for relay's address parser (nestlex, the "!!" split,
// keyword/parameter/option resolution and every option value type).  It
// registers its own small tables -- one address type per parameter form and
// one option per value type -- so it links only the parser sources, which
// run_fuzz.sh compiles with clang++ -fsanitize=fuzzer,address,undefined.
// Besides crashes and sanitizer reports it checks the parser's promises: a
// successful parse has a type, a parameter count within the type's range and
// only options the type accepts; parsing is deterministic.
#include <fcntl.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/address_parser.hpp"
#include "core/address_type.hpp"
#include "core/option.hpp"

namespace {

using namespace relay;

fdscope::Result<Endpoint> never_opened(const AddressSpec&, OpenContext&) {
  std::abort();  // the parser must never open anything
}

fdscope::Status check_even(const OptionDesc&, const OptValue& v) {
  if (v.text.size() % 2 != 0) return fdscope::plain_error("odd length");
  return {};
}

const AddressType kTypes[] = {
    {.keyword = "STDIO", .aliases = {"-"}, .min_params = 0, .max_params = 0, .usage = "STDIO",
     .dir = Dir::ReadWrite, .groups = grp::FD | grp::TERMIOS, .open = never_opened},
    {.keyword = "FD", .aliases = {}, .min_params = 1, .max_params = 1, .usage = "FD:<fdnum>",
     .dir = Dir::ReadWrite, .groups = grp::FD, .open = never_opened},
    {.keyword = "GOPEN", .aliases = {}, .min_params = 1, .max_params = 1, .usage = "GOPEN:<filename>",
     .dir = Dir::ReadWrite, .groups = grp::FD | grp::OPEN | grp::NAMED, .open = never_opened},
    {.keyword = "PIPE", .aliases = {"ECHO"}, .min_params = 0, .max_params = 1, .usage = "PIPE[:<filename>]",
     .dir = Dir::ReadWrite, .groups = grp::FD | grp::NAMED, .open = never_opened},
    {.keyword = "TCP4-CONNECT", .aliases = {"TCP4"}, .min_params = 2, .max_params = 2,
     .usage = "TCP4-CONNECT:<host>:<port>", .dir = Dir::ReadWrite, .groups = grp::FD | grp::SOCKET,
     .open = never_opened},
    {.keyword = "SOCKET-DATAGRAM", .aliases = {}, .min_params = 4, .max_params = 4,
     .usage = "SOCKET-DATAGRAM:<domain>:<type>:<protocol>:<remote-address>", .dir = Dir::ReadWrite,
     .groups = grp::SOCKET, .open = never_opened},
    {.keyword = "STDIN", .aliases = {}, .min_params = 0, .max_params = 0, .usage = "STDIN", .dir = Dir::Read,
     .groups = grp::FD, .open = never_opened},
    {.keyword = "SECRET", .aliases = {}, .min_params = 0, .max_params = 3, .usage = "SECRET[:a[:b[:c]]]",
     .dir = Dir::Write, .groups = grp::FD, .open = never_opened, .flags = addrflag::Experimental},
};

const OptionDesc kOptions[] = {
    {.name = "bool", .aliases = {"b"}, .groups = grp::FD, .type = OptType::Bool},
    {.name = "int", .aliases = {}, .groups = grp::FD, .type = OptType::Int},
    {.name = "uint", .aliases = {}, .groups = grp::FD, .type = OptType::Uint},
    {.name = "size", .aliases = {}, .groups = grp::FD, .type = OptType::Size},
    {.name = "double", .aliases = {}, .groups = grp::SOCKET, .type = OptType::Double},
    {.name = "string", .aliases = {}, .groups = grp::NAMED, .type = OptType::String},
    {.name = "timeval", .aliases = {}, .groups = grp::SOCKET, .type = OptType::Timeval},
    {.name = "mode", .aliases = {"perm"}, .groups = grp::NAMED, .type = OptType::Mode},
    {.name = "uid", .aliases = {}, .groups = grp::FD, .type = OptType::Uid},
    {.name = "gid", .aliases = {}, .groups = grp::FD, .type = OptType::Gid},
    {.name = "const", .aliases = {}, .groups = grp::TERMIOS, .type = OptType::Const, .arg1 = 7},
    {.name = "byte", .aliases = {}, .groups = grp::TERMIOS, .type = OptType::Byte},
    {.name = "linger", .aliases = {}, .groups = grp::SOCKET, .type = OptType::Linger},
    {.name = "custom", .aliases = {}, .groups = grp::OPEN, .type = OptType::Custom, .check = check_even},
    {.name = "appl", .aliases = {}, .groups = grp::APPL, .type = OptType::Bool},
};

const AddressTypeRegistrar kRegTypes(kTypes);
const OptionTableRegistrar kRegOptions(kOptions);

void check_spec(const AddressSpec& s, bool groups_checked) {
  if (s.type == nullptr) std::abort();
  int n = static_cast<int>(s.params.size());
  if (n < s.type->min_params || n > s.type->max_params) std::abort();
  for (const OptionSetting& o : s.options) {
    if (o.desc == nullptr) std::abort();
    if (groups_checked && !s.type->accepts(*o.desc)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // First byte: settings; the rest: the address text.
  ParseSettings s;
  s.check_groups = (data[0] & 1) == 0;
  s.experimental = (data[0] & 2) != 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto a = parse_address_arg(text, s);
  auto b = parse_address_arg(text, s);
  if (a.ok() != b.ok()) std::abort();
  if (!a.ok()) {
    if (a.error().message() != b.error().message()) std::abort();
    return 0;
  }
  check_spec(a->first, s.check_groups);
  if (a->dual) check_spec(a->second, s.check_groups);
  return 0;
}
