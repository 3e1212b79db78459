// The socket option table: one row per option, written once and read by
// every consumer (filan's renderers, relay's option parser, trace's
// setsockopt decoder).  Rows cover every option the running kernel (6.18)
// answers getsockopt for at SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6,
// IPPROTO_TCP, IPPROTO_UDP, SOL_PACKET, SOL_NETLINK and AF_VSOCK, found by
// probing every optname on real sockets; plus a few set-only options relay
// needs (membership joins), marked kNoAutoRead.  Linux has no SOL_UNIX-level
// options: the UNIX-specific ones (SO_PASSCRED, SO_PEERCRED, SO_PEEK_OFF,
// SO_PASSPIDFD, SO_PEERPIDFD, SO_PASSRIGHTS, SO_INQ) live at SOL_SOCKET and
// carry kFamUnix.  glibc's headers are older than the kernel, so every
// constant is defined here with the kernel's number when glibc lacks it.
// Not covered: TCP_AO_* (this kernel is built without TCP-AO: ENOPROTOOPT),
// IP(V6)_XFRM/IPSEC_POLICY (need policy input), MCAST_MSFILTER (needs input).
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <netpacket/packet.h>
#include <sys/socket.h>

#include <cstddef>

#include "fdscope/sockopt.hpp"

// ---- constants glibc 2.36 may lack (kernel numbers) ----
#ifndef SOL_PACKET
#define SOL_PACKET 263
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef SOL_VSOCK
#define SOL_VSOCK 287
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#ifndef SO_SECURITY_AUTHENTICATION
#define SO_SECURITY_AUTHENTICATION 22
#endif
#ifndef SO_PEERNAME
#define SO_PEERNAME 28
#endif
#ifndef SO_ACCEPTCONN
#define SO_ACCEPTCONN 30
#endif
#ifndef SO_PEERSEC
#define SO_PEERSEC 31
#endif
#ifndef SO_PASSSEC
#define SO_PASSSEC 34
#endif
#ifndef SO_TIMESTAMPNS_OLD
#define SO_TIMESTAMPNS_OLD 35
#endif
#ifndef SO_MARK
#define SO_MARK 36
#endif
#ifndef SO_TIMESTAMPING_OLD
#define SO_TIMESTAMPING_OLD 37
#endif
#ifndef SO_PROTOCOL
#define SO_PROTOCOL 38
#endif
#ifndef SO_DOMAIN
#define SO_DOMAIN 39
#endif
#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif
#ifndef SO_WIFI_STATUS
#define SO_WIFI_STATUS 41
#endif
#ifndef SO_PEEK_OFF
#define SO_PEEK_OFF 42
#endif
#ifndef SO_NOFCS
#define SO_NOFCS 43
#endif
#ifndef SO_LOCK_FILTER
#define SO_LOCK_FILTER 44
#endif
#ifndef SO_SELECT_ERR_QUEUE
#define SO_SELECT_ERR_QUEUE 45
#endif
#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL 46
#endif
#ifndef SO_MAX_PACING_RATE
#define SO_MAX_PACING_RATE 47
#endif
#ifndef SO_BPF_EXTENSIONS
#define SO_BPF_EXTENSIONS 48
#endif
#ifndef SO_INCOMING_CPU
#define SO_INCOMING_CPU 49
#endif
#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif
#ifndef SO_INCOMING_NAPI_ID
#define SO_INCOMING_NAPI_ID 56
#endif
#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif
#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif
#ifndef SO_ZEROCOPY
#define SO_ZEROCOPY 60
#endif
#ifndef SO_TXTIME
#define SO_TXTIME 61
#endif
#ifndef SO_BINDTOIFINDEX
#define SO_BINDTOIFINDEX 62
#endif
#ifndef SO_TIMESTAMP_NEW
#define SO_TIMESTAMP_NEW 63
#endif
#ifndef SO_TIMESTAMPNS_NEW
#define SO_TIMESTAMPNS_NEW 64
#endif
#ifndef SO_TIMESTAMPING_NEW
#define SO_TIMESTAMPING_NEW 65
#endif
#ifndef SO_RCVTIMEO_NEW
#define SO_RCVTIMEO_NEW 66
#endif
#ifndef SO_SNDTIMEO_NEW
#define SO_SNDTIMEO_NEW 67
#endif
#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET 70
#endif
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif
#ifndef SO_BUF_LOCK
#define SO_BUF_LOCK 72
#endif
#ifndef SO_RESERVE_MEM
#define SO_RESERVE_MEM 73
#endif
#ifndef SO_TXREHASH
#define SO_TXREHASH 74
#endif
#ifndef SO_RCVMARK
#define SO_RCVMARK 75
#endif
#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD 76
#endif
#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif
#ifndef SO_RCVPRIORITY
#define SO_RCVPRIORITY 82
#endif
#ifndef SO_PASSRIGHTS
#define SO_PASSRIGHTS 83
#endif
#ifndef SO_INQ
#define SO_INQ 84
#endif
// IPPROTO_IP
#ifndef IP_RECVORIGDSTADDR
#define IP_RECVORIGDSTADDR 20
#endif
#ifndef IP_MINTTL
#define IP_MINTTL 21
#endif
#ifndef IP_NODEFRAG
#define IP_NODEFRAG 22
#endif
#ifndef IP_CHECKSUM
#define IP_CHECKSUM 23
#endif
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif
#ifndef IP_RECVFRAGSIZE
#define IP_RECVFRAGSIZE 25
#endif
#ifndef IP_RECVERR_RFC4884
#define IP_RECVERR_RFC4884 26
#endif
#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL 49
#endif
#ifndef IP_UNICAST_IF
#define IP_UNICAST_IF 50
#endif
#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE 51
#endif
#ifndef IP_PROTOCOL
#define IP_PROTOCOL 52
#endif
// IPPROTO_IPV6
#ifndef IPV6_2292PKTINFO
#define IPV6_2292PKTINFO 2
#endif
#ifndef IPV6_2292HOPOPTS
#define IPV6_2292HOPOPTS 3
#endif
#ifndef IPV6_2292DSTOPTS
#define IPV6_2292DSTOPTS 4
#endif
#ifndef IPV6_2292RTHDR
#define IPV6_2292RTHDR 5
#endif
#ifndef IPV6_2292PKTOPTIONS
#define IPV6_2292PKTOPTIONS 6
#endif
#ifndef IPV6_2292HOPLIMIT
#define IPV6_2292HOPLIMIT 8
#endif
#ifndef IPV6_FLOWINFO
#define IPV6_FLOWINFO 11
#endif
#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29
#endif
#ifndef IPV6_ROUTER_ALERT_ISOLATE
#define IPV6_ROUTER_ALERT_ISOLATE 30
#endif
#ifndef IPV6_RECVERR_RFC4884
#define IPV6_RECVERR_RFC4884 31
#endif
#ifndef IPV6_FLOWINFO_SEND
#define IPV6_FLOWINFO_SEND 33
#endif
#ifndef IPV6_RECVPATHMTU
#define IPV6_RECVPATHMTU 60
#endif
#ifndef IPV6_PATHMTU
#define IPV6_PATHMTU 61
#endif
#ifndef IPV6_DONTFRAG
#define IPV6_DONTFRAG 62
#endif
#ifndef IPV6_AUTOFLOWLABEL
#define IPV6_AUTOFLOWLABEL 70
#endif
#ifndef IPV6_ADDR_PREFERENCES
#define IPV6_ADDR_PREFERENCES 72
#endif
#ifndef IPV6_MINHOPCOUNT
#define IPV6_MINHOPCOUNT 73
#endif
#ifndef IPV6_RECVORIGDSTADDR
#define IPV6_RECVORIGDSTADDR 74
#endif
#ifndef IPV6_TRANSPARENT
#define IPV6_TRANSPARENT 75
#endif
#ifndef IPV6_UNICAST_IF
#define IPV6_UNICAST_IF 76
#endif
#ifndef IPV6_RECVFRAGSIZE
#define IPV6_RECVFRAGSIZE 77
#endif
#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND 78
#endif
// IPPROTO_TCP
#ifndef TCP_CC_INFO
#define TCP_CC_INFO 26
#endif
#ifndef TCP_SAVE_SYN
#define TCP_SAVE_SYN 27
#endif
#ifndef TCP_SAVED_SYN
#define TCP_SAVED_SYN 28
#endif
#ifndef TCP_REPAIR_WINDOW
#define TCP_REPAIR_WINDOW 29
#endif
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif
#ifndef TCP_ULP
#define TCP_ULP 31
#endif
#ifndef TCP_MD5SIG_EXT
#define TCP_MD5SIG_EXT 32
#endif
#ifndef TCP_FASTOPEN_KEY
#define TCP_FASTOPEN_KEY 33
#endif
#ifndef TCP_FASTOPEN_NO_COOKIE
#define TCP_FASTOPEN_NO_COOKIE 34
#endif
#ifndef TCP_ZEROCOPY_RECEIVE
#define TCP_ZEROCOPY_RECEIVE 35
#endif
#ifndef TCP_INQ
#define TCP_INQ 36
#endif
#ifndef TCP_TX_DELAY
#define TCP_TX_DELAY 37
#endif
#ifndef TCP_IS_MPTCP
#define TCP_IS_MPTCP 43
#endif
#ifndef TCP_RTO_MAX_MS
#define TCP_RTO_MAX_MS 44
#endif
#ifndef TCP_RTO_MIN_US
#define TCP_RTO_MIN_US 45
#endif
#ifndef TCP_DELACK_MAX_US
#define TCP_DELACK_MAX_US 46
#endif
// IPPROTO_UDP
#ifndef UDP_CORK
#define UDP_CORK 1
#endif
#ifndef UDPLITE_SEND_CSCOV
#define UDPLITE_SEND_CSCOV 10
#endif
#ifndef UDPLITE_RECV_CSCOV
#define UDPLITE_RECV_CSCOV 11
#endif
#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif
#ifndef UDP_NO_CHECK6_TX
#define UDP_NO_CHECK6_TX 101
#endif
#ifndef UDP_NO_CHECK6_RX
#define UDP_NO_CHECK6_RX 102
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif
// SOL_PACKET
#ifndef PACKET_COPY_THRESH
#define PACKET_COPY_THRESH 7
#endif
#ifndef PACKET_VNET_HDR
#define PACKET_VNET_HDR 15
#endif
#ifndef PACKET_TX_TIMESTAMP
#define PACKET_TX_TIMESTAMP 16
#endif
#ifndef PACKET_TIMESTAMP
#define PACKET_TIMESTAMP 17
#endif
#ifndef PACKET_FANOUT
#define PACKET_FANOUT 18
#endif
#ifndef PACKET_TX_HAS_OFF
#define PACKET_TX_HAS_OFF 19
#endif
#ifndef PACKET_QDISC_BYPASS
#define PACKET_QDISC_BYPASS 20
#endif
#ifndef PACKET_ROLLOVER_STATS
#define PACKET_ROLLOVER_STATS 21
#endif
#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif
#ifndef PACKET_VNET_HDR_SZ
#define PACKET_VNET_HDR_SZ 24
#endif
// SOL_NETLINK
#ifndef NETLINK_LISTEN_ALL_NSID
#define NETLINK_LISTEN_ALL_NSID 8
#endif
#ifndef NETLINK_LIST_MEMBERSHIPS
#define NETLINK_LIST_MEMBERSHIPS 9
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif
// AF_VSOCK level (linux/vm_sockets.h: vsock options use the address family
// as their level; SOL_VSOCK (287) is only for control messages)
#define SO_VM_SOCKETS_BUFFER_SIZE 0
#define SO_VM_SOCKETS_BUFFER_MIN_SIZE 1
#define SO_VM_SOCKETS_BUFFER_MAX_SIZE 2
#define SO_VM_SOCKETS_PEER_HOST_VM_ID 3
#define SO_VM_SOCKETS_TRUSTED 5
#define SO_VM_SOCKETS_CONNECT_TIMEOUT 6
#define SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW 8

namespace fdscope {
namespace {

// "SO_RCVBUF" -> "so-rcvbuf" at compile time: relay's option names.
template <size_t N>
struct Kebab {
  char s[N]{};
  constexpr Kebab(const char (&in)[N]) {
    for (size_t i = 0; i < N; ++i) {
      char c = in[i];
      s[i] = c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
};
template <Kebab K>
constexpr const char* kebab() {
  return K.s;
}

constexpr NameEntry kSockTypes[] = {
    {1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"},
    {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"}, {10, "SOCK_PACKET"},
};
constexpr NameEntry kDomains[] = {
    {1, "AF_UNIX"}, {2, "AF_INET"}, {10, "AF_INET6"}, {16, "AF_NETLINK"},
    {17, "AF_PACKET"}, {40, "AF_VSOCK"},
};
constexpr NameEntry kPmtuDisc[] = {
    {0, "IP_PMTUDISC_DONT"}, {1, "IP_PMTUDISC_WANT"}, {2, "IP_PMTUDISC_DO"},
    {3, "IP_PMTUDISC_PROBE"}, {4, "IP_PMTUDISC_INTERFACE"}, {5, "IP_PMTUDISC_OMIT"},
};
constexpr NameEntry kPmtuDisc6[] = {
    {0, "IPV6_PMTUDISC_DONT"}, {1, "IPV6_PMTUDISC_WANT"}, {2, "IPV6_PMTUDISC_DO"},
    {3, "IPV6_PMTUDISC_PROBE"}, {4, "IPV6_PMTUDISC_INTERFACE"}, {5, "IPV6_PMTUDISC_OMIT"},
};
constexpr NameEntry kTpacketVersions[] = {
    {0, "TPACKET_V1"}, {1, "TPACKET_V2"}, {2, "TPACKET_V3"},
};
constexpr NameEntry kTcpRepairQueue[] = {
    {0, "TCP_NO_QUEUE"}, {1, "TCP_RECV_QUEUE"}, {2, "TCP_SEND_QUEUE"},
};

constexpr uint32_t U = kFamUnix, I4 = kFamInet, I6 = kFamInet6, IP = kFamIp, NL = kFamNetlink,
                   PK = kFamPacket, VS = kFamVsock, ALL = kFamAll;
constexpr uint32_t TCP = kProtoTcp, UDP = kProtoUdp, RAW = kProtoRaw;
constexpr uint16_t S = kSettable, NA = kNoAutoRead, R = kRootOnly, SC = kSocatShown;

#define ROW(level, sym, type, fam, proto, flags) \
  {level, sym, #sym, kebab<#sym>(), OptType::type, fam, proto, static_cast<uint16_t>(flags), 0, {}}
#define ROWN(level, sym, type, fam, proto, flags, size) \
  {level, sym, #sym, kebab<#sym>(), OptType::type, fam, proto, static_cast<uint16_t>(flags), size, {}}
#define ROWE(level, sym, fam, proto, flags, names) \
  {level, sym, #sym, kebab<#sym>(), OptType::Enum, fam, proto, static_cast<uint16_t>(flags), 0, names}

constexpr SockOptDesc kTable[] = {
    // ---- SOL_SOCKET ----
    ROW(SOL_SOCKET, SO_DEBUG, Bool, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_REUSEADDR, Bool, ALL, 0, S | SC),
    ROWE(SOL_SOCKET, SO_TYPE, ALL, 0, SC, kSockTypes),
    // Reading SO_ERROR clears the pending error: never read automatically.
    ROW(SOL_SOCKET, SO_ERROR, Int, ALL, 0, NA),
    ROW(SOL_SOCKET, SO_DONTROUTE, Bool, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_BROADCAST, Bool, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_SNDBUF, Int, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_RCVBUF, Int, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_KEEPALIVE, Bool, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_OOBINLINE, Bool, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_NO_CHECK, Bool, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_PRIORITY, Int, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_LINGER, Linger, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_BSDCOMPAT, Bool, ALL, 0, SC),
    ROW(SOL_SOCKET, SO_REUSEPORT, Bool, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_PASSCRED, Bool, U | NL, 0, S | SC),
    ROW(SOL_SOCKET, SO_PEERCRED, Ucred, U, 0, SC),
    ROW(SOL_SOCKET, SO_RCVLOWAT, Int, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_SNDLOWAT, Int, ALL, 0, SC),
    ROW(SOL_SOCKET, SO_RCVTIMEO, Timeval, ALL, 0, S | SC),
    ROW(SOL_SOCKET, SO_SNDTIMEO, Timeval, ALL, 0, S | SC),
    ROWN(SOL_SOCKET, SO_BINDTODEVICE, String, ALL & ~U, 0, S | SC, 16),
    // SO_GET_FILTER with len 0 returns the filter's instruction count in len.
    ROWN(SOL_SOCKET, SO_PEERNAME, SockAddr, U | IP, 0, 0, sizeof(sockaddr_storage)),
    ROW(SOL_SOCKET, SO_TIMESTAMP, Bool, ALL, 0, S),
    ROW(SOL_SOCKET, SO_ACCEPTCONN, Bool, ALL, 0, 0),
    ROWN(SOL_SOCKET, SO_PEERSEC, String, U, 0, 0, 4096),
    ROW(SOL_SOCKET, SO_SNDBUFFORCE, Int, ALL, 0, S | NA | R),
    ROW(SOL_SOCKET, SO_RCVBUFFORCE, Int, ALL, 0, S | NA | R),
    ROW(SOL_SOCKET, SO_PASSSEC, Bool, U | NL, 0, S),
    ROW(SOL_SOCKET, SO_TIMESTAMPNS, Bool, ALL, 0, S),
    ROW(SOL_SOCKET, SO_MARK, UInt, ALL, 0, S | R),
    ROWN(SOL_SOCKET, SO_TIMESTAMPING, U32Array, ALL, 0, S, 8),
    ROW(SOL_SOCKET, SO_PROTOCOL, Int, ALL, 0, SC),
    ROWE(SOL_SOCKET, SO_DOMAIN, ALL, 0, 0, kDomains),
    ROW(SOL_SOCKET, SO_RXQ_OVFL, Bool, ALL, 0, S),
    ROW(SOL_SOCKET, SO_WIFI_STATUS, Bool, ALL, 0, S),
    ROW(SOL_SOCKET, SO_PEEK_OFF, Int, ALL, 0, S),
    ROW(SOL_SOCKET, SO_NOFCS, Bool, ALL, 0, S),
    ROW(SOL_SOCKET, SO_LOCK_FILTER, Bool, ALL, 0, S),
    ROW(SOL_SOCKET, SO_SELECT_ERR_QUEUE, Bool, ALL, 0, S),
    ROW(SOL_SOCKET, SO_BUSY_POLL, Int, ALL, 0, S),
    ROW(SOL_SOCKET, SO_MAX_PACING_RATE, U64, ALL, 0, S),
    ROW(SOL_SOCKET, SO_BPF_EXTENSIONS, UInt, ALL, 0, 0),
    ROW(SOL_SOCKET, SO_INCOMING_CPU, Int, ALL, 0, S),
    ROWN(SOL_SOCKET, SO_MEMINFO, U32Array, ALL, 0, 0, 9 * 4),
    ROW(SOL_SOCKET, SO_INCOMING_NAPI_ID, UInt, ALL, 0, 0),
    ROW(SOL_SOCKET, SO_COOKIE, U64, ALL, 0, 0),
    ROWN(SOL_SOCKET, SO_PEERGROUPS, Gids, U, 0, 0, 1024),
    ROW(SOL_SOCKET, SO_ZEROCOPY, Bool, ALL, 0, S),
    ROWN(SOL_SOCKET, SO_TXTIME, U32Array, ALL, 0, S, 8),
    ROW(SOL_SOCKET, SO_BINDTOIFINDEX, Int, ALL & ~U, 0, S),
    // The _NEW forms report the same values as the classic rows on 64-bit.
    ROW(SOL_SOCKET, SO_TIMESTAMP_NEW, Bool, ALL, 0, S | NA),
    ROW(SOL_SOCKET, SO_TIMESTAMPNS_NEW, Bool, ALL, 0, S | NA),
    ROWN(SOL_SOCKET, SO_TIMESTAMPING_NEW, U32Array, ALL, 0, S | NA, 8),
    ROW(SOL_SOCKET, SO_RCVTIMEO_NEW, Timeval, ALL, 0, S | NA),
    ROW(SOL_SOCKET, SO_SNDTIMEO_NEW, Timeval, ALL, 0, S | NA),
    ROW(SOL_SOCKET, SO_PREFER_BUSY_POLL, Bool, ALL, 0, S),
    ROW(SOL_SOCKET, SO_BUSY_POLL_BUDGET, Int, ALL, 0, S | NA),
    ROW(SOL_SOCKET, SO_NETNS_COOKIE, U64, ALL, 0, 0),
    ROW(SOL_SOCKET, SO_BUF_LOCK, UInt, ALL, 0, S),
    ROW(SOL_SOCKET, SO_RESERVE_MEM, Int, ALL, 0, S),
    ROW(SOL_SOCKET, SO_TXREHASH, Int, ALL, 0, S),
    ROW(SOL_SOCKET, SO_RCVMARK, Bool, ALL, 0, S),
    ROW(SOL_SOCKET, SO_PASSPIDFD, Bool, U, 0, S),
    // Reading SO_PEERPIDFD creates a pidfd in the reader: see peer_cred.hpp.
    ROW(SOL_SOCKET, SO_PEERPIDFD, Int, U, 0, NA),
    ROW(SOL_SOCKET, SO_RCVPRIORITY, Bool, ALL, 0, S),
    ROW(SOL_SOCKET, SO_PASSRIGHTS, Bool, U, 0, S),
    ROW(SOL_SOCKET, SO_INQ, Bool, U, 0, S),

    // ---- IPPROTO_IP ----
    ROW(IPPROTO_IP, IP_TOS, Int, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_TTL, Int, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_HDRINCL, Bool, I4, RAW, S | SC),
    ROWN(IPPROTO_IP, IP_OPTIONS, Bytes, I4, 0, S | SC, 40),
    ROW(IPPROTO_IP, IP_ROUTER_ALERT, Bool, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_RECVOPTS, Bool, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_RETOPTS, Bool, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_PKTINFO, Bool, I4, 0, S | SC),
    // Returns control messages built from socket state; meaningless as a value.
    ROWN(IPPROTO_IP, IP_PKTOPTIONS, Bytes, I4, TCP, NA, 256),
    ROWE(IPPROTO_IP, IP_MTU_DISCOVER, I4, 0, S | SC, kPmtuDisc),
    ROW(IPPROTO_IP, IP_RECVERR, Bool, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_RECVTTL, Bool, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_RECVTOS, Bool, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_MTU, Int, I4, 0, SC),
    ROW(IPPROTO_IP, IP_FREEBIND, Bool, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_PASSSEC, Bool, I4, 0, S),
    ROW(IPPROTO_IP, IP_TRANSPARENT, Bool, I4, 0, S | SC | R),
    ROW(IPPROTO_IP, IP_RECVORIGDSTADDR, Bool, I4, 0, S),
    ROW(IPPROTO_IP, IP_MINTTL, Int, I4, 0, S),
    ROW(IPPROTO_IP, IP_NODEFRAG, Bool, I4, 0, S),
    ROW(IPPROTO_IP, IP_CHECKSUM, Bool, I4, 0, S),
    ROW(IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, Bool, I4, 0, S),
    ROW(IPPROTO_IP, IP_RECVFRAGSIZE, Bool, I4, 0, S),
    ROW(IPPROTO_IP, IP_RECVERR_RFC4884, Bool, I4, 0, S),
    ROW(IPPROTO_IP, IP_MULTICAST_IF, InAddr, I4, 0, S),
    ROW(IPPROTO_IP, IP_MULTICAST_TTL, Int, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_MULTICAST_LOOP, Bool, I4, 0, S | SC),
    ROW(IPPROTO_IP, IP_ADD_MEMBERSHIP, Bytes, I4, 0, S | NA),
    ROW(IPPROTO_IP, IP_DROP_MEMBERSHIP, Bytes, I4, 0, S | NA),
    ROW(IPPROTO_IP, IP_MULTICAST_ALL, Bool, I4, 0, S),
    ROW(IPPROTO_IP, IP_UNICAST_IF, Int, I4, 0, S),
    ROW(IPPROTO_IP, IP_LOCAL_PORT_RANGE, UInt, I4, 0, S),
    ROW(IPPROTO_IP, IP_PROTOCOL, Int, I4, 0, 0),

    // ---- IPPROTO_IPV6 ----
    ROWE(IPPROTO_IPV6, IPV6_ADDRFORM, I6, 0, S, kDomains),
    ROW(IPPROTO_IPV6, IPV6_2292PKTINFO, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_2292HOPOPTS, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_2292DSTOPTS, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_2292RTHDR, Bool, I6, 0, S),
    ROWN(IPPROTO_IPV6, IPV6_2292PKTOPTIONS, Bytes, I6, TCP, NA, 256),
    ROW(IPPROTO_IPV6, IPV6_CHECKSUM, Int, I6, RAW, S),
    ROW(IPPROTO_IPV6, IPV6_2292HOPLIMIT, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_FLOWINFO, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_UNICAST_HOPS, Int, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_MULTICAST_IF, Int, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, Int, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_JOIN_GROUP, Bytes, I6, 0, S | NA),
    ROW(IPPROTO_IPV6, IPV6_LEAVE_GROUP, Bytes, I6, 0, S | NA),
    ROW(IPPROTO_IPV6, IPV6_ROUTER_ALERT, Bool, I6, 0, S),
    ROWE(IPPROTO_IPV6, IPV6_MTU_DISCOVER, I6, 0, S, kPmtuDisc6),
    ROW(IPPROTO_IPV6, IPV6_MTU, Int, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_RECVERR, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_V6ONLY, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_MULTICAST_ALL, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_ROUTER_ALERT_ISOLATE, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_RECVERR_RFC4884, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_FLOWINFO_SEND, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_RECVPKTINFO, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_RECVHOPOPTS, Bool, I6, 0, S),
    ROWN(IPPROTO_IPV6, IPV6_HOPOPTS, Bytes, I6, 0, S, 256),
    ROWN(IPPROTO_IPV6, IPV6_RTHDRDSTOPTS, Bytes, I6, 0, S, 256),
    ROW(IPPROTO_IPV6, IPV6_RECVRTHDR, Bool, I6, 0, S),
    ROWN(IPPROTO_IPV6, IPV6_RTHDR, Bytes, I6, 0, S, 256),
    ROW(IPPROTO_IPV6, IPV6_RECVDSTOPTS, Bool, I6, 0, S),
    ROWN(IPPROTO_IPV6, IPV6_DSTOPTS, Bytes, I6, 0, S, 256),
    ROW(IPPROTO_IPV6, IPV6_RECVPATHMTU, Bool, I6, 0, S),
    ROWN(IPPROTO_IPV6, IPV6_PATHMTU, Bytes, I6, 0, 0, 32),
    ROW(IPPROTO_IPV6, IPV6_DONTFRAG, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_RECVTCLASS, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_TCLASS, Int, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_AUTOFLOWLABEL, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_ADDR_PREFERENCES, UInt, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_MINHOPCOUNT, Int, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_RECVORIGDSTADDR, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_TRANSPARENT, Bool, I6, 0, S | R),
    ROW(IPPROTO_IPV6, IPV6_UNICAST_IF, Int, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_RECVFRAGSIZE, Bool, I6, 0, S),
    ROW(IPPROTO_IPV6, IPV6_FREEBIND, Bool, I6, 0, S),

    // ---- IPPROTO_TCP ----
    ROW(IPPROTO_TCP, TCP_NODELAY, Bool, IP, TCP, S | SC),
    ROW(IPPROTO_TCP, TCP_MAXSEG, Int, IP, TCP, S | SC),
    ROW(IPPROTO_TCP, TCP_CORK, Bool, IP, TCP, S | SC),
    ROW(IPPROTO_TCP, TCP_KEEPIDLE, Int, IP, TCP, S | SC),
    ROW(IPPROTO_TCP, TCP_KEEPINTVL, Int, IP, TCP, S | SC),
    ROW(IPPROTO_TCP, TCP_KEEPCNT, Int, IP, TCP, S | SC),
    ROW(IPPROTO_TCP, TCP_SYNCNT, Int, IP, TCP, S | SC),
    ROW(IPPROTO_TCP, TCP_LINGER2, Int, IP, TCP, S | SC),
    ROW(IPPROTO_TCP, TCP_DEFER_ACCEPT, Int, IP, TCP, S | SC),
    ROW(IPPROTO_TCP, TCP_WINDOW_CLAMP, Int, IP, TCP, S | SC),
    // TCP_INFO (11) has its own table: tcp_info.hpp.
    ROW(IPPROTO_TCP, TCP_QUICKACK, Bool, IP, TCP, S | SC),
    ROWN(IPPROTO_TCP, TCP_CONGESTION, String, IP, TCP, S, 16),
    ROW(IPPROTO_TCP, TCP_MD5SIG, Bytes, IP, TCP, S | NA),
    ROW(IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS, Bool, IP, TCP, S),
    ROW(IPPROTO_TCP, TCP_THIN_DUPACK, Bool, IP, TCP, S),
    ROW(IPPROTO_TCP, TCP_USER_TIMEOUT, UInt, IP, TCP, S),
    ROW(IPPROTO_TCP, TCP_REPAIR, Int, IP, TCP, S | R),
    ROWE(IPPROTO_TCP, TCP_REPAIR_QUEUE, IP, TCP, S | R, kTcpRepairQueue),
    ROW(IPPROTO_TCP, TCP_QUEUE_SEQ, UInt, IP, TCP, S | R),
    ROW(IPPROTO_TCP, TCP_FASTOPEN, Int, IP, TCP, S),
    ROW(IPPROTO_TCP, TCP_TIMESTAMP, UInt, IP, TCP, S),
    ROW(IPPROTO_TCP, TCP_NOTSENT_LOWAT, UInt, IP, TCP, S),
    ROWN(IPPROTO_TCP, TCP_CC_INFO, Bytes, IP, TCP, 0, 20),
    ROW(IPPROTO_TCP, TCP_SAVE_SYN, Int, IP, TCP, S),
    // Reading TCP_SAVED_SYN frees the saved SYN.
    ROWN(IPPROTO_TCP, TCP_SAVED_SYN, Bytes, IP, TCP, NA, 512),
    ROWN(IPPROTO_TCP, TCP_REPAIR_WINDOW, U32Array, IP, TCP, S | R, 20),
    ROW(IPPROTO_TCP, TCP_FASTOPEN_CONNECT, Bool, IP, TCP, S),
    ROWN(IPPROTO_TCP, TCP_ULP, String, IP, TCP, S, 16),
    ROWN(IPPROTO_TCP, TCP_FASTOPEN_KEY, Bytes, IP, TCP, S | R, 32),
    ROW(IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE, Bool, IP, TCP, S),
    // TCP_ZEROCOPY_RECEIVE is a getsockopt that maps and consumes data.
    ROWN(IPPROTO_TCP, TCP_ZEROCOPY_RECEIVE, Bytes, IP, TCP, NA, 64),
    ROW(IPPROTO_TCP, TCP_INQ, Bool, IP, TCP, S),
    ROW(IPPROTO_TCP, TCP_TX_DELAY, Int, IP, TCP, S),
    ROW(IPPROTO_TCP, TCP_IS_MPTCP, Bool, IP, TCP, 0),
    ROW(IPPROTO_TCP, TCP_RTO_MAX_MS, Int, IP, TCP, S),
    ROW(IPPROTO_TCP, TCP_RTO_MIN_US, Int, IP, TCP, S),
    ROW(IPPROTO_TCP, TCP_DELACK_MAX_US, Int, IP, TCP, S),

    // ---- IPPROTO_UDP ----
    ROW(IPPROTO_UDP, UDP_CORK, Bool, IP, UDP, S),
    ROW(IPPROTO_UDP, UDPLITE_SEND_CSCOV, Int, IP, UDP, S),
    ROW(IPPROTO_UDP, UDPLITE_RECV_CSCOV, Int, IP, UDP, S),
    ROW(IPPROTO_UDP, UDP_ENCAP, Int, IP, UDP, S | R),
    ROW(IPPROTO_UDP, UDP_NO_CHECK6_TX, Bool, IP, UDP, S),
    ROW(IPPROTO_UDP, UDP_NO_CHECK6_RX, Bool, IP, UDP, S),
    ROW(IPPROTO_UDP, UDP_SEGMENT, Int, IP, UDP, S),
    ROW(IPPROTO_UDP, UDP_GRO, Bool, IP, UDP, S),

    // ---- SOL_PACKET ----
    ROW(SOL_PACKET, PACKET_ADD_MEMBERSHIP, Bytes, PK, 0, S | NA),
    ROW(SOL_PACKET, PACKET_DROP_MEMBERSHIP, Bytes, PK, 0, S | NA),
    // Reading PACKET_STATISTICS resets the counters.
    ROWN(SOL_PACKET, PACKET_STATISTICS, U32Array, PK, 0, NA, 12),
    ROW(SOL_PACKET, PACKET_COPY_THRESH, Int, PK, 0, S),
    ROW(SOL_PACKET, PACKET_AUXDATA, Bool, PK, 0, S),
    ROW(SOL_PACKET, PACKET_ORIGDEV, Bool, PK, 0, S),
    ROWE(SOL_PACKET, PACKET_VERSION, PK, 0, S, kTpacketVersions),
    // PACKET_HDRLEN takes a TPACKET version as input.
    ROW(SOL_PACKET, PACKET_HDRLEN, Int, PK, 0, NA),
    ROW(SOL_PACKET, PACKET_RESERVE, UInt, PK, 0, S),
    ROW(SOL_PACKET, PACKET_LOSS, Bool, PK, 0, S),
    ROW(SOL_PACKET, PACKET_VNET_HDR, Bool, PK, 0, S),
    ROW(SOL_PACKET, PACKET_TIMESTAMP, UInt, PK, 0, S),
    ROW(SOL_PACKET, PACKET_FANOUT, UInt, PK, 0, S),
    ROW(SOL_PACKET, PACKET_TX_HAS_OFF, Bool, PK, 0, S),
    ROW(SOL_PACKET, PACKET_QDISC_BYPASS, Bool, PK, 0, S),
    ROWN(SOL_PACKET, PACKET_ROLLOVER_STATS, Bytes, PK, 0, 0, 24),
    ROW(SOL_PACKET, PACKET_IGNORE_OUTGOING, Bool, PK, 0, S),
    ROW(SOL_PACKET, PACKET_VNET_HDR_SZ, Int, PK, 0, S),

    // ---- SOL_NETLINK ----
    ROW(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, UInt, NL, 0, S | NA),
    ROW(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, UInt, NL, 0, S | NA),
    ROW(SOL_NETLINK, NETLINK_PKTINFO, Bool, NL, 0, S),
    ROW(SOL_NETLINK, NETLINK_BROADCAST_ERROR, Bool, NL, 0, S),
    ROW(SOL_NETLINK, NETLINK_NO_ENOBUFS, Bool, NL, 0, S),
    ROW(SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, Bool, NL, 0, S),
    ROWN(SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, U32Array, NL, 0, 0, 128),
    ROW(SOL_NETLINK, NETLINK_CAP_ACK, Bool, NL, 0, S),
    ROW(SOL_NETLINK, NETLINK_EXT_ACK, Bool, NL, 0, S),
    ROW(SOL_NETLINK, NETLINK_GET_STRICT_CHK, Bool, NL, 0, S),

    // ---- AF_VSOCK ----
    ROW(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, U64, VS, 0, S),
    ROW(AF_VSOCK, SO_VM_SOCKETS_BUFFER_MIN_SIZE, U64, VS, 0, S),
    ROW(AF_VSOCK, SO_VM_SOCKETS_BUFFER_MAX_SIZE, U64, VS, 0, S),
    // VMCI-only facts; the virtio transport refuses them.
    ROW(AF_VSOCK, SO_VM_SOCKETS_PEER_HOST_VM_ID, Int, VS, 0, 0),
    ROW(AF_VSOCK, SO_VM_SOCKETS_TRUSTED, Bool, VS, 0, 0),
    ROW(AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, Timeval, VS, 0, S),
    ROW(AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW, Timeval, VS, 0, S | NA),
};

#undef ROW
#undef ROWN
#undef ROWE

constexpr int level_rank(int level) {
  switch (level) {
    case SOL_SOCKET: return 0;
    case IPPROTO_IP: return 1;
    case IPPROTO_IPV6: return 2;
    case IPPROTO_TCP: return 3;
    case IPPROTO_UDP: return 4;
    case SOL_PACKET: return 5;
    case SOL_NETLINK: return 6;
    case AF_VSOCK: return 7;
    default: return 99;
  }
}

constexpr bool table_ordered() {
  for (size_t i = 1; i < std::size(kTable); ++i) {
    int a = level_rank(kTable[i - 1].level), b = level_rank(kTable[i].level);
    if (a > b || (a == b && kTable[i - 1].optname >= kTable[i].optname)) return false;
  }
  return true;
}
static_assert(table_ordered(), "sockopt table: levels in order, optnames ascending, no duplicates");

}  // namespace

std::span<const SockOptDesc> sockopt_table() { return kTable; }

namespace {

// Option levels: the socket option table's spelling (filan, relay) and the
// one strace gives setsockopt/getsockopt arguments.  Levels that hold no
// table row have only the strace name.
struct LevelNames {
  int level;
  std::string_view table;  // "IPPROTO_TCP"
  std::string_view call;   // "SOL_TCP"
};
constexpr LevelNames kLevels[] = {
    {SOL_SOCKET, "SOL_SOCKET", "SOL_SOCKET"}, {IPPROTO_IP, "IPPROTO_IP", "SOL_IP"},
    {IPPROTO_IPV6, "IPPROTO_IPV6", "SOL_IPV6"}, {IPPROTO_TCP, "IPPROTO_TCP", "SOL_TCP"},
    {IPPROTO_UDP, "IPPROTO_UDP", "SOL_UDP"},  {SOL_PACKET, "SOL_PACKET", "SOL_PACKET"},
    {SOL_NETLINK, "SOL_NETLINK", "SOL_NETLINK"}, {AF_VSOCK, "AF_VSOCK", ""},
    {58, "", "SOL_ICMPV6"},  {132, "", "SOL_SCTP"}, {136, "", "SOL_UDPLITE"},
    {255, "", "SOL_RAW"},    {282, "", "SOL_TLS"},  {283, "", "SOL_XDP"},
    {284, "", "SOL_MPTCP"},  {287, "", "SOL_VSOCK"},
};

const LevelNames* level_row(int level) {
  for (const auto& l : kLevels)
    if (l.level == level) return &l;
  return nullptr;
}

// Names for setsockopt/getsockopt calls that are not the table's symbols:
// options without a readable value the table leaves out (filter and BPF
// attachments, TCP_INFO whose fields are tcp_info.hpp's table), and strace's
// _OLD spelling of the 64-bit time options (glibc's SO_RCVTIMEO is 20).
struct CallName {
  int level;
  int optname;
  std::string_view name;
};
constexpr CallName kCallNames[] = {
    {SOL_SOCKET, 20, "SO_RCVTIMEO_OLD"},     {SOL_SOCKET, 21, "SO_SNDTIMEO_OLD"},
    {SOL_SOCKET, 26, "SO_ATTACH_FILTER"},    {SOL_SOCKET, 27, "SO_DETACH_FILTER"},
    {SOL_SOCKET, 29, "SO_TIMESTAMP_OLD"},    {SOL_SOCKET, 35, "SO_TIMESTAMPNS_OLD"},
    {SOL_SOCKET, 37, "SO_TIMESTAMPING_OLD"}, {SOL_SOCKET, 50, "SO_ATTACH_BPF"},
    {SOL_SOCKET, 51, "SO_ATTACH_REUSEPORT_CBPF"}, {SOL_SOCKET, 52, "SO_ATTACH_REUSEPORT_EBPF"},
    {SOL_SOCKET, 53, "SO_CNX_ADVICE"},       {SOL_SOCKET, 68, "SO_DETACH_REUSEPORT_BPF"},
    {IPPROTO_TCP, 11, "TCP_INFO"},           {IPPROTO_TCP, 22, "TCP_REPAIR_OPTIONS"},
    {IPPROTO_TCP, 32, "TCP_MD5SIG_EXT"},     {IPPROTO_IPV6, 50, "IPV6_PKTINFO"},
};

}  // namespace

std::string_view sockopt_level_name(int level) {
  const LevelNames* l = level_row(level);
  return l ? l->table : std::string_view();
}

std::string_view sockopt_level_call_name(int level) {
  const LevelNames* l = level_row(level);
  return l ? l->call : std::string_view();
}

std::string_view sockopt_call_name(int level, int optname) {
  for (const auto& c : kCallNames)
    if (c.level == level && c.optname == optname) return c.name;
  if (const SockOptDesc* d = find_sockopt(level, optname)) return d->symbol;
  return {};
}

}  // namespace fdscope
