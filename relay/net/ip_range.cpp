// Parsing and matching of the range option.  For stream listeners relay
// checks each accepted peer with IpRange::contains() and closes refused
// connections; for datagram receivers it compiles the range into a classic
// BPF program (loads of the IP source address at SKF_NET_OFF, masked and
// compared word by word) so refused packets are dropped by the kernel.
#include "net/ip_range.hpp"

#include "core/syscall_log.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstring>

#include <fmt/format.h>

namespace relay::net {

static bool parse_uint(std::string_view s, unsigned max, unsigned* out) {
  if (s.empty() || s.size() > 3) return false;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

static void set_prefix_mask(unsigned char* mask, unsigned bytes, unsigned bits) {
  for (unsigned i = 0; i < bytes; ++i) {
    unsigned b = bits >= 8 ? 8 : bits;
    mask[i] = static_cast<unsigned char>(b ? 0xff << (8 - b) : 0);
    bits -= b;
  }
}

fdscope::Result<IpRange> parse_ip_range(std::string_view text) {
  auto bad = [&](const char* why) {
    return fdscope::plain_error(fmt::format("range option \"{}\": {}", text, why));
  };
  IpRange r;
  std::string host;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return bad("missing ']'");
    host = std::string(text.substr(1, close - 1));
    rest = text.substr(close + 1);
    r.family = AF_INET6;
  } else {
    size_t sep = text.find_first_of("/:");
    host = std::string(text.substr(0, sep));
    rest = sep == std::string_view::npos ? std::string_view{} : text.substr(sep);
    r.family = host.find(':') != std::string::npos ? AF_INET6 : AF_INET;
  }
  unsigned bytes = r.family == AF_INET ? 4 : 16;
  if (inet_pton(r.family, host.c_str(), r.addr) != 1) return bad("not a numeric IP address");
  if (rest.empty()) {
    set_prefix_mask(r.mask, bytes, bytes * 8);
  } else if (rest.front() == '/') {
    unsigned bits;
    if (!parse_uint(rest.substr(1), bytes * 8, &bits)) return bad("bad prefix length");
    set_prefix_mask(r.mask, bytes, bits);
  } else if (rest.front() == ':' && r.family == AF_INET) {
    std::string m(rest.substr(1));
    if (inet_pton(AF_INET, m.c_str(), r.mask) != 1) return bad("bad netmask");
  } else {
    return bad("expected /bits or :mask");
  }
  for (unsigned i = 0; i < bytes; ++i) r.addr[i] &= r.mask[i];
  return r;
}

bool IpRange::contains(const SockAddr& a) const {
  const unsigned char* p = nullptr;
  if (a.family() == AF_INET) {
    if (family != AF_INET) return false;
    p = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(&a.ss)->sin_addr);
  } else if (a.family() == AF_INET6) {
    const auto* in6 = &reinterpret_cast<const sockaddr_in6*>(&a.ss)->sin6_addr;
    p = in6->s6_addr;
    if (family == AF_INET) {
      if (!IN6_IS_ADDR_V4MAPPED(in6)) return false;
      p += 12;
    }
  } else {
    return false;
  }
  unsigned bytes = family == AF_INET ? 4 : 16;
  for (unsigned i = 0; i < bytes; ++i)
    if ((p[i] & mask[i]) != addr[i]) return false;
  return true;
}

std::string IpRange::to_string() const {
  char a[INET6_ADDRSTRLEN], m[INET6_ADDRSTRLEN];
  inet_ntop(family, addr, a, sizeof a);
  inet_ntop(family, mask, m, sizeof m);
  return fmt::format("{}/{}", a, m);
}

static uint32_t word(const unsigned char* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

std::vector<sock_filter> range_filter(const IpRange& range, int family) {
  // Layout: for each 32-bit word of the source address: load, mask, compare,
  // jump to DROP on mismatch; then ACCEPT.  SKF_NET_OFF addresses the network
  // header: the IPv4 source is at +12, the IPv6 source at +8.
  std::vector<sock_filter> prog;
  if (family != range.family) {
    // An IPv4 range on an IPv6 socket (mapped peers): check the mapped tail.
    if (!(family == AF_INET6 && range.family == AF_INET)) {
      prog.push_back(BPF_STMT(BPF_RET | BPF_K, 0));
      return prog;
    }
  }
  struct Cmp {
    int32_t off;
    uint32_t mask, value;
  };
  std::vector<Cmp> cmps;
  if (family == AF_INET) {
    cmps.push_back({SKF_NET_OFF + 12, word(range.mask), word(range.addr)});
  } else if (range.family == AF_INET6) {
    for (int i = 0; i < 4; ++i)
      cmps.push_back({SKF_NET_OFF + 8 + 4 * i, word(range.mask + 4 * i), word(range.addr + 4 * i)});
  } else {
    // IPv4-mapped ::ffff:a.b.c.d on an AF_INET6 socket: IPv4 packets reach a
    // dual-stack socket with an IPv4 network header, source at +12.
    cmps.push_back({SKF_NET_OFF + 12, word(range.mask), word(range.addr)});
  }
  size_t n = cmps.size();
  // First the IP version nibble, so an IPv6 header is never read as IPv4.
  uint32_t version = (family == AF_INET || range.family == AF_INET) ? 4 : 6;
  prog.push_back(BPF_STMT(BPF_LD | BPF_B | BPF_ABS, static_cast<uint32_t>(SKF_NET_OFF)));
  prog.push_back(BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 4));
  prog.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, version, 0, static_cast<uint8_t>(3 * n + 1)));
  for (size_t i = 0; i < n; ++i) {
    const Cmp& c = cmps[i];
    // Remaining instructions after this compare's jump up to DROP.
    uint8_t to_drop = static_cast<uint8_t>(3 * (n - 1 - i) + 1);
    prog.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, static_cast<uint32_t>(c.off)));
    prog.push_back(BPF_STMT(BPF_ALU | BPF_AND | BPF_K, c.mask));
    prog.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, c.value, 0, to_drop));
  }
  prog.push_back(BPF_STMT(BPF_RET | BPF_K, 0xffffffffu));  // accept whole packet
  prog.push_back(BPF_STMT(BPF_RET | BPF_K, 0));            // drop
  return prog;
}

fdscope::Status attach_range_filter(int fd, const IpRange& range, int family) {
  auto prog = range_filter(range, family);
  sock_fprog fp{static_cast<unsigned short>(prog.size()), prog.data()};
  if (sys::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp) < 0)
    return fdscope::sys_error(fmt::format("setsockopt({}, SOL_SOCKET, SO_ATTACH_FILTER, range {})", fd, range.to_string()));
  return {};
}

}  // namespace relay::net
