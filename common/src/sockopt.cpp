// Reading and rendering socket options described by the sockopt table
// (sockopt_table.cpp).  The reader asks the kernel for each applicable row
// with a buffer sized for the row's type, keeps exactly the bytes returned,
// and leaves out whatever the kernel refuses, so "absent" and "zero" are
// never confused.  Renderers decode the bytes by the row's type; there is no
// per-option formatting code anywhere else in the suite.
#include "fdscope/sockopt.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/time.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace fdscope {
namespace {

size_t natural_size(const SockOptDesc& d) {
  if (d.size) return d.size;
  switch (d.type) {
    case OptType::Int:
    case OptType::UInt:
    case OptType::Bool:
    case OptType::Int8:
    case OptType::Enum:
    case OptType::InAddr:
      return 4;
    case OptType::U64:
      return 8;
    case OptType::Timeval:
      return sizeof(timeval);
    case OptType::Linger:
      return sizeof(linger);
    case OptType::Ucred:
      return 3 * sizeof(int);
    case OptType::String:
    case OptType::Bytes:
      return 256;
    case OptType::Gids:
      return 256 * sizeof(gid_t);
    case OptType::SockAddr:
      return sizeof(sockaddr_storage);
    case OptType::U32Array:
      return 64;
  }
  return 256;
}

bool iequals(std::string_view a, const char* b) {
  size_t n = std::strlen(b);
  return a.size() == n && strncasecmp(a.data(), b, n) == 0;
}

template <typename T>
T load(const std::vector<uint8_t>& raw, size_t off = 0) {
  T v{};
  if (raw.size() >= off + sizeof(T)) std::memcpy(&v, raw.data() + off, sizeof(T));
  return v;
}

std::string hex(const std::vector<uint8_t>& raw) {
  std::string out;
  out.reserve(raw.size() * 2);
  for (uint8_t b : raw) fmt::format_to(std::back_inserter(out), "{:02x}", b);
  return out;
}

std::string escape_text(std::string_view s) {
  // Same escaping as socket addresses: keeps one line and tabs intact.
  return socat_escape(s);
}

std::vector<uint32_t> u32s(const std::vector<uint8_t>& raw) {
  std::vector<uint32_t> out(raw.size() / 4);
  if (!out.empty()) std::memcpy(out.data(), raw.data(), out.size() * 4);
  return out;
}

std::string join_u32(const std::vector<uint32_t>& v, char sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out.push_back(sep);
    out += std::to_string(v[i]);
  }
  return out;
}

double timeval_seconds(const std::vector<uint8_t>& raw) {
  timeval tv = load<timeval>(raw);
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

std::string inaddr_text(const std::vector<uint8_t>& raw) {
  in_addr a = load<in_addr>(raw);
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, buf, sizeof buf);
  return buf;
}

}  // namespace

const SockOptDesc* find_sockopt(std::string_view symbol_or_key) {
  for (const auto& d : sockopt_table())
    if (iequals(symbol_or_key, d.symbol) || iequals(symbol_or_key, d.key)) return &d;
  return nullptr;
}

const SockOptDesc* find_sockopt(int level, int optname) {
  for (const auto& d : sockopt_table())
    if (d.level == level && d.optname == optname) return &d;
  return nullptr;
}

uint32_t sockopt_family_bit(int family) {
  switch (family) {
    case AF_UNIX: return kFamUnix;
    case AF_INET: return kFamInet;
    case AF_INET6: return kFamInet6;
    case AF_NETLINK: return kFamNetlink;
    case AF_PACKET: return kFamPacket;
    case AF_VSOCK: return kFamVsock;
    default: return kFamOther;
  }
}

uint32_t sockopt_protocol_bit(int family, int type, int protocol) {
  type &= 0xf;
  if (family == AF_INET || family == AF_INET6) {
    if (type == SOCK_RAW) return kProtoRaw;
    switch (protocol) {
      case IPPROTO_TCP:
      case 262:  // IPPROTO_MPTCP
        return kProtoTcp;
      case IPPROTO_UDP:
      case IPPROTO_UDPLITE:
        return kProtoUdp;
      case IPPROTO_ICMP:
      case IPPROTO_ICMPV6:
        return kProtoIcmp;
      case IPPROTO_SCTP:
        return kProtoSctp;
      case 0:
        if (type == SOCK_STREAM) return kProtoTcp;
        if (type == SOCK_DGRAM) return kProtoUdp;
        return 0;
      default:
        return 0;
    }
  }
  switch (type) {
    case SOCK_STREAM: return kProtoStream;
    case SOCK_DGRAM: return kProtoDgram;
    case SOCK_SEQPACKET: return kProtoSeqpacket;
    default: return 0;
  }
}

bool sockopt_applies(const SockOptDesc& d, int family, int type, int protocol) {
  if (!(d.families & sockopt_family_bit(family))) return false;
  if (d.protocols == 0) return true;
  return (d.protocols & sockopt_protocol_bit(family, type, protocol)) != 0;
}

std::optional<int64_t> SockOptValue::as_int() const {
  if (!desc) return std::nullopt;
  switch (desc->type) {
    case OptType::U64:
      if (raw.size() >= 8) return static_cast<int64_t>(load<uint64_t>(raw));
      if (raw.size() >= 4) return static_cast<int64_t>(load<uint32_t>(raw));
      return std::nullopt;
    case OptType::UInt:
      if (raw.size() >= 4) return static_cast<int64_t>(load<uint32_t>(raw));
      if (raw.size() == 1) return raw[0];
      return std::nullopt;
    default:
      if (raw.size() >= 4) return static_cast<int64_t>(load<int32_t>(raw));
      if (raw.size() == 1) return raw[0];
      return std::nullopt;
  }
}

std::string SockOptValue::as_string() const {
  auto end = std::find(raw.begin(), raw.end(), uint8_t{0});
  return std::string(raw.begin(), end);
}

Result<SockOptValue> read_sockopt(int fd, const SockOptDesc& d) {
  SockOptValue v;
  v.desc = &d;
  size_t size = natural_size(d);
  for (int attempt = 0; attempt < 2; ++attempt) {
    v.raw.assign(size, 0);
    socklen_t len = static_cast<socklen_t>(size);
    if (::getsockopt(fd, d.level, d.optname, v.raw.data(), &len) == 0) {
      v.raw.resize(std::min<size_t>(len, size));
      return v;
    }
    // Variable-length options (SO_PEERGROUPS, SO_PEERSEC) say how much they need.
    if (errno == ERANGE && len > size && len <= (1u << 20) && attempt == 0) {
      size = len;
      continue;
    }
    break;
  }
  return sys_error(fmt::format("getsockopt(fd {}, {})", fd, d.symbol));
}

std::vector<SockOptValue> read_sockopts(int fd, int family, int type, int protocol) {
  std::vector<SockOptValue> out;
  for (const auto& d : sockopt_table()) {
    if (d.flags & kNoAutoRead) continue;
    if (!sockopt_applies(d, family, type, protocol)) continue;
    auto r = read_sockopt(fd, d);
    if (r.ok()) out.push_back(std::move(r.value()));
  }
  return out;
}

Result<std::vector<SockOptValue>> read_sockopts(int fd) {
  int family = 0, type = 0, protocol = 0;
  socklen_t len = sizeof(int);
  if (::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len) < 0)
    return sys_error(fmt::format("getsockopt(fd {}, SO_DOMAIN)", fd));
  len = sizeof(int);
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
    return sys_error(fmt::format("getsockopt(fd {}, SO_TYPE)", fd));
  len = sizeof(int);
  if (::getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) < 0) protocol = 0;
  return read_sockopts(fd, family, type, protocol);
}

std::string socat_sockopt_name(const SockOptDesc& d) {
  std::string_view s = d.symbol;
  if (d.level == SOL_SOCKET && s.substr(0, 3) == "SO_") s.remove_prefix(3);
  return std::string(s);
}

std::string sockopt_value_text(const SockOptValue& v) {
  const SockOptDesc& d = *v.desc;
  const auto& raw = v.raw;
  switch (d.type) {
    case OptType::Int:
    case OptType::Bool:
    case OptType::Int8:
    case OptType::Enum:
    case OptType::UInt:
    case OptType::U64: {
      auto i = v.as_int();
      if (!i) return "\"" + hex(raw) + "\"";
      if (d.type == OptType::UInt || d.type == OptType::U64) return std::to_string(static_cast<uint64_t>(*i));
      return std::to_string(*i);
    }
    case OptType::Timeval: {
      timeval tv = load<timeval>(raw);
      return fmt::format("{{{},{}}}", tv.tv_sec, tv.tv_usec);
    }
    case OptType::Linger: {
      linger l = load<linger>(raw);
      return fmt::format("{{{},{}}}", l.l_onoff, l.l_linger);
    }
    case OptType::Ucred:
      return fmt::format("{{{},{},{}}}", load<int32_t>(raw, 0), load<int32_t>(raw, 4),
                         load<int32_t>(raw, 8));
    case OptType::String:
      return "\"" + escape_text(v.as_string()) + "\"";
    case OptType::Bytes:
      return "\"" + hex(raw) + "\"";
    case OptType::Gids:
    case OptType::U32Array:
      return "{" + join_u32(u32s(raw), ',') + "}";
    case OptType::InAddr:
      return inaddr_text(raw);
    case OptType::SockAddr:
      return format_sockaddr(reinterpret_cast<const sockaddr*>(raw.data()),
                             static_cast<socklen_t>(raw.size()), AddrStyle::Socat);
  }
  return {};
}

std::string sockopt_value_short(const SockOptValue& v) {
  const SockOptDesc& d = *v.desc;
  const auto& raw = v.raw;
  switch (d.type) {
    case OptType::Enum: {
      auto i = v.as_int();
      if (!i) return hex(raw);
      std::string_view name = lookup_name(d.names, static_cast<int>(*i));
      return name.empty() ? std::to_string(*i) : std::string(name);
    }
    case OptType::Bool: {
      auto i = v.as_int();
      return i ? (*i ? "1" : "0") : hex(raw);
    }
    case OptType::Timeval:
      return fmt::format("{:.6f}", timeval_seconds(raw));
    case OptType::Linger: {
      linger l = load<linger>(raw);
      return l.l_onoff ? fmt::format("on:{}", l.l_linger) : std::string("off");
    }
    case OptType::Ucred:
      return fmt::format("{{pid={},uid={},gid={}}}", load<int32_t>(raw, 0), load<uint32_t>(raw, 4),
                         load<uint32_t>(raw, 8));
    case OptType::String:
      return escape_text(v.as_string());
    case OptType::Bytes:
      return hex(raw);
    case OptType::Gids:
    case OptType::U32Array:
      return join_u32(u32s(raw), ',');
    case OptType::SockAddr:
      return format_sockaddr(reinterpret_cast<const sockaddr*>(raw.data()),
                             static_cast<socklen_t>(raw.size()), AddrStyle::Plain);
    default:
      return sockopt_value_text(v);
  }
}

std::string sockopt_text(const SockOptValue& v) {
  return socat_sockopt_name(*v.desc) + "=" + sockopt_value_text(v);
}

std::string sockopt_short(const SockOptValue& v) {
  return std::string(v.desc->key) + "=" + sockopt_value_short(v);
}

std::string sockopts_text(std::span<const SockOptValue> values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out.push_back('\t');
    out += sockopt_text(values[i]);
  }
  return out;
}

std::string sockopts_short(std::span<const SockOptValue> values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out.push_back(' ');
    out += sockopt_short(values[i]);
  }
  return out;
}

void sockopt_value_json(JsonWriter& w, const SockOptValue& v) {
  const SockOptDesc& d = *v.desc;
  const auto& raw = v.raw;
  switch (d.type) {
    case OptType::Int:
    case OptType::Int8:
    case OptType::UInt:
    case OptType::U64: {
      auto i = v.as_int();
      if (!i)
        w.null();
      else if (d.type == OptType::UInt || d.type == OptType::U64)
        w.value(static_cast<uint64_t>(*i));
      else
        w.value(*i);
      return;
    }
    case OptType::Bool: {
      auto i = v.as_int();
      if (!i)
        w.null();
      else
        w.value(*i != 0);
      return;
    }
    case OptType::Enum:
      w.value(sockopt_value_short(v));
      return;
    case OptType::Timeval:
      w.value(timeval_seconds(raw));
      return;
    case OptType::Linger: {
      linger l = load<linger>(raw);
      w.begin_object().field("onoff", l.l_onoff != 0).field("linger", l.l_linger).end_object();
      return;
    }
    case OptType::Ucred:
      w.begin_object()
          .field("pid", load<int32_t>(raw, 0))
          .field("uid", load<uint32_t>(raw, 4))
          .field("gid", load<uint32_t>(raw, 8))
          .end_object();
      return;
    case OptType::String:
      w.value(v.as_string());
      return;
    case OptType::Bytes:
      w.value(hex(raw));
      return;
    case OptType::Gids:
    case OptType::U32Array:
      w.begin_array();
      for (uint32_t x : u32s(raw)) w.value(x);
      w.end_array();
      return;
    case OptType::InAddr:
      w.value(inaddr_text(raw));
      return;
    case OptType::SockAddr:
      sockaddr_json(w, reinterpret_cast<const sockaddr*>(raw.data()), static_cast<socklen_t>(raw.size()));
      return;
  }
  w.null();
}

void sockopts_json(JsonWriter& w, std::span<const SockOptValue> values) {
  w.begin_object();
  for (const auto& v : values) {
    w.key(v.desc->symbol);
    sockopt_value_json(w, v);
  }
  w.end_object();
}

}  // namespace fdscope
