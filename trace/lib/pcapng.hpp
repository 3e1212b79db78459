// pcapng writer for trace's `-w FILE`: turns captured payloads into a file
// Wireshark and tshark open.  TCP and UDP payloads are wrapped in synthesized
// IPv4/IPv6 + TCP/UDP headers with correct checksums (LINKTYPE_RAW), with
// per-flow sequence and acknowledgement numbers kept consistent so "Follow
// TCP Stream" reassembles them; pipes, UNIX sockets and anything without
// addresses go out as raw payload on a LINKTYPE_USER0 interface.  Each packet
// carries nanosecond timestamps (if_tsresol=9), its direction in epb_flags and
// "pid=N tid=N comm=X fd=N" in its comment.  Writes are buffered.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace fdscope::trace {

// An IPv4 or IPv6 endpoint (address in network byte order, host-order port).
struct IpEndpoint {
  int family = 0;                   // AF_INET or AF_INET6
  std::array<uint8_t, 16> addr{};   // first 4 bytes for AF_INET
  uint16_t port = 0;

  static IpEndpoint v4(uint32_t addr_be, uint16_t port);
  static IpEndpoint v6(const uint8_t addr[16], uint16_t port);
  // From a struct sockaddr_in/_in6; an error for other families or short input.
  static Result<IpEndpoint> from_sockaddr(const sockaddr* sa, socklen_t len);

  auto key() const { return std::tie(family, addr, port); }
  bool operator<(const IpEndpoint& o) const { return key() < o.key(); }
  bool operator==(const IpEndpoint& o) const { return key() == o.key(); }
};

enum class PacketDirection : uint8_t { kUnknown = 0, kInbound = 1, kOutbound = 2 };

// Who moved the bytes; goes into the packet comment and epb_flags.
struct PacketMeta {
  uint64_t ts_ns = 0;  // CLOCK_REALTIME nanoseconds
  int32_t pid = 0;
  int32_t tid = 0;
  std::string_view comm;
  int fd = -1;
  PacketDirection direction = PacketDirection::kUnknown;
};

class PcapngWriter {
 public:
  // Creates/truncates path (mode 0644) and writes the section header.
  static Result<PcapngWriter> create(const std::string& path);
  // Writes to an fd the caller hands over (e.g. stdout dup'ed for `-w -`).
  static Result<PcapngWriter> adopt(UniqueFd fd);

  PcapngWriter(PcapngWriter&&) = default;
  PcapngWriter& operator=(PcapngWriter&&) = default;
  ~PcapngWriter();  // flushes; errors there are lost, so call flush() first

  // TCP payload from src to dst.  The first packet of a flow in either
  // direction starts its sequence numbers; handshake()/close() are optional.
  // Payloads larger than one segment are split.
  Status tcp_data(const IpEndpoint& src, const IpEndpoint& dst, std::string_view payload,
                  const PacketMeta& meta);
  // SYN, SYN-ACK, ACK from client to server (a connect()/accept() seen).
  Status tcp_handshake(const IpEndpoint& client, const IpEndpoint& server, const PacketMeta& meta);
  // FIN from src (shutdown/close seen); the peer's ACK is synthesized.
  Status tcp_close(const IpEndpoint& src, const IpEndpoint& dst, const PacketMeta& meta);

  // One UDP datagram (split into several if over 65507 bytes).
  Status udp_data(const IpEndpoint& src, const IpEndpoint& dst, std::string_view payload,
                  const PacketMeta& meta);

  // Raw payload without addresses (pipes, UNIX sockets, ttys): LINKTYPE_USER0.
  Status raw_data(std::string_view payload, const PacketMeta& meta);

  // Writes the buffered blocks to the file.
  Status flush();

  uint64_t packets_written() const { return packets_; }

  // Link types and interface ids used (stable, for readers and tests).
  static constexpr uint16_t kLinktypeRaw = 101;    // IPv4/IPv6 without link header
  static constexpr uint16_t kLinktypeUser0 = 147;  // raw payload

 private:
  explicit PcapngWriter(UniqueFd fd);
  Status write_header();
  Status interface_for(uint16_t linktype, uint32_t& id);
  Status packet(uint32_t interface_id, std::string_view frame, const PacketMeta& meta);
  Status tcp_segment(const IpEndpoint& src, const IpEndpoint& dst, uint8_t flags,
                     std::string_view payload, const PacketMeta& meta);
  Status maybe_flush();

  struct FlowState {
    uint32_t next_seq = 0;  // next sequence number src -> dst
    bool started = false;
  };
  // Keyed by (src, dst): each direction of a connection has its own sequence.
  std::map<std::pair<IpEndpoint, IpEndpoint>, FlowState> flows_;
  UniqueFd fd_;
  std::string buf_;
  int32_t raw_if_ = -1;
  int32_t user0_if_ = -1;
  uint32_t next_if_ = 0;
  uint64_t packets_ = 0;
  uint32_t isn_seed_ = 1000;
};

// Builds an IPv4/IPv6 + TCP/UDP frame (header checksums computed); exposed
// for tests.  flags are TCP flag bits (0x02 SYN, 0x10 ACK, 0x08 PSH, 0x01 FIN).
std::string build_tcp_frame(const IpEndpoint& src, const IpEndpoint& dst, uint32_t seq,
                            uint32_t ack, uint8_t flags, std::string_view payload);
std::string build_udp_frame(const IpEndpoint& src, const IpEndpoint& dst,
                            std::string_view payload);

}  // namespace fdscope::trace
