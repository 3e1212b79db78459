// The range option (socat's RANGE group): which peers a listener or a
// receiving datagram socket accepts.  "addr/bits", "addr:mask" (IPv4) or
// "[addr6]/bits".  Stream listeners check each accepted peer; datagram
// sockets get a classic-BPF socket filter so packets from outside the range
// are dropped in the kernel and never reach the relay.
#pragma once

#include <linux/filter.h>
#include <netinet/in.h>

#include <string>
#include <string_view>
#include <vector>

#include "fdscope/result.hpp"
#include "net/sock_addr.hpp"

namespace relay::net {

struct IpRange {
  int family = AF_INET;      // AF_INET or AF_INET6
  unsigned char addr[16]{};  // network address (4 or 16 bytes used)
  unsigned char mask[16]{};

  // True if a (IPv4, IPv6, or IPv4-mapped IPv6) lies inside the range.
  bool contains(const SockAddr& a) const;
  std::string to_string() const;
};

// Parses the option value; the error quotes it.
fdscope::Result<IpRange> parse_ip_range(std::string_view text);

// A socket filter that accepts packets whose IP source address lies in
// range and drops all others.  `family` is the socket's family; an IPv4
// range on an AF_INET6 socket matches IPv4-mapped senders only through
// the accept-time check, so the filter is built for the socket family.
std::vector<sock_filter> range_filter(const IpRange& range, int family);

// Attaches range_filter() to fd with SO_ATTACH_FILTER.
fdscope::Status attach_range_filter(int fd, const IpRange& range, int family);

}  // namespace relay::net
