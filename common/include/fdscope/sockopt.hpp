// Socket options: one table describing every readable option of SOL_SOCKET,
// IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP, SOL_PACKET, SOL_NETLINK
// and AF_VSOCK on this kernel (Linux has no SOL_UNIX-level options: the UNIX
// ones are SOL_SOCKET rows with kFamUnix), a reader that fetches the
// applicable ones from a socket, and renderers.  filan renders them, relay's option parser looks
// options up by key (and uses `settable`), trace decodes setsockopt calls.
//
// The reader never blocks and never changes the socket: options whose read
// has side effects (SO_ERROR clears the pending error, PACKET_STATISTICS
// resets counters, TCP_SAVED_SYN frees the saved SYN, TCP_ZEROCOPY_RECEIVE
// consumes data, SO_PEERPIDFD creates an fd) carry kNoAutoRead and are only
// read on explicit request (read_sockopt).  Options the kernel refuses
// (ENOPROTOOPT, EINVAL, EOPNOTSUPP, ENOTCONN, EPERM, ...) are absent from the
// result, never reported as zero.
//
// Renderings:
//   text   socat filan layout: "<socat name>=<value>" where the socat name is
//          the symbol without "SO_" for SOL_SOCKET options ("RCVBUF=212992",
//          "LINGER={0,0}", "RCVTIMEO={0,0}", "PEERCRED={pid,uid,gid}") and
//          the full symbol for the other levels ("IP_TTL=64",
//          "TCP_NODELAY=1"); fields separated by tabs.
//   short  "<key>=<value>" with the decoded value ("so-type=SOCK_STREAM",
//          "so-linger=off", "so-rcvtimeo=0.000000"), fields separated by spaces.
//   JSON   sockopts_json() writes an object whose keys are the symbols
//          ("SO_RCVBUF", "IP_TTL", "TCP_NODELAY", ...) in table order, values:
//            Int, UInt, U64, Int8 -> number
//            Bool        -> true/false
//            Timeval     -> number (seconds, microsecond precision)
//            Linger      -> {"onoff": bool, "linger": seconds}
//            String      -> string
//            Bytes       -> string of lower-case hex digits
//            Ucred       -> {"pid": n, "uid": n, "gid": n}
//            Gids        -> [gid, ...]
//            InAddr      -> string "a.b.c.d"
//            SockAddr    -> sockaddr object (see sockaddr.hpp)
//            U32Array    -> [n, ...]
//            Enum        -> string (decoded name, or the number as a string)
//          These keys are stable: new options add keys, existing ones keep
//          their name and value type.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdscope/json.hpp"
#include "fdscope/result.hpp"
#include "fdscope/sockaddr.hpp"

namespace fdscope {

enum class OptType : uint8_t {
  Int,       // int
  UInt,      // unsigned int
  Bool,      // int, 0 or non-zero
  Int8,      // value may come back as 1 byte (IP_MULTICAST_TTL/LOOP) or int
  U64,       // uint64_t (SO_COOKIE, SO_NETNS_COOKIE, SO_MAX_PACING_RATE)
  Timeval,   // struct timeval
  Linger,    // struct linger
  String,    // NUL-terminated text (SO_BINDTODEVICE, TCP_CONGESTION)
  Bytes,     // opaque bytes, rendered in hex
  Ucred,     // struct ucred
  Gids,      // array of gid_t (SO_PEERGROUPS)
  InAddr,    // struct in_addr (IP_MULTICAST_IF)
  SockAddr,  // a socket address (SO_PEERNAME)
  U32Array,  // array of uint32_t (SO_MEMINFO, NETLINK_LIST_MEMBERSHIPS)
  Enum,      // int decoded with SockOptDesc::names
};

// Which sockets an option applies to.  An option applies when the socket's
// family is in `families` and (protocols == 0 or its protocol/type is in
// `protocols`).
enum : uint32_t {
  kFamUnix = 1u << 0,
  kFamInet = 1u << 1,
  kFamInet6 = 1u << 2,
  kFamNetlink = 1u << 3,
  kFamPacket = 1u << 4,
  kFamVsock = 1u << 5,
  kFamOther = 1u << 6,
  kFamIp = kFamInet | kFamInet6,
  kFamAll = 0x7f,
};
enum : uint32_t {
  kProtoTcp = 1u << 0,    // IPPROTO_TCP (and MPTCP) stream sockets
  kProtoUdp = 1u << 1,    // IPPROTO_UDP / UDPLITE
  kProtoRaw = 1u << 2,    // SOCK_RAW inet sockets
  kProtoIcmp = 1u << 3,   // ping sockets (IPPROTO_ICMP/ICMPV6 dgram)
  kProtoSctp = 1u << 4,
  kProtoStream = 1u << 5, // non-IP SOCK_STREAM (unix)
  kProtoDgram = 1u << 6,  // non-IP SOCK_DGRAM
  kProtoSeqpacket = 1u << 7,
};

// Row flags.
enum : uint16_t {
  kSettable = 1u << 0,    // setsockopt accepts it (relay may set it)
  kNoAutoRead = 1u << 1,  // read has side effects / creates fds: read_sockopts skips it
  kRootOnly = 1u << 2,    // reading or setting needs CAP_NET_ADMIN / CAP_NET_RAW
  kSocatShown = 1u << 3,  // socat's filan prints it (text renderer keeps its order)
};

struct SockOptDesc {
  int level;
  int optname;
  const char* symbol;  // "SO_RCVBUF"
  const char* key;     // "so-rcvbuf": short form, relay option name
  OptType type;
  uint32_t families;
  uint32_t protocols;  // 0 = any protocol of those families
  uint16_t flags;
  uint16_t size;       // buffer size to read with (0 = natural size of type)
  std::span<const NameEntry> names;  // for OptType::Enum (may be empty)

  bool settable() const { return flags & kSettable; }
};

// The table, grouped by level in the order SOL_SOCKET, IP, IPV6, TCP, UDP,
// PACKET, NETLINK and AF_VSOCK (vsock's option level is its address family),
// ascending optname within a level.
std::span<const SockOptDesc> sockopt_table();

// Lookups: by symbol ("SO_RCVBUF"), by key ("so-rcvbuf"), case-insensitive;
// by level and optname.  nullptr when unknown.
const SockOptDesc* find_sockopt(std::string_view symbol_or_key);
const SockOptDesc* find_sockopt(int level, int optname);

// Level names: "SOL_SOCKET", "IPPROTO_IP", ... ("" if unknown).
std::string_view sockopt_level_name(int level);
// The names strace gives setsockopt/getsockopt arguments (the syscall
// formatter's): levels as "SOL_SOCKET", "SOL_IP", "SOL_TCP", "SOL_IPV6" ...,
// options by the table's symbols plus those the table does not hold
// (SO_ATTACH_FILTER, TCP_INFO ...) and strace's "SO_RCVTIMEO_OLD" spelling
// of the 64-bit time options.  "" when unknown.
std::string_view sockopt_level_call_name(int level);
std::string_view sockopt_call_name(int level, int optname);

// Family/protocol classification used by `families` / `protocols`.
uint32_t sockopt_family_bit(int family);
uint32_t sockopt_protocol_bit(int family, int type, int protocol);
bool sockopt_applies(const SockOptDesc& d, int family, int type, int protocol);

// One option's value as read: the bytes getsockopt returned (exactly len).
struct SockOptValue {
  const SockOptDesc* desc = nullptr;
  std::vector<uint8_t> raw;

  // Integer view for Int/UInt/Bool/Int8/U64/Enum (and the first int of others).
  std::optional<int64_t> as_int() const;
  // String view for String (up to the first NUL).
  std::string as_string() const;
};

// Reads one option (even a kNoAutoRead one).  The error carries the errno.
Result<SockOptValue> read_sockopt(int fd, const SockOptDesc& d);

// Reads every applicable, auto-readable option of a socket, in table order;
// refused options are absent.  family/type/protocol as from SO_DOMAIN,
// SO_TYPE, SO_PROTOCOL.
std::vector<SockOptValue> read_sockopts(int fd, int family, int type, int protocol);
// Same, querying SO_DOMAIN/SO_TYPE/SO_PROTOCOL itself.
Result<std::vector<SockOptValue>> read_sockopts(int fd);

// The value alone, decoded: "212992", "1", "{0,0}" (socat forms for text),
// or decoded forms for short ("SOCK_STREAM", "off", "0.250000").
std::string sockopt_value_text(const SockOptValue& v);   // socat form
std::string sockopt_value_short(const SockOptValue& v);  // decoded form

// socat's name for an option: symbol without "SO_" for SOL_SOCKET.
std::string socat_sockopt_name(const SockOptDesc& d);

std::string sockopt_text(const SockOptValue& v);   // "RCVBUF=212992"
std::string sockopt_short(const SockOptValue& v);  // "so-rcvbuf=212992"

// Whole lists: text fields joined by '\t', short fields by ' '.
std::string sockopts_text(std::span<const SockOptValue> values);
std::string sockopts_short(std::span<const SockOptValue> values);

// Writes one value (as documented above), or the whole object of values.
void sockopt_value_json(JsonWriter& w, const SockOptValue& v);
void sockopts_json(JsonWriter& w, std::span<const SockOptValue> values);

}  // namespace fdscope
