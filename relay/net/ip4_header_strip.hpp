// IPv4 raw sockets deliver every packet with its IP header (raw(7)); socat
// removes it before the data reaches the other address (IPv6 raw sockets
// never include one).  RECVFROM strips its one packet in place; the
// addresses that keep reading from the raw socket (IP4-RECV, IP4-DATAGRAM,
// SOCKET-RECV/-DATAGRAM of AF_INET SOCK_RAW) read instead from a
// SOCK_SEQPACKET pair that a small pump thread feeds with the payloads, so
// the transfer engine still sees one packet per read.
#pragma once

#include <cstddef>

#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace relay::net {

// The length of the IPv4 header at the start of packet (IHL * 4), or 0 when
// packet is not a plausible IPv4 header (too short, not version 4).
size_t ip4_header_length(const char* packet, size_t len);

// Starts the pump thread on a duplicate of raw_fd (the caller keeps raw_fd,
// e.g. to send with it) and returns the read end of the packet pair.  The
// thread runs until raw_fd fails or the read end is closed.
fdscope::Result<fdscope::UniqueFd> start_ip4_header_stripper(int raw_fd);

}  // namespace relay::net
