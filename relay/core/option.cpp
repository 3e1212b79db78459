// Option descriptors and values: group and phase names, and the parsing of
// an option's value text by its OptType.  Values are parsed when the command
// line is read, so a bad value is refused (quoted) before anything opens.
#include "core/option.hpp"

#include <grp.h>
#include <pwd.h>

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/registry.hpp"

namespace relay {

namespace {

struct GroupName {
  uint64_t bit;
  std::string_view name;
};
constexpr GroupName kGroupNames[] = {
    {grp::FD, "FD"},           {grp::FIFO, "FIFO"},         {grp::CHR, "CHR"},
    {grp::BLK, "BLK"},         {grp::REG, "REG"},           {grp::NAMED, "NAMED"},
    {grp::OPEN, "OPEN"},       {grp::TERMIOS, "TERMIOS"},   {grp::PTY, "PTY"},
    {grp::EXEC, "EXEC"},       {grp::FORK, "FORK"},         {grp::PARENT, "PARENT"},
    {grp::PROCESS, "PROCESS"}, {grp::APPL, "APPL"},         {grp::ADDR, "ADDR"},
    {grp::SHELL, "SHELL"},     {grp::SOCKET, "SOCKET"},     {grp::SOCK_UNIX, "UNIX"},
    {grp::SOCK_IP4, "IP4"},    {grp::SOCK_IP6, "IP6"},      {grp::IP_TCP, "TCP"},
    {grp::IP_UDP, "UDP"},      {grp::IP_SCTP, "SCTP"},      {grp::IPAPP, "IPAPP"},
    {grp::LISTEN, "LISTEN"},   {grp::CHILD, "CHILD"},       {grp::RETRY, "RETRY"},
    {grp::RANGE, "RANGE"},     {grp::INTERFACE, "INTERFACE"}, {grp::OPENSSL, "OPENSSL"},
    {grp::HTTP, "HTTP"},       {grp::IP_SOCKS, "SOCKS"},    {grp::TUN, "TUN"},
    {grp::POSIXMQ, "POSIXMQ"}, {grp::IP_DCCP, "DCCP"},      {grp::IP_UDPLITE, "UDPLITE"},
    {grp::VSOCK, "VSOCK"},
};

constexpr std::string_view kPhaseNames[] = {
    "INIT",      "EARLY",      "PREOPEN",    "OPEN",     "PASTOPEN",  "FD",        "PRESOCKET",
    "SOCKET",    "PASTSOCKET", "PREBIGEN",   "BIGEN",    "PREBIND",   "BIND",      "PASTBIND",
    "PRELISTEN", "LISTEN",     "PASTLISTEN", "PRECONNECT", "CONNECT", "PASTCONNECT", "ACCEPT",
    "PASTACCEPT", "CONNECTED", "PREFORK",    "FORK",     "PASTFORK",  "LATE",      "LATE2",
    "PREEXEC",   "EXEC",       "SPECIAL",    "OFFSET",
};
static_assert(std::size(kPhaseNames) == static_cast<size_t>(Phase::Count));

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

fdscope::Error bad_value(const OptionDesc& d, std::string_view text, std::string_view why = {}) {
  if (why.empty())
    return fdscope::plain_error(fmt::format("invalid value \"{}\" for option \"{}\" ({})", text,
                                            d.name, opt_type_name(d.type)));
  return fdscope::plain_error(
      fmt::format("invalid value \"{}\" for option \"{}\": {}", text, d.name, why));
}

bool parse_i64(std::string_view text, int64_t& out) {
  if (text.empty()) return false;
  std::string s(text);
  if (std::isspace(static_cast<unsigned char>(s[0]))) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 0);
  if (errno != 0 || end != s.c_str() + s.size()) return false;
  out = v;
  return true;
}

bool parse_u64(std::string_view text, uint64_t& out, int base = 0) {
  if (text.empty() || text[0] == '-' || text[0] == '+') return false;
  std::string s(text);
  if (std::isspace(static_cast<unsigned char>(s[0]))) return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, base);
  if (errno != 0 || end != s.c_str() + s.size()) return false;
  out = v;
  return true;
}

bool parse_double(std::string_view text, double& out) {
  if (text.empty()) return false;
  std::string s(text);
  if (std::isspace(static_cast<unsigned char>(s[0]))) return false;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(v)) return false;
  out = v;
  return true;
}

}  // namespace

std::string grp::names(uint64_t mask) {
  std::string out;
  for (const auto& g : kGroupNames) {
    if ((mask & g.bit) == 0) continue;
    if (!out.empty()) out += ',';
    out += g.name;
  }
  return out;
}

std::string_view phase_name(Phase p) {
  auto i = static_cast<size_t>(p);
  return i < std::size(kPhaseNames) ? kPhaseNames[i] : "?";
}

std::string_view opt_type_name(OptType t) {
  switch (t) {
    case OptType::Bool: return "bool";
    case OptType::Int: return "int";
    case OptType::Uint: return "unsigned int";
    case OptType::Size: return "size";
    case OptType::Double: return "double";
    case OptType::String: return "string";
    case OptType::OptionalString: return "[string]";
    case OptType::Timeval: return "seconds";
    case OptType::Mode: return "octal mode";
    case OptType::Uid: return "user";
    case OptType::Gid: return "group";
    case OptType::Const: return "no value";
    case OptType::Byte: return "byte";
    case OptType::Linger: return "linger";
    case OptType::Custom: return "text";
  }
  return "?";
}

bool OptionDesc::matches(std::string_view lname) const {
  if (lname == name) return true;
  for (std::string_view a : aliases)
    if (!a.empty() && a == lname) return true;
  return false;
}

OptionTableRegistrar::OptionTableRegistrar(std::span<const OptionDesc> table) {
  registry::add_options(table);
}

fdscope::Result<OptValue> parse_option_value(const OptionDesc& d, std::string_view text,
                                             bool present) {
  OptValue v;
  v.text = std::string(text);
  v.present = present;
  auto need_value = [&]() -> fdscope::Status {
    if (!present)
      return fdscope::plain_error(
          fmt::format("option \"{}\" requires a value ({})", d.name, opt_type_name(d.type)));
    return {};
  };
  switch (d.type) {
    case OptType::Bool: {
      if (!present) {
        v.on = true;
        v.i = 1;
        break;
      }
      std::string l = lower(text);
      if (l == "1" || l == "yes" || l == "true" || l == "on") {
        v.on = true;
      } else if (l == "0" || l == "no" || l == "false" || l == "off") {
        v.on = false;
      } else {
        return bad_value(d, text);
      }
      v.i = v.on ? 1 : 0;
      break;
    }
    case OptType::Int:
      if (auto s = need_value(); !s) return s.take_error();
      if (!parse_i64(text, v.i)) return bad_value(d, text);
      if (v.i < INT32_MIN || v.i > INT32_MAX) return bad_value(d, text, "out of range");
      v.u = static_cast<uint64_t>(v.i);
      v.on = v.i != 0;
      break;
    case OptType::Uint:
      if (auto s = need_value(); !s) return s.take_error();
      if (!parse_u64(text, v.u)) return bad_value(d, text);
      if (v.u > UINT32_MAX) return bad_value(d, text, "out of range");
      v.i = static_cast<int64_t>(v.u);
      v.on = v.u != 0;
      break;
    case OptType::Size: {
      if (auto s = need_value(); !s) return s.take_error();
      std::string_view num = text;
      uint64_t mult = 1;
      if (!num.empty()) {
        char last = static_cast<char>(std::tolower(static_cast<unsigned char>(num.back())));
        if (last == 'k') mult = 1024;
        if (last == 'm') mult = 1024 * 1024;
        if (last == 'g') mult = 1024ull * 1024 * 1024;
        if (mult != 1) num.remove_suffix(1);
      }
      if (!parse_u64(num, v.u)) return bad_value(d, text);
      if (v.u > UINT64_MAX / mult) return bad_value(d, text, "out of range");
      v.u *= mult;
      v.i = static_cast<int64_t>(v.u);
      v.on = v.u != 0;
      break;
    }
    case OptType::Double:
      if (auto s = need_value(); !s) return s.take_error();
      if (!parse_double(text, v.d)) return bad_value(d, text);
      break;
    case OptType::Timeval: {
      if (auto s = need_value(); !s) return s.take_error();
      if (!parse_double(text, v.d) || v.d < 0 || v.d > 1e9) return bad_value(d, text);
      double whole = std::floor(v.d);
      v.tv.tv_sec = static_cast<time_t>(whole);
      v.tv.tv_usec = static_cast<suseconds_t>(std::lround((v.d - whole) * 1e6));
      if (v.tv.tv_usec >= 1000000) {
        v.tv.tv_sec += 1;
        v.tv.tv_usec -= 1000000;
      }
      break;
    }
    case OptType::Mode:
      if (auto s = need_value(); !s) return s.take_error();
      if (!parse_u64(text, v.u, 8) || v.u > 07777) return bad_value(d, text);
      v.i = static_cast<int64_t>(v.u);
      break;
    case OptType::Uid: {
      if (auto s = need_value(); !s) return s.take_error();
      if (!parse_u64(text, v.u)) {
        std::string name(text);
        passwd* pw = name.empty() ? nullptr : ::getpwnam(name.c_str());
        if (pw == nullptr) return bad_value(d, text, "no such user");
        v.u = pw->pw_uid;
      } else if (v.u > UINT32_MAX - 1) {
        return bad_value(d, text, "out of range");
      }
      v.i = static_cast<int64_t>(v.u);
      break;
    }
    case OptType::Gid: {
      if (auto s = need_value(); !s) return s.take_error();
      if (!parse_u64(text, v.u)) {
        std::string name(text);
        group* gr = name.empty() ? nullptr : ::getgrnam(name.c_str());
        if (gr == nullptr) return bad_value(d, text, "no such group");
        v.u = gr->gr_gid;
      } else if (v.u > UINT32_MAX - 1) {
        return bad_value(d, text, "out of range");
      }
      v.i = static_cast<int64_t>(v.u);
      break;
    }
    case OptType::Const:
      if (present)
        return fdscope::plain_error(
            fmt::format("option \"{}\" takes no value (given \"{}\")", d.name, text));
      v.i = d.arg1;
      v.on = true;
      break;
    case OptType::Byte:
      if (auto s = need_value(); !s) return s.take_error();
      if (text.size() == 1 && !std::isdigit(static_cast<unsigned char>(text[0]))) {
        v.i = static_cast<unsigned char>(text[0]);
      } else if (!parse_i64(text, v.i) || v.i < 0 || v.i > 255) {
        return bad_value(d, text);
      }
      v.u = static_cast<uint64_t>(v.i);
      break;
    case OptType::Linger: {
      if (auto s = need_value(); !s) return s.take_error();
      auto colon = text.find(':');
      int64_t onoff = 1;
      std::string_view secs = text;
      if (colon != std::string_view::npos) {
        if (!parse_i64(text.substr(0, colon), onoff)) return bad_value(d, text);
        secs = text.substr(colon + 1);
      }
      if (!parse_i64(secs, v.i) || v.i < 0 || v.i > INT32_MAX) return bad_value(d, text);
      v.on = onoff != 0;
      break;
    }
    case OptType::String:
    case OptType::Custom:
      if (auto s = need_value(); !s) return s.take_error();
      break;
    case OptType::OptionalString:
      break;
  }
  if (d.check) {
    if (auto s = d.check(d, v); !s)
      return bad_value(d, text, s.error().message());
  }
  return v;
}

}  // namespace relay
