// TCP_INFO: every field of this kernel's struct tcp_info (Linux 6.18, 280
// bytes; Debian's linux-libc-dev stops much earlier), described once in a
// table of name, offset, width and unit, and decoded length-aware: the
// kernel returns as many bytes as it knows (or as the caller asked for), and a
// field that does not lie entirely inside the returned bytes is ABSENT, never
// zero.  The raw bytes are kept for socat's hex form.
//
// Renderings:
//   text   "state=ESTABLISHED ca_state=Open rto=204000us rtt=38us ..." one
//          field after another, units attached (us, ms, bytes, B/s, packets,
//          segments); bitfields and enums decoded.
//   socat  socat filan's form: "TCP_INFO={xxxxxxxx xxxxxxxx ...}" (the struct
//          as 32-bit host-order words in hex, %08x), followed by
//          "\tTCPI_STATE={1}\tTCPI_OPTIONS={7}\tTCPI_SND_WSCALE={10}..."
//   JSON   tcp_info_json() writes an object; keys are the field names without
//          the "tcpi_" prefix ("state", "ca_state", "rtt", "snd_wscale", ...),
//          values numbers in the field's own unit (documented in the table:
//          us, ms, bytes, bytes_per_sec, packets, segments, count), except:
//            "state"     string  "ESTABLISHED", "LISTEN", ...
//            "ca_state"  string  "Open", "Disorder", "CWR", "Recovery", "Loss"
//            "options"   array of strings "TS", "SACK", "WSCALE", "ECN",
//                        "ECN_SEEN", "SYN_DATA", "USEC_TS", "TFO_CHILD"
//          plus "length": bytes the kernel returned.  Absent fields have no key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdscope/json.hpp"
#include "fdscope/result.hpp"

namespace fdscope {

enum class TcpUnit : uint8_t {
  None,       // plain number
  State,      // TCP_* connection state (tcp_state_name)
  CaState,    // congestion-avoidance state (tcp_ca_state_name)
  Options,    // TCPI_OPT_* bits (tcp_options_names)
  Usec,       // microseconds
  Msec,       // milliseconds
  Bytes,
  BytesPerSec,
  Packets,
  Segments,
  Count,      // events (retransmits, probes, rehash, ...)
  Shift,      // window scale shift
  Flag,       // 0/1
};

std::string_view tcp_unit_name(TcpUnit u);  // "us", "ms", "bytes", "B/s", ...

struct TcpInfoField {
  const char* name;    // "rtt" (kernel name without "tcpi_")
  uint16_t offset;     // byte offset in struct tcp_info
  uint8_t width;       // bytes (1, 2, 4, 8); for bitfields the containing byte: 1
  uint8_t bit_shift;   // bitfields: lowest bit inside that byte (LSB first)
  uint8_t bit_width;   // bitfields: number of bits; 0 = whole field
  TcpUnit unit;
};

// Kernel's struct tcp_info size on this machine's kernel (6.18).
inline constexpr size_t kTcpInfoKernelSize = 280;

std::span<const TcpInfoField> tcp_info_fields();
const TcpInfoField* find_tcp_info_field(std::string_view name);

// The bytes of a struct tcp_info, held inline: filan -p copies one per TCP
// socket, thousands of them, and a heap buffer each was a malloc apiece.
// Room for this kernel's 280 bytes and some growth; a longer struct from a
// later kernel keeps its first kTcpInfoCapacity bytes (fields past this
// kernel's are not in the table anyway).
inline constexpr size_t kTcpInfoCapacity = 384;
class TcpInfoBytes {
 public:
  size_t size() const { return len_; }
  bool empty() const { return len_ == 0; }
  const uint8_t* data() const { return bytes_; }
  uint8_t operator[](size_t i) const { return bytes_[i]; }
  const uint8_t* begin() const { return bytes_; }
  const uint8_t* end() const { return bytes_ + len_; }
  void assign(const uint8_t* from, const uint8_t* to);  // keeps at most kTcpInfoCapacity bytes

 private:
  uint16_t len_ = 0;
  uint8_t bytes_[kTcpInfoCapacity];
};

// struct tcp_info exactly as the kernel returned it.
struct TcpInfo {
  TcpInfoBytes raw;  // raw.size() = length the kernel returned

  size_t length() const { return raw.size(); }
  bool has(const TcpInfoField& f) const { return size_t(f.offset) + f.width <= raw.size(); }
  std::optional<uint64_t> get(const TcpInfoField& f) const;
  std::optional<uint64_t> get(std::string_view name) const;
};

// getsockopt(TCP_INFO) with a buffer larger than the kernel's struct; keeps
// what the kernel returned.
Result<TcpInfo> read_tcp_info(int fd);
// From bytes already fetched (sock_diag INET_DIAG_INFO, tests): keeps len bytes.
TcpInfo tcp_info_from_bytes(const void* data, size_t len);

std::string_view tcp_state_name(unsigned state);     // "ESTABLISHED", "" if unknown
std::string_view tcp_ca_state_name(unsigned state);  // "Open", ...
std::vector<std::string_view> tcp_option_names(unsigned options);
std::string tcp_options_text(unsigned options);      // "TS|SACK|WSCALE"

// One field's value with its unit ("38us", "ESTABLISHED", "TS|SACK").
std::string tcp_info_field_text(const TcpInfoField& f, uint64_t value);

std::string tcp_info_text(const TcpInfo& info);   // space-separated name=value
void append_tcp_info_text(std::string& out, const TcpInfo& info);  // the same, appended
std::string tcp_info_socat(const TcpInfo& info);  // TCP_INFO={...}\tTCPI_STATE={1}...
// The two halves of tcp_info_socat, for callers that interleave other
// options between them as socat does (TCP_QUICKACK comes in between).
std::string tcp_info_socat_hex(const TcpInfo& info);   // "TCP_INFO={00000001 ...}"
std::string tcp_info_socat_tcpi(const TcpInfo& info);  // "TCPI_STATE={1}\tTCPI_OPTIONS={7}..."
void tcp_info_json(JsonWriter& w, const TcpInfo& info);

}  // namespace fdscope
