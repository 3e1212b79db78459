// Socket address formatting and the family/type/protocol name tables.
//
// Every formatter takes the length the kernel returned and never reads past
// it: a UNIX path is the bytes up to the first NUL *within that length*, an
// abstract name is every byte after the leading NUL (NULs included).  This is
// where filan, relay's logs and trace's fd decoration get their address text,
// so socat's forms (AF=2 1.2.3.4:80) and the plain ss-like forms live here.
// Tables hold the kernel's numbers directly: the kernel ABI is fixed, and
// glibc's headers lag behind the running kernel.
#include "fdscope/sockaddr.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <strings.h>

namespace fdscope {
namespace {

constexpr NameEntry kFamilies[] = {
    {0, "AF_UNSPEC"},     {1, "AF_UNIX"},       {2, "AF_INET"},      {3, "AF_AX25"},
    {4, "AF_IPX"},        {5, "AF_APPLETALK"},  {6, "AF_NETROM"},    {7, "AF_BRIDGE"},
    {8, "AF_ATMPVC"},     {9, "AF_X25"},        {10, "AF_INET6"},    {11, "AF_ROSE"},
    {12, "AF_DECnet"},    {13, "AF_NETBEUI"},   {14, "AF_SECURITY"}, {15, "AF_KEY"},
    {16, "AF_NETLINK"},   {17, "AF_PACKET"},    {18, "AF_ASH"},      {19, "AF_ECONET"},
    {20, "AF_ATMSVC"},    {21, "AF_RDS"},       {22, "AF_SNA"},      {23, "AF_IRDA"},
    {24, "AF_PPPOX"},     {25, "AF_WANPIPE"},   {26, "AF_LLC"},      {27, "AF_IB"},
    {28, "AF_MPLS"},      {29, "AF_CAN"},       {30, "AF_TIPC"},     {31, "AF_BLUETOOTH"},
    {32, "AF_IUCV"},      {33, "AF_RXRPC"},     {34, "AF_ISDN"},     {35, "AF_PHONET"},
    {36, "AF_IEEE802154"}, {37, "AF_CAIF"},     {38, "AF_ALG"},      {39, "AF_NFC"},
    {40, "AF_VSOCK"},     {41, "AF_KCM"},       {42, "AF_QIPCRTR"},  {43, "AF_SMC"},
    {44, "AF_XDP"},       {45, "AF_MCTP"},
};

constexpr NameEntry kSocketTypes[] = {
    {1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"},     {3, "SOCK_RAW"},
    {4, "SOCK_RDM"},    {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"},
    {10, "SOCK_PACKET"},
};

constexpr NameEntry kIpProtocols[] = {
    {0, "IPPROTO_IP"},        {1, "IPPROTO_ICMP"},     {2, "IPPROTO_IGMP"},
    {4, "IPPROTO_IPIP"},      {6, "IPPROTO_TCP"},      {8, "IPPROTO_EGP"},
    {12, "IPPROTO_PUP"},      {17, "IPPROTO_UDP"},     {22, "IPPROTO_IDP"},
    {29, "IPPROTO_TP"},       {33, "IPPROTO_DCCP"},    {41, "IPPROTO_IPV6"},
    {43, "IPPROTO_ROUTING"},  {44, "IPPROTO_FRAGMENT"}, {46, "IPPROTO_RSVP"},
    {47, "IPPROTO_GRE"},      {50, "IPPROTO_ESP"},     {51, "IPPROTO_AH"},
    {58, "IPPROTO_ICMPV6"},   {59, "IPPROTO_NONE"},    {60, "IPPROTO_DSTOPTS"},
    {92, "IPPROTO_MTP"},      {94, "IPPROTO_BEETPH"},  {98, "IPPROTO_ENCAP"},
    {103, "IPPROTO_PIM"},     {108, "IPPROTO_COMP"},   {115, "IPPROTO_L2TP"},
    {132, "IPPROTO_SCTP"},    {135, "IPPROTO_MH"},     {136, "IPPROTO_UDPLITE"},
    {137, "IPPROTO_MPLS"},    {143, "IPPROTO_ETHERNET"}, {255, "IPPROTO_RAW"},
    {262, "IPPROTO_MPTCP"},
};

constexpr NameEntry kEthProtocols[] = {
    {0x0001, "ETH_P_802_3"}, {0x0002, "ETH_P_AX25"}, {0x0003, "ETH_P_ALL"},
    {0x0004, "ETH_P_802_2"}, {0x0005, "ETH_P_SNAP"}, {0x0006, "ETH_P_DDCMP"},
    {0x0007, "ETH_P_WAN_PPP"}, {0x0008, "ETH_P_PPP_MP"}, {0x0009, "ETH_P_LOCALTALK"},
    {0x000C, "ETH_P_CAN"}, {0x000D, "ETH_P_CANFD"}, {0x000E, "ETH_P_CANXL"},
    {0x0010, "ETH_P_PPPTALK"}, {0x0011, "ETH_P_TR_802_2"}, {0x0015, "ETH_P_CONTROL"},
    {0x0016, "ETH_P_IRDA"}, {0x0017, "ETH_P_ECONET"}, {0x0018, "ETH_P_HDLC"},
    {0x0019, "ETH_P_ARCNET"}, {0x001A, "ETH_P_DSA"}, {0x001B, "ETH_P_TRAILER"},
    {0x0060, "ETH_P_LOOP"}, {0x00F5, "ETH_P_PHONET"}, {0x00F6, "ETH_P_IEEE802154"},
    {0x00F7, "ETH_P_CAIF"}, {0x00F8, "ETH_P_XDSA"}, {0x00F9, "ETH_P_MAP"},
    {0x00FA, "ETH_P_MCTP"}, {0x0200, "ETH_P_PUP"}, {0x0201, "ETH_P_PUPAT"},
    {0x0800, "ETH_P_IP"}, {0x0805, "ETH_P_X25"}, {0x0806, "ETH_P_ARP"},
    {0x08FF, "ETH_P_BPQ"}, {0x0A00, "ETH_P_IEEEPUP"}, {0x0A01, "ETH_P_IEEEPUPAT"},
    {0x22EB, "ETH_P_ERSPAN2"}, {0x22F0, "ETH_P_TSN"}, {0x4305, "ETH_P_BATMAN"},
    {0x6000, "ETH_P_DEC"}, {0x6001, "ETH_P_DNA_DL"}, {0x6002, "ETH_P_DNA_RC"},
    {0x6003, "ETH_P_DNA_RT"}, {0x6004, "ETH_P_LAT"}, {0x6005, "ETH_P_DIAG"},
    {0x6006, "ETH_P_CUST"}, {0x6007, "ETH_P_SCA"}, {0x6558, "ETH_P_TEB"},
    {0x8035, "ETH_P_RARP"}, {0x809B, "ETH_P_ATALK"}, {0x80F3, "ETH_P_AARP"},
    {0x8100, "ETH_P_8021Q"}, {0x8137, "ETH_P_IPX"}, {0x86DD, "ETH_P_IPV6"},
    {0x8808, "ETH_P_PAUSE"}, {0x8809, "ETH_P_SLOW"}, {0x883E, "ETH_P_WCCP"},
    {0x8847, "ETH_P_MPLS_UC"}, {0x8848, "ETH_P_MPLS_MC"}, {0x884C, "ETH_P_ATMMPOA"},
    {0x8863, "ETH_P_PPP_DISC"}, {0x8864, "ETH_P_PPP_SES"}, {0x886C, "ETH_P_LINK_CTL"},
    {0x8884, "ETH_P_ATMFATE"}, {0x888E, "ETH_P_PAE"}, {0x8892, "ETH_P_PROFINET"},
    {0x889A, "ETH_P_HYPERSCSI"}, {0x88A2, "ETH_P_AOE"}, {0x88A4, "ETH_P_ETHERCAT"},
    {0x88A8, "ETH_P_8021AD"}, {0x88B5, "ETH_P_802_EX1"}, {0x88BE, "ETH_P_ERSPAN"},
    {0x88C7, "ETH_P_PREAUTH"}, {0x88CA, "ETH_P_TIPC"}, {0x88CC, "ETH_P_LLDP"},
    {0x88E3, "ETH_P_MRP"}, {0x88E5, "ETH_P_MACSEC"}, {0x88E7, "ETH_P_8021AH"},
    {0x88F5, "ETH_P_MVRP"}, {0x88F7, "ETH_P_1588"}, {0x88F8, "ETH_P_NCSI"},
    {0x88FB, "ETH_P_PRP"}, {0x8902, "ETH_P_CFM"}, {0x8906, "ETH_P_FCOE"},
    {0x890D, "ETH_P_TDLS"}, {0x8914, "ETH_P_FIP"}, {0x8915, "ETH_P_IBOE"},
    {0x8917, "ETH_P_80221"}, {0x892F, "ETH_P_HSR"}, {0x893A, "ETH_P_1905"},
    {0x894F, "ETH_P_NSH"}, {0x9000, "ETH_P_LOOPBACK"}, {0x9100, "ETH_P_QINQ1"},
    {0x9200, "ETH_P_QINQ2"}, {0x9300, "ETH_P_QINQ3"}, {0xDADA, "ETH_P_EDSA"},
    {0xDADB, "ETH_P_DSA_8021Q"}, {0xE001, "ETH_P_DSA_A5PSW"}, {0xED3E, "ETH_P_IFE"},
    {0xFBFB, "ETH_P_AF_IUCV"},
};

constexpr NameEntry kNetlinkProtocols[] = {
    {0, "NETLINK_ROUTE"},      {1, "NETLINK_UNUSED"},     {2, "NETLINK_USERSOCK"},
    {3, "NETLINK_FIREWALL"},   {4, "NETLINK_SOCK_DIAG"},  {5, "NETLINK_NFLOG"},
    {6, "NETLINK_XFRM"},       {7, "NETLINK_SELINUX"},    {8, "NETLINK_ISCSI"},
    {9, "NETLINK_AUDIT"},      {10, "NETLINK_FIB_LOOKUP"}, {11, "NETLINK_CONNECTOR"},
    {12, "NETLINK_NETFILTER"}, {13, "NETLINK_IP6_FW"},    {14, "NETLINK_DNRTMSG"},
    {15, "NETLINK_KOBJECT_UEVENT"}, {16, "NETLINK_GENERIC"}, {18, "NETLINK_SCSITRANSPORT"},
    {19, "NETLINK_ECRYPTFS"},  {20, "NETLINK_RDMA"},      {21, "NETLINK_CRYPTO"},
    {22, "NETLINK_SMC"},
};

template <size_t N>
constexpr bool sorted_by_value(const NameEntry (&t)[N]) {
  for (size_t i = 1; i < N; ++i)
    if (t[i - 1].value >= t[i].value) return false;
  return true;
}
static_assert(sorted_by_value(kFamilies));
static_assert(sorted_by_value(kSocketTypes));
static_assert(sorted_by_value(kIpProtocols));
static_assert(sorted_by_value(kNetlinkProtocols));
static_assert(sorted_by_value(kEthProtocols));

// Offset of sun_path / sa_data in the address structures.
constexpr socklen_t kUnixPathOffset = offsetof(sockaddr_un, sun_path);

bool is_print(unsigned char c) { return c >= 0x20 && c < 0x7f; }

uint16_t load16(const sockaddr* sa, size_t off) {
  uint16_t v;
  std::memcpy(&v, reinterpret_cast<const char*>(sa) + off, 2);
  return v;
}
uint32_t load32(const sockaddr* sa, size_t off) {
  uint32_t v;
  std::memcpy(&v, reinterpret_cast<const char*>(sa) + off, 4);
  return v;
}

std::string hex_bytes(const unsigned char* p, size_t n, char sep) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i && sep) out.push_back(sep);
    fmt::format_to(std::back_inserter(out), "{:02x}", p[i]);
  }
  return out;
}

// "1.2.3.4" or "1.2.3.4:80", written by hand: glibc's inet_ntop formats
// IPv4 through sprintf, and filan -p writes thousands of these.
void append_inet4(std::string& out, const sockaddr* sa, socklen_t len, bool with_port) {
  if (len < sizeof(sockaddr_in)) return;
  sockaddr_in in;
  std::memcpy(&in, sa, sizeof in);
  unsigned char b[4];
  std::memcpy(b, &in.sin_addr, 4);
  char buf[24];  // "255.255.255.255:65535"
  char* p = buf;
  for (int i = 0; i < 4; ++i) {
    if (i) *p++ = '.';
    p = std::to_chars(p, buf + sizeof buf, b[i]).ptr;
  }
  if (with_port) {
    *p++ = ':';
    p = std::to_chars(p, buf + sizeof buf, ntohs(in.sin_port)).ptr;
  }
  out.append(buf, static_cast<size_t>(p - buf));
}

std::string inet4_text(const sockaddr* sa, socklen_t len, bool with_port) {
  std::string out;
  append_inet4(out, sa, len, with_port);
  return out;
}

std::string inet6_text(const sockaddr* sa, socklen_t len, bool with_port) {
  if (len < sizeof(sockaddr_in6)) return {};
  sockaddr_in6 in6;
  std::memcpy(&in6, sa, sizeof in6);
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &in6.sin6_addr, buf, sizeof buf);
  std::string addr = buf;
  if (in6.sin6_scope_id) addr += fmt::format("%{}", in6.sin6_scope_id);
  if (!with_port) return addr;
  return fmt::format("[{}]:{}", addr, ntohs(in6.sin6_port));
}

// sockaddr_nl: family(2) pad(2) pid(4) groups(4)
std::string netlink_text(const sockaddr* sa, socklen_t len) {
  if (len < 12) return {};
  return fmt::format("{}:{}", load32(sa, 4), load32(sa, 8));
}

// sockaddr_ll: family(2) protocol(2, be) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8)
std::string packet_text(const sockaddr* sa, socklen_t len) {
  if (len < 12) return {};
  int ifindex = static_cast<int>(load32(sa, 4));
  unsigned proto = ntohs(load16(sa, 2));
  std::string_view pname = eth_protocol_name(static_cast<int>(proto));
  if (pname.empty()) return fmt::format("{}/0x{:04x}", ifindex, proto);
  return fmt::format("{}/{}", ifindex, pname);
}

// sockaddr_vm: family(2) reserved1(2) port(4) cid(4)
std::string vsock_text(const sockaddr* sa, socklen_t len) {
  if (len < 12) return {};
  return fmt::format("{}:{}", load32(sa, 8), load32(sa, 4));
}

std::string other_text(const sockaddr* sa, socklen_t len) {
  const auto* p = reinterpret_cast<const unsigned char*>(sa);
  if (len <= sizeof(sa_family_t)) return {};
  return hex_bytes(p + sizeof(sa_family_t), len - sizeof(sa_family_t), 0);
}

}  // namespace

std::span<const NameEntry> family_names() { return kFamilies; }
std::span<const NameEntry> socket_type_names() { return kSocketTypes; }
std::span<const NameEntry> ip_protocol_names() { return kIpProtocols; }
std::span<const NameEntry> eth_protocol_names() { return kEthProtocols; }
std::span<const NameEntry> netlink_protocol_names() { return kNetlinkProtocols; }

std::string_view lookup_name(std::span<const NameEntry> table, int value) {
  for (const auto& e : table)
    if (e.value == value) return e.name;
  return {};
}

bool lookup_value(std::span<const NameEntry> table, std::string_view name, int* value) {
  for (const auto& e : table) {
    if (name.size() == std::strlen(e.name) && strncasecmp(name.data(), e.name, name.size()) == 0) {
      if (value) *value = e.value;
      return true;
    }
  }
  return false;
}

std::string_view family_name(int family) { return lookup_name(kFamilies, family); }
std::string_view socket_type_name(int type) { return lookup_name(kSocketTypes, type & 0xf); }
std::string_view ip_protocol_name(int proto) { return lookup_name(kIpProtocols, proto); }
std::string_view eth_protocol_name(int proto) { return lookup_name(kEthProtocols, proto); }
std::string_view netlink_protocol_name(int proto) { return lookup_name(kNetlinkProtocols, proto); }

std::string_view protocol_name(int family, int protocol) {
  switch (family) {
    case AF_INET:
    case AF_INET6:
      return ip_protocol_name(protocol);
    case AF_NETLINK:
      return netlink_protocol_name(protocol);
    case AF_PACKET:
      return eth_protocol_name(ntohs(static_cast<uint16_t>(protocol)));
    default:
      return {};
  }
}

std::string_view protocol_word(int family, int type, int protocol) {
  type &= 0xf;
  switch (family) {
    case AF_UNIX:
      return "unix";
    case AF_NETLINK:
      return "netlink";
    case AF_PACKET:
      return "packet";
    case AF_VSOCK:
      return "vsock";
    case AF_INET:
    case AF_INET6:
      if (type == SOCK_RAW) return "raw";
      switch (protocol) {
        case IPPROTO_TCP:
        case 262:  // MPTCP
          return "tcp";
        case IPPROTO_UDP:
          return "udp";
        case IPPROTO_UDPLITE:
          return "udplite";
        case IPPROTO_SCTP:
          return "sctp";
        case IPPROTO_ICMP:
        case IPPROTO_ICMPV6:
          return "icmp";
        case IPPROTO_DCCP:
          return "dccp";
        case 0:
          if (type == SOCK_STREAM) return "tcp";
          if (type == SOCK_DGRAM) return "udp";
          return {};
        default:
          return {};
      }
    default:
      return {};
  }
}

SockAddr SockAddr::from(const sockaddr* sa, socklen_t len) {
  SockAddr a;
  if (sa == nullptr) return a;
  a.len = std::min<socklen_t>(len, sizeof a.storage);
  std::memcpy(&a.storage, sa, a.len);
  return a;
}

Result<SockAddr> local_address(int fd) {
  SockAddr a;
  a.len = sizeof a.storage;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a.storage), &a.len) < 0)
    return sys_error(fmt::format("getsockname(fd {})", fd));
  a.len = std::min<socklen_t>(a.len, sizeof a.storage);
  return a;
}

Result<SockAddr> peer_address(int fd) {
  SockAddr a;
  a.len = sizeof a.storage;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&a.storage), &a.len) < 0)
    return sys_error(fmt::format("getpeername(fd {})", fd));
  a.len = std::min<socklen_t>(a.len, sizeof a.storage);
  return a;
}

UnixAddrKind unix_addr_kind(const sockaddr* sa, socklen_t len) {
  if (len <= kUnixPathOffset) return UnixAddrKind::Unnamed;
  const char* path = reinterpret_cast<const char*>(sa) + kUnixPathOffset;
  return path[0] == '\0' ? UnixAddrKind::Abstract : UnixAddrKind::Path;
}

std::string unix_addr_name(const sockaddr* sa, socklen_t len) {
  if (len <= kUnixPathOffset) return {};
  const char* path = reinterpret_cast<const char*>(sa) + kUnixPathOffset;
  size_t n = std::min<size_t>(len - kUnixPathOffset, sizeof(sockaddr_un::sun_path));
  if (path[0] == '\0') return std::string(path + 1, n - 1);
  const void* nul = std::memchr(path, '\0', n);
  if (nul) n = static_cast<const char*>(nul) - path;
  return std::string(path, n);
}

std::string socat_escape(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    switch (c) {
      case '\0': out += "\\0"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\\': out += "\\\\"; break;
      default:
        if (is_print(c))
          out.push_back(static_cast<char>(c));
        else
          fmt::format_to(std::back_inserter(out), "\\x{:02X}", c);
    }
  }
  return out;
}

namespace {

// UNIX address in the three styles.
std::string unix_text(const sockaddr* sa, socklen_t len, AddrStyle style) {
  UnixAddrKind kind = unix_addr_kind(sa, len);
  std::string name = unix_addr_name(sa, len);
  switch (style) {
    case AddrStyle::Socat:
      if (kind == UnixAddrKind::Unnamed) return "\"<anon>\"";
      if (kind == UnixAddrKind::Abstract) return "\"" + socat_escape(std::string(1, '\0') + name) + "\"";
      return "\"" + socat_escape(name) + "\"";
    case AddrStyle::SocatShort:
      if (kind == UnixAddrKind::Unnamed) return "<anon>";
      if (kind == UnixAddrKind::Abstract) return socat_escape(std::string(1, '\0') + name);
      return socat_escape(name);
    case AddrStyle::Plain:
      if (kind == UnixAddrKind::Unnamed) return {};
      if (kind == UnixAddrKind::Abstract) {
        std::string out = "@";
        for (char c : name) out.push_back(c == '\0' ? '@' : c);
        return out;
      }
      return name;
  }
  return {};
}

std::string body_text(const sockaddr* sa, socklen_t len, AddrStyle style) {
  int family = len >= sizeof(sa_family_t) ? sa->sa_family : AF_UNSPEC;
  switch (family) {
    case AF_INET: return inet4_text(sa, len, true);
    case AF_INET6: return inet6_text(sa, len, true);
    case AF_UNIX: return unix_text(sa, len, style);
    case AF_NETLINK: return netlink_text(sa, len);
    case AF_PACKET: return packet_text(sa, len);
    case AF_VSOCK: return vsock_text(sa, len);
    default: return other_text(sa, len);
  }
}

}  // namespace

void append_sockaddr(std::string& out, const sockaddr* sa, socklen_t len, AddrStyle style) {
  if (sa == nullptr || len < sizeof(sa_family_t)) {
    if (style == AddrStyle::Socat) out += "AF=0 ";
    return;
  }
  int f = sa->sa_family;
  bool known = f == AF_INET || f == AF_INET6 || f == AF_UNIX || f == AF_NETLINK || f == AF_PACKET || f == AF_VSOCK;
  if (style == AddrStyle::Socat || (style == AddrStyle::Plain && !known)) {
    char buf[16] = "AF=";
    char* p = std::to_chars(buf + 3, buf + sizeof buf - 1, f).ptr;
    *p++ = ' ';
    out.append(buf, static_cast<size_t>(p - buf));
  }
  if (f == AF_INET)
    append_inet4(out, sa, len, true);  // the common case, without a temporary
  else
    out += body_text(sa, len, style);
}

std::string format_sockaddr(const sockaddr* sa, socklen_t len, AddrStyle style) {
  std::string out;
  append_sockaddr(out, sa, len, style);
  return out;
}

void sockaddr_json(JsonWriter& w, const sockaddr* sa, socklen_t len) {
  w.begin_object();
  int family = (sa && len >= sizeof(sa_family_t)) ? sa->sa_family : AF_UNSPEC;
  std::string_view fname = family_name(family);
  if (fname.empty())
    w.field("family", std::to_string(family));
  else
    w.field("family", fname);
  switch (family) {
    case AF_INET:
      if (len >= sizeof(sockaddr_in)) {
        sockaddr_in in;
        std::memcpy(&in, sa, sizeof in);
        w.field("address", inet4_text(sa, len, false));
        w.field("port", ntohs(in.sin_port));
      }
      break;
    case AF_INET6:
      if (len >= sizeof(sockaddr_in6)) {
        sockaddr_in6 in6;
        std::memcpy(&in6, sa, sizeof in6);
        char buf[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &in6.sin6_addr, buf, sizeof buf);
        w.field("address", std::string_view(buf));
        w.field("port", ntohs(in6.sin6_port));
        if (in6.sin6_flowinfo) w.field("flowinfo", ntohl(in6.sin6_flowinfo));
        if (in6.sin6_scope_id) w.field("scope_id", in6.sin6_scope_id);
      }
      break;
    case AF_UNIX:
      switch (unix_addr_kind(sa, len)) {
        case UnixAddrKind::Unnamed: w.field("unnamed", true); break;
        case UnixAddrKind::Path: w.field("path", unix_addr_name(sa, len)); break;
        case UnixAddrKind::Abstract: w.field("abstract", unix_addr_name(sa, len)); break;
      }
      break;
    case AF_NETLINK:
      if (len >= 12) {
        w.field("pid", load32(sa, 4));
        w.field("groups", load32(sa, 8));
      }
      break;
    case AF_PACKET:
      if (len >= 12) {
        unsigned proto = ntohs(load16(sa, 2));
        w.field("ifindex", static_cast<int>(load32(sa, 4)));
        std::string_view pname = eth_protocol_name(static_cast<int>(proto));
        if (pname.empty())
          w.field("protocol", proto);
        else
          w.field("protocol", pname);
        if (len >= 20) {
          const auto* p = reinterpret_cast<const unsigned char*>(sa);
          w.field("hatype", load16(sa, 8));
          w.field("pkttype", p[10]);
          unsigned halen = std::min<unsigned>(p[11], 8);
          if (halen && len >= 12 + halen) w.field("hwaddr", hex_bytes(p + 12, halen, ':'));
        }
      }
      break;
    case AF_VSOCK:
      if (len >= 12) {
        w.field("cid", load32(sa, 8));
        w.field("port", load32(sa, 4));
      }
      break;
    default:
      break;
  }
  w.field("text", sa ? format_sockaddr(sa, len, AddrStyle::Plain) : std::string());
  w.end_object();
}

}  // namespace fdscope
