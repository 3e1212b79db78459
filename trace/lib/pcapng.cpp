// pcapng writer (see pcapng.hpp).  Blocks are built little-endian in a
// memory buffer and written with write_all() once 256 KiB are queued, on
// flush() and at destruction.  Interfaces are declared lazily: the first
// IP packet adds a LINKTYPE_RAW interface, the first raw payload a
// LINKTYPE_USER0 one; both with if_tsresol=9 so Enhanced Packet Blocks carry
// nanoseconds.  TCP flows keep a next-sequence number per direction, so a
// segment's ack is the peer's next sequence and Wireshark reassembles the
// byte stream as it was written.
#include "pcapng.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <fmt/format.h>

#include <cstring>

#include "fdscope/io.hpp"

namespace fdscope::trace {

namespace {

constexpr uint32_t kBlockShb = 0x0A0D0D0A;
constexpr uint32_t kBlockIdb = 0x00000001;
constexpr uint32_t kBlockEpb = 0x00000006;
constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr uint16_t kOptEnd = 0;
constexpr uint16_t kOptComment = 1;
constexpr uint16_t kOptShbUserAppl = 4;
constexpr uint16_t kOptIfName = 2;
constexpr uint16_t kOptIfTsresol = 9;
constexpr uint16_t kOptEpbFlags = 2;
constexpr size_t kFlushThreshold = 256 * 1024;
constexpr uint32_t kSnapLen = 262144;
// Largest TCP payload per synthesized segment (IPv6 header 40 + TCP 20 fit
// in a 64 KiB IP datagram with room to spare).
constexpr size_t kMaxTcpSegment = 65000;
constexpr size_t kMaxUdpPayload = 65507;

constexpr uint8_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpPsh = 0x08, kTcpAck = 0x10;

void put16(std::string& b, uint16_t v) { b.append(reinterpret_cast<const char*>(&v), 2); }
void put32(std::string& b, uint32_t v) { b.append(reinterpret_cast<const char*>(&v), 4); }
void pad4(std::string& b) {
  while (b.size() % 4) b.push_back('\0');
}
void put_option(std::string& b, uint16_t code, std::string_view value) {
  put16(b, code);
  put16(b, static_cast<uint16_t>(value.size()));
  b.append(value);
  pad4(b);
}
// Network byte order helpers for the synthesized headers.
void be16(std::string& b, uint16_t v) {
  b.push_back(static_cast<char>(v >> 8));
  b.push_back(static_cast<char>(v & 0xff));
}
void be32(std::string& b, uint32_t v) {
  be16(b, static_cast<uint16_t>(v >> 16));
  be16(b, static_cast<uint16_t>(v & 0xffff));
}

// Internet checksum (RFC 1071) over several pieces.
struct Checksum {
  uint64_t sum = 0;
  bool odd = false;
  void add(std::string_view d) {
    for (unsigned char c : d) {
      sum += odd ? c : static_cast<uint32_t>(c) << 8;
      odd = !odd;
    }
  }
  uint16_t finish() const {
    uint64_t s = sum;
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return static_cast<uint16_t>(~s & 0xffff);
  }
};

std::string_view addr_bytes(const IpEndpoint& e) {
  return {reinterpret_cast<const char*>(e.addr.data()), e.family == AF_INET6 ? 16u : 4u};
}

// IP header + transport header + payload, checksums filled.
std::string build_frame(const IpEndpoint& src, const IpEndpoint& dst, uint8_t proto,
                        std::string transport, std::string_view payload, size_t csum_offset) {
  std::string l4 = std::move(transport);
  l4.append(payload);
  Checksum c;  // pseudo header
  c.add(addr_bytes(src));
  c.add(addr_bytes(dst));
  std::string ph;
  if (src.family == AF_INET6) {
    be32(ph, static_cast<uint32_t>(l4.size()));
    be32(ph, proto);
  } else {
    ph.push_back('\0');
    ph.push_back(static_cast<char>(proto));
    be16(ph, static_cast<uint16_t>(l4.size()));
  }
  c.add(ph);
  c.add(l4);
  uint16_t cs = c.finish();
  if (proto == IPPROTO_UDP && cs == 0) cs = 0xffff;
  l4[csum_offset] = static_cast<char>(cs >> 8);
  l4[csum_offset + 1] = static_cast<char>(cs & 0xff);

  std::string ip;
  if (src.family == AF_INET6) {
    be32(ip, 0x60000000);
    be16(ip, static_cast<uint16_t>(l4.size()));
    ip.push_back(static_cast<char>(proto));
    ip.push_back(64);  // hop limit
    ip.append(addr_bytes(src));
    ip.append(addr_bytes(dst));
  } else {
    ip.push_back(0x45);
    ip.push_back(0);
    be16(ip, static_cast<uint16_t>(20 + l4.size()));
    be16(ip, 0);       // id
    be16(ip, 0x4000);  // DF
    ip.push_back(64);  // ttl
    ip.push_back(static_cast<char>(proto));
    be16(ip, 0);  // checksum, below
    ip.append(addr_bytes(src));
    ip.append(addr_bytes(dst));
    Checksum hc;
    hc.add(ip);
    uint16_t hcs = hc.finish();
    ip[10] = static_cast<char>(hcs >> 8);
    ip[11] = static_cast<char>(hcs & 0xff);
  }
  ip.append(l4);
  return ip;
}

}  // namespace

IpEndpoint IpEndpoint::v4(uint32_t addr_be, uint16_t port) {
  IpEndpoint e;
  e.family = AF_INET;
  std::memcpy(e.addr.data(), &addr_be, 4);
  e.port = port;
  return e;
}

IpEndpoint IpEndpoint::v6(const uint8_t addr[16], uint16_t port) {
  IpEndpoint e;
  e.family = AF_INET6;
  std::memcpy(e.addr.data(), addr, 16);
  e.port = port;
  return e;
}

Result<IpEndpoint> IpEndpoint::from_sockaddr(const sockaddr* sa, socklen_t len) {
  if (!sa || len < static_cast<socklen_t>(sizeof(sa_family_t)))
    return plain_error("sockaddr too short");
  if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in in;
    std::memcpy(&in, sa, sizeof in);
    return v4(in.sin_addr.s_addr, ntohs(in.sin_port));
  }
  if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 in6;
    std::memcpy(&in6, sa, sizeof in6);
    return v6(in6.sin6_addr.s6_addr, ntohs(in6.sin6_port));
  }
  return plain_error(fmt::format("sockaddr family {} is not IPv4/IPv6", sa->sa_family));
}

std::string build_tcp_frame(const IpEndpoint& src, const IpEndpoint& dst, uint32_t seq,
                            uint32_t ack, uint8_t flags, std::string_view payload) {
  std::string tcp;
  be16(tcp, src.port);
  be16(tcp, dst.port);
  be32(tcp, seq);
  be32(tcp, (flags & kTcpAck) ? ack : 0);
  tcp.push_back(0x50);  // data offset 5 words
  tcp.push_back(static_cast<char>(flags));
  be16(tcp, 65535);  // window
  be16(tcp, 0);      // checksum
  be16(tcp, 0);      // urgent
  return build_frame(src, dst, IPPROTO_TCP, std::move(tcp), payload, 16);
}

std::string build_udp_frame(const IpEndpoint& src, const IpEndpoint& dst,
                            std::string_view payload) {
  std::string udp;
  be16(udp, src.port);
  be16(udp, dst.port);
  be16(udp, static_cast<uint16_t>(8 + payload.size()));
  be16(udp, 0);
  return build_frame(src, dst, IPPROTO_UDP, std::move(udp), payload, 6);
}

PcapngWriter::PcapngWriter(UniqueFd fd) : fd_(std::move(fd)) {}

PcapngWriter::~PcapngWriter() {
  if (fd_.valid()) (void)flush();
}

Result<PcapngWriter> PcapngWriter::create(const std::string& path) {
  auto fd = open_fd(path, O_WRONLY | O_CREAT | O_TRUNC, -100, 0644);
  if (!fd) return fd.take_error();
  return adopt(std::move(*fd));
}

Result<PcapngWriter> PcapngWriter::adopt(UniqueFd fd) {
  if (!fd.valid()) return plain_error("pcapng: no output fd");
  PcapngWriter w(std::move(fd));
  if (auto st = w.write_header(); !st) return st.take_error();
  return w;
}

Status PcapngWriter::write_header() {
  std::string body;
  put32(body, kByteOrderMagic);
  put16(body, 1);  // major
  put16(body, 0);  // minor
  put32(body, 0xffffffff);  // section length unknown
  put32(body, 0xffffffff);
  put_option(body, kOptShbUserAppl, "fdscope trace");
  put16(body, kOptEnd);
  put16(body, 0);
  put32(buf_, kBlockShb);
  put32(buf_, static_cast<uint32_t>(body.size() + 12));
  buf_.append(body);
  put32(buf_, static_cast<uint32_t>(body.size() + 12));
  return flush();
}

Status PcapngWriter::interface_for(uint16_t linktype, uint32_t& id) {
  int32_t& slot = linktype == kLinktypeRaw ? raw_if_ : user0_if_;
  if (slot < 0) {
    std::string body;
    put16(body, linktype);
    put16(body, 0);
    put32(body, kSnapLen);
    put_option(body, kOptIfName, linktype == kLinktypeRaw ? "fdscope-ip" : "fdscope-raw");
    put_option(body, kOptIfTsresol, std::string_view("\x09", 1));
    put16(body, kOptEnd);
    put16(body, 0);
    put32(buf_, kBlockIdb);
    put32(buf_, static_cast<uint32_t>(body.size() + 12));
    buf_.append(body);
    put32(buf_, static_cast<uint32_t>(body.size() + 12));
    slot = static_cast<int32_t>(next_if_++);
  }
  id = static_cast<uint32_t>(slot);
  return {};
}

Status PcapngWriter::packet(uint32_t interface_id, std::string_view frame,
                            const PacketMeta& meta) {
  std::string body;
  put32(body, interface_id);
  put32(body, static_cast<uint32_t>(meta.ts_ns >> 32));
  put32(body, static_cast<uint32_t>(meta.ts_ns & 0xffffffffu));
  put32(body, static_cast<uint32_t>(frame.size()));
  put32(body, static_cast<uint32_t>(frame.size()));
  body.append(frame);
  pad4(body);
  std::string comment = fmt::format("pid={} tid={} comm={} fd={}", meta.pid,
                                    meta.tid ? meta.tid : meta.pid, meta.comm, meta.fd);
  put_option(body, kOptComment, comment);
  if (meta.direction != PacketDirection::kUnknown) {
    uint32_t flags = static_cast<uint32_t>(meta.direction);  // bits 0-1: 01 in, 10 out
    put_option(body, kOptEpbFlags,
               std::string_view(reinterpret_cast<const char*>(&flags), sizeof flags));
  }
  put16(body, kOptEnd);
  put16(body, 0);
  put32(buf_, kBlockEpb);
  put32(buf_, static_cast<uint32_t>(body.size() + 12));
  buf_.append(body);
  put32(buf_, static_cast<uint32_t>(body.size() + 12));
  ++packets_;
  return maybe_flush();
}

Status PcapngWriter::maybe_flush() {
  if (buf_.size() >= kFlushThreshold) return flush();
  return {};
}

Status PcapngWriter::flush() {
  if (buf_.empty() || !fd_.valid()) return {};
  auto st = write_all(fd_.get(), buf_.data(), buf_.size());
  buf_.clear();
  if (!st) return Error{st.error()}.context("writing pcapng");
  return {};
}

Status PcapngWriter::tcp_segment(const IpEndpoint& src, const IpEndpoint& dst, uint8_t flags,
                                 std::string_view payload, const PacketMeta& meta) {
  if (src.family != dst.family || (src.family != AF_INET && src.family != AF_INET6))
    return plain_error("pcapng: TCP endpoints must both be IPv4 or both IPv6");
  auto start = [&](FlowState& f) {
    if (!f.started) {
      f.started = true;
      f.next_seq = isn_seed_;
      isn_seed_ += 100000;
    }
  };
  FlowState& fwd = flows_[{src, dst}];
  FlowState& rev = flows_[{dst, src}];
  start(fwd);
  start(rev);
  uint32_t id = 0;
  if (auto st = interface_for(kLinktypeRaw, id); !st) return st;
  std::string frame = build_tcp_frame(src, dst, fwd.next_seq, rev.next_seq, flags, payload);
  fwd.next_seq += static_cast<uint32_t>(payload.size());
  if (flags & (kTcpSyn | kTcpFin)) fwd.next_seq += 1;
  return packet(id, frame, meta);
}

Status PcapngWriter::tcp_data(const IpEndpoint& src, const IpEndpoint& dst,
                              std::string_view payload, const PacketMeta& meta) {
  do {
    std::string_view chunk = payload.substr(0, kMaxTcpSegment);
    payload.remove_prefix(chunk.size());
    if (auto st = tcp_segment(src, dst, kTcpPsh | kTcpAck, chunk, meta); !st) return st;
  } while (!payload.empty());
  return {};
}

Status PcapngWriter::tcp_handshake(const IpEndpoint& client, const IpEndpoint& server,
                                   const PacketMeta& meta) {
  // A new connection on a reused 4-tuple starts fresh sequence numbers.
  flows_.erase({client, server});
  flows_.erase({server, client});
  PacketMeta peer = meta;
  peer.direction = meta.direction == PacketDirection::kOutbound ? PacketDirection::kInbound
                   : meta.direction == PacketDirection::kInbound ? PacketDirection::kOutbound
                                                                  : PacketDirection::kUnknown;
  // Sequence numbers start before the SYN: the SYN consumes one.
  if (auto st = tcp_segment(client, server, kTcpSyn, {}, meta); !st) return st;
  if (auto st = tcp_segment(server, client, kTcpSyn | kTcpAck, {}, peer); !st) return st;
  return tcp_segment(client, server, kTcpAck, {}, meta);
}

Status PcapngWriter::tcp_close(const IpEndpoint& src, const IpEndpoint& dst,
                               const PacketMeta& meta) {
  if (auto st = tcp_segment(src, dst, kTcpFin | kTcpAck, {}, meta); !st) return st;
  PacketMeta peer = meta;
  peer.direction = meta.direction == PacketDirection::kOutbound ? PacketDirection::kInbound
                   : meta.direction == PacketDirection::kInbound ? PacketDirection::kOutbound
                                                                  : PacketDirection::kUnknown;
  return tcp_segment(dst, src, kTcpAck, {}, peer);
}

Status PcapngWriter::udp_data(const IpEndpoint& src, const IpEndpoint& dst,
                              std::string_view payload, const PacketMeta& meta) {
  if (src.family != dst.family || (src.family != AF_INET && src.family != AF_INET6))
    return plain_error("pcapng: UDP endpoints must both be IPv4 or both IPv6");
  uint32_t id = 0;
  if (auto st = interface_for(kLinktypeRaw, id); !st) return st;
  do {
    std::string_view chunk = payload.substr(0, kMaxUdpPayload);
    payload.remove_prefix(chunk.size());
    if (auto st = packet(id, build_udp_frame(src, dst, chunk), meta); !st) return st;
  } while (!payload.empty());
  return {};
}

Status PcapngWriter::raw_data(std::string_view payload, const PacketMeta& meta) {
  uint32_t id = 0;
  if (auto st = interface_for(kLinktypeUser0, id); !st) return st;
  do {
    std::string_view chunk = payload.substr(0, kSnapLen);
    payload.remove_prefix(chunk.size());
    if (auto st = packet(id, chunk, meta); !st) return st;
  } while (!payload.empty());
  return {};
}

}  // namespace fdscope::trace
