// The SOCKET option group: settings every socket address accepts -- the
// SO_* setsockopt rows (names and aliases as socat's), the socket(2)
// arguments (pf, socktype, protocol), bind= and connect-timeout= (read by
// the open paths in socket_open.cpp), and the generic setsockopt-* options
// that set any level/name/value at a chosen phase.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <string>

#include <fmt/format.h>

#include "core/open_context.hpp"

#include "core/syscall_log.hpp"
#include "core/option.hpp"
#include "fdscope/sockopt.hpp"

namespace relay {
namespace {

using fdscope::Status;

constexpr uint64_t kSock = grp::SOCKET;

// "level:optname:value" of the setsockopt-* options, decoded.
struct RawSockopt {
  int level = 0;
  int name = 0;
  std::string bytes;
};

bool parse_int_text(std::string_view s, long long* out) {
  if (s.empty()) return false;
  std::string t(s);
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(t.c_str(), &end, 0);
  if (errno || *end) return false;
  *out = v;
  return true;
}

// arg1: 0 = int value, 1 = binary (hex "x0102..." or "0102"), 2 = string.
fdscope::Result<RawSockopt> parse_raw(const OptionDesc& d, const OptValue& v) {
  auto bad = [&](const char* why) {
    return fdscope::plain_error(fmt::format("option \"{}={}\": {} (expected <level>:<optname>:<value>)", d.name, v.text, why));
  };
  std::string_view t = v.text;
  size_t c1 = t.find(':');
  size_t c2 = c1 == std::string_view::npos ? c1 : t.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return bad("missing field");
  long long level, name;
  if (!parse_int_text(t.substr(0, c1), &level) || !parse_int_text(t.substr(c1 + 1, c2 - c1 - 1), &name))
    return bad("level and optname must be numbers");
  std::string_view val = t.substr(c2 + 1);
  RawSockopt r{static_cast<int>(level), static_cast<int>(name), {}};
  int mode = static_cast<int>(d.arg1);
  if (mode == 0) {
    long long i;
    if (!parse_int_text(val, &i)) return bad("value must be an integer");
    int iv = static_cast<int>(i);
    r.bytes.assign(reinterpret_cast<const char*>(&iv), sizeof iv);
  } else if (mode == 1) {
    if (!val.empty() && (val[0] == 'x' || val[0] == 'X')) val.remove_prefix(1);
    if (val.size() % 2) return bad("hex value needs an even number of digits");
    for (size_t i = 0; i < val.size(); i += 2) {
      if (!std::isxdigit(static_cast<unsigned char>(val[i])) || !std::isxdigit(static_cast<unsigned char>(val[i + 1])))
        return bad("value must be hex digits");
      r.bytes += static_cast<char>(std::stoi(std::string(val.substr(i, 2)), nullptr, 16));
    }
  } else {
    r.bytes = std::string(val);
    r.bytes += '\0';
  }
  return r;
}

Status check_raw(const OptionDesc& d, const OptValue& v) {
  auto r = parse_raw(d, v);
  if (!r) return r.take_error();
  return {};
}

Status apply_raw(const OptionDesc& d, const OptValue& v, ApplyTarget& t) {
  auto r = parse_raw(d, v);
  if (!r) return r.take_error();
  if (sys::setsockopt(t.fd, r->level, r->name, r->bytes.data(), static_cast<socklen_t>(r->bytes.size())) < 0) {
    const fdscope::SockOptDesc* known = fdscope::find_sockopt(r->level, r->name);
    return fdscope::sys_error(fmt::format("setsockopt({}, {}, {}, ...) for option \"{}\"", t.fd,
                                          fdscope::sockopt_level_name(r->level).empty()
                                              ? std::to_string(r->level)
                                              : std::string(fdscope::sockopt_level_name(r->level)),
                                          known ? known->symbol : std::to_string(r->name), d.name));
  }
  return {};
}

Status check_pf(const OptionDesc&, const OptValue& v) {
  std::string s;
  for (char c : v.text) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* ok : {"ip4", "ipv4", "inet", "inet4", "2", "ip6", "ipv6", "inet6", "10", "unix", "local", "1"})
    if (s == ok) return {};
  return fdscope::plain_error(fmt::format("pf=\"{}\": unknown protocol family (ip4, ip6, unix)", v.text));
}

#define SO_INT(nm, al, ph, opt) \
  {.name = nm, .aliases = al, .groups = kSock, .phase = Phase::ph, .type = OptType::Int, .level = SOL_SOCKET, .optname = opt}
#define SO_BOOL(nm, al, ph, opt) \
  {.name = nm, .aliases = al, .groups = kSock, .phase = Phase::ph, .type = OptType::Bool, .level = SOL_SOCKET, .optname = opt}
#define A(...) \
  { __VA_ARGS__ }

const OptionDesc kSocketOptions[] = {
    SO_BOOL("debug", A("so-debug"), PASTSOCKET, SO_DEBUG),
    SO_BOOL("broadcast", A("so-broadcast"), PASTSOCKET, SO_BROADCAST),
    SO_BOOL("dontroute", A("so-dontroute"), PASTSOCKET, SO_DONTROUTE),
    SO_BOOL("keepalive", A("so-keepalive"), FD, SO_KEEPALIVE),
    {.name = "linger", .aliases = {"so-linger"}, .groups = kSock, .phase = Phase::PASTSOCKET, .type = OptType::Linger,
     .level = SOL_SOCKET, .optname = SO_LINGER},
    SO_BOOL("oobinline", A("so-oobinline"), PASTSOCKET, SO_OOBINLINE),
    SO_INT("rcvbuf", A("so-rcvbuf"), PASTSOCKET, SO_RCVBUF),
    SO_INT("rcvbuf-late", A("so-rcvbuf-late"), PASTCONNECT, SO_RCVBUF),
    SO_INT("sndbuf", A("so-sndbuf"), PASTSOCKET, SO_SNDBUF),
    SO_INT("sndbuf-late", A("so-sndbuf-late"), PASTCONNECT, SO_SNDBUF),
    SO_INT("rcvlowat", A("so-rcvlowat"), PASTSOCKET, SO_RCVLOWAT),
    SO_INT("sndlowat", A("so-sndlowat"), PASTSOCKET, SO_SNDLOWAT),
    {.name = "rcvtimeo", .aliases = {"so-rcvtimeo"}, .groups = kSock, .phase = Phase::PASTSOCKET, .type = OptType::Timeval,
     .level = SOL_SOCKET, .optname = SO_RCVTIMEO},
    {.name = "sndtimeo", .aliases = {"so-sndtimeo"}, .groups = kSock, .phase = Phase::PASTSOCKET, .type = OptType::Timeval,
     .level = SOL_SOCKET, .optname = SO_SNDTIMEO},
    SO_BOOL("reuseaddr", A("so-reuseaddr"), PREBIND, SO_REUSEADDR),
    SO_BOOL("reuseport", A("so-reuseport"), PREBIND, SO_REUSEPORT),
    SO_INT("priority", A("so-priority"), PASTSOCKET, SO_PRIORITY),
    SO_INT("mark", A("so-mark"), PASTSOCKET, SO_MARK),
    SO_BOOL("passcred", A("so-passcred"), PASTSOCKET, SO_PASSCRED),
    SO_BOOL("timestamp", A("so-timestamp"), PASTSOCKET, SO_TIMESTAMP),
    {.name = "bindtodevice", .aliases = {"so-bindtodevice", "if"}, .groups = kSock, .phase = Phase::PASTSOCKET,
     .type = OptType::String, .level = SOL_SOCKET, .optname = SO_BINDTODEVICE},
    // socket(2) arguments and addresses, read by the open paths.
    {.name = "pf", .aliases = {"protocol-family"}, .groups = kSock, .phase = Phase::PRESOCKET, .type = OptType::Custom,
     .check = check_pf},
    {.name = "socktype", .aliases = {"so-type", "type"}, .groups = kSock, .phase = Phase::SOCKET, .type = OptType::Int},
    {.name = "protocol", .aliases = {"so-protocol"}, .groups = kSock, .phase = Phase::SOCKET, .type = OptType::Int},
    {.name = "bind", .groups = kSock, .phase = Phase::BIND, .type = OptType::String},
    {.name = "connect-timeout", .groups = kSock, .phase = Phase::PASTSOCKET, .type = OptType::Timeval},
    // Any option by number: <level>:<optname>:<value>.
    {.name = "setsockopt", .aliases = {"sockopt"}, .groups = kSock, .phase = Phase::PASTSOCKET, .type = OptType::Custom,
     .apply = apply_raw, .arg1 = 1, .check = check_raw},
    {.name = "setsockopt-int", .aliases = {"sockopt-int"}, .groups = kSock, .phase = Phase::PASTSOCKET,
     .type = OptType::Custom, .apply = apply_raw, .arg1 = 0, .check = check_raw},
    {.name = "setsockopt-bin", .aliases = {"sockopt-bin"}, .groups = kSock, .phase = Phase::PASTSOCKET,
     .type = OptType::Custom, .apply = apply_raw, .arg1 = 1, .check = check_raw},
    {.name = "setsockopt-string", .aliases = {"sockopt-string"}, .groups = kSock, .phase = Phase::PASTSOCKET,
     .type = OptType::Custom, .apply = apply_raw, .arg1 = 2, .check = check_raw},
    {.name = "setsockopt-socket", .groups = kSock, .phase = Phase::PASTSOCKET, .type = OptType::Custom,
     .apply = apply_raw, .arg1 = 1, .check = check_raw},
    {.name = "setsockopt-listen", .groups = kSock, .phase = Phase::PRELISTEN, .type = OptType::Custom,
     .apply = apply_raw, .arg1 = 1, .check = check_raw},
    {.name = "setsockopt-connected", .groups = kSock, .phase = Phase::CONNECTED, .type = OptType::Custom,
     .apply = apply_raw, .arg1 = 1, .check = check_raw},
};
#undef SO_INT
#undef SO_BOOL
#undef A

const OptionTableRegistrar kReg(kSocketOptions);

}  // namespace
}  // namespace relay
