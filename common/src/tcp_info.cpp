// TCP_INFO decoded field by field from one table.  The offsets and widths
// below are this kernel's (6.18) struct tcp_info as its BTF describes it
// (`bpftool btf dump file /sys/kernel/btf/vmlinux`, STRUCT 'tcp_info'
// size=280); glibc's <netinet/tcp.h> stops at tcpi_total_retrans and
// <linux/tcp.h> on Debian 12 at tcpi_rcv_wnd, so no header is included: the
// table *is* the layout.  A field is present only when the kernel's returned
// length covers it entirely (like ss, which never reads past that length).
// Bitfields are numbered LSB first within their byte, as GCC lays them out on
// little-endian machines (the only ones this suite targets).
#include "fdscope/tcp_info.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace fdscope {
namespace {

using U = TcpUnit;

constexpr TcpInfoField kFields[] = {
    {"state", 0, 1, 0, 0, U::State},
    {"ca_state", 1, 1, 0, 0, U::CaState},
    {"retransmits", 2, 1, 0, 0, U::Count},
    {"probes", 3, 1, 0, 0, U::Count},
    {"backoff", 4, 1, 0, 0, U::Count},
    {"options", 5, 1, 0, 0, U::Options},
    {"snd_wscale", 6, 1, 0, 4, U::Shift},
    {"rcv_wscale", 6, 1, 4, 4, U::Shift},
    {"delivery_rate_app_limited", 7, 1, 0, 1, U::Flag},
    {"fastopen_client_fail", 7, 1, 1, 2, U::None},
    {"rto", 8, 4, 0, 0, U::Usec},
    {"ato", 12, 4, 0, 0, U::Usec},
    {"snd_mss", 16, 4, 0, 0, U::Bytes},
    {"rcv_mss", 20, 4, 0, 0, U::Bytes},
    {"unacked", 24, 4, 0, 0, U::Packets},
    {"sacked", 28, 4, 0, 0, U::Packets},
    {"lost", 32, 4, 0, 0, U::Packets},
    {"retrans", 36, 4, 0, 0, U::Packets},
    {"fackets", 40, 4, 0, 0, U::Packets},
    {"last_data_sent", 44, 4, 0, 0, U::Msec},
    {"last_ack_sent", 48, 4, 0, 0, U::Msec},
    {"last_data_recv", 52, 4, 0, 0, U::Msec},
    {"last_ack_recv", 56, 4, 0, 0, U::Msec},
    {"pmtu", 60, 4, 0, 0, U::Bytes},
    {"rcv_ssthresh", 64, 4, 0, 0, U::Bytes},
    {"rtt", 68, 4, 0, 0, U::Usec},
    {"rttvar", 72, 4, 0, 0, U::Usec},
    {"snd_ssthresh", 76, 4, 0, 0, U::Segments},
    {"snd_cwnd", 80, 4, 0, 0, U::Segments},
    {"advmss", 84, 4, 0, 0, U::Bytes},
    {"reordering", 88, 4, 0, 0, U::Packets},
    {"rcv_rtt", 92, 4, 0, 0, U::Usec},
    {"rcv_space", 96, 4, 0, 0, U::Bytes},
    {"total_retrans", 100, 4, 0, 0, U::Packets},
    {"pacing_rate", 104, 8, 0, 0, U::BytesPerSec},
    {"max_pacing_rate", 112, 8, 0, 0, U::BytesPerSec},
    {"bytes_acked", 120, 8, 0, 0, U::Bytes},
    {"bytes_received", 128, 8, 0, 0, U::Bytes},
    {"segs_out", 136, 4, 0, 0, U::Segments},
    {"segs_in", 140, 4, 0, 0, U::Segments},
    {"notsent_bytes", 144, 4, 0, 0, U::Bytes},
    {"min_rtt", 148, 4, 0, 0, U::Usec},
    {"data_segs_in", 152, 4, 0, 0, U::Segments},
    {"data_segs_out", 156, 4, 0, 0, U::Segments},
    {"delivery_rate", 160, 8, 0, 0, U::BytesPerSec},
    {"busy_time", 168, 8, 0, 0, U::Usec},
    {"rwnd_limited", 176, 8, 0, 0, U::Usec},
    {"sndbuf_limited", 184, 8, 0, 0, U::Usec},
    {"delivered", 192, 4, 0, 0, U::Packets},
    {"delivered_ce", 196, 4, 0, 0, U::Packets},
    {"bytes_sent", 200, 8, 0, 0, U::Bytes},
    {"bytes_retrans", 208, 8, 0, 0, U::Bytes},
    {"dsack_dups", 216, 4, 0, 0, U::Count},
    {"reord_seen", 220, 4, 0, 0, U::Count},
    {"rcv_ooopack", 224, 4, 0, 0, U::Packets},
    {"snd_wnd", 228, 4, 0, 0, U::Bytes},
    {"rcv_wnd", 232, 4, 0, 0, U::Bytes},
    {"rehash", 236, 4, 0, 0, U::Count},
    {"total_rto", 240, 2, 0, 0, U::Count},
    {"total_rto_recoveries", 242, 2, 0, 0, U::Count},
    {"total_rto_time", 244, 4, 0, 0, U::Msec},
    {"received_ce", 248, 4, 0, 0, U::Packets},
    {"delivered_e1_bytes", 252, 4, 0, 0, U::Bytes},
    {"delivered_e0_bytes", 256, 4, 0, 0, U::Bytes},
    {"delivered_ce_bytes", 260, 4, 0, 0, U::Bytes},
    {"received_e1_bytes", 264, 4, 0, 0, U::Bytes},
    {"received_e0_bytes", 268, 4, 0, 0, U::Bytes},
    {"received_ce_bytes", 272, 4, 0, 0, U::Bytes},
    {"accecn_fail_mode", 276, 2, 0, 0, U::None},
    {"accecn_opt_seen", 278, 2, 0, 0, U::None},
};

constexpr bool layout_consistent() {
  unsigned end = 0;
  for (const auto& f : kFields) {
    if (f.offset + f.width > kTcpInfoKernelSize) return false;
    if (f.bit_width == 0 && f.offset < end) return false;  // whole fields never overlap
    if (f.offset + f.width < end) return false;             // and end in table order
    end = f.offset + f.width;
  }
  return end == kTcpInfoKernelSize;
}
static_assert(layout_consistent(), "tcp_info table must tile the kernel struct");

constexpr const char* kStates[] = {
    "",          "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT1",    "FIN_WAIT2",
    "TIME_WAIT", "CLOSE",       "CLOSE_WAIT", "LAST_ACK", "LISTEN",       "CLOSING",
    "NEW_SYN_RECV", "BOUND_INACTIVE",
};
constexpr const char* kCaStates[] = {"Open", "Disorder", "CWR", "Recovery", "Loss"};

struct OptBit {
  unsigned bit;
  const char* name;
};
constexpr OptBit kOptBits[] = {
    {1, "TS"},       {2, "SACK"},    {4, "WSCALE"},   {8, "ECN"},
    {16, "ECN_SEEN"}, {32, "SYN_DATA"}, {64, "USEC_TS"}, {128, "TFO_CHILD"},
};

// "TCPI_<NAME>" as socat writes it.
std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace

std::string_view tcp_unit_name(TcpUnit u) {
  switch (u) {
    case U::Usec: return "us";
    case U::Msec: return "ms";
    case U::Bytes: return "bytes";
    case U::BytesPerSec: return "B/s";
    case U::Packets: return "packets";
    case U::Segments: return "segments";
    case U::Count: return "count";
    case U::Shift: return "shift";
    case U::Flag: return "flag";
    case U::State: return "state";
    case U::CaState: return "ca_state";
    case U::Options: return "options";
    case U::None: return "";
  }
  return "";
}

std::span<const TcpInfoField> tcp_info_fields() { return kFields; }

const TcpInfoField* find_tcp_info_field(std::string_view name) {
  if (name.substr(0, 5) == "tcpi_") name.remove_prefix(5);
  for (const auto& f : kFields)
    if (name == f.name) return &f;
  return nullptr;
}

namespace {

// One field's value from bytes known to cover it.  A load of the field's
// own width: copying 1-4 bytes into a zeroed u64 and reading it back whole
// stalls on store forwarding, and filan -p reads some 70 fields of
// thousands of sockets.
[[gnu::always_inline]] inline uint64_t load_field(const uint8_t* raw, const TcpInfoField& f) {
  const uint8_t* p = raw + f.offset;
  uint64_t v = 0;
  switch (f.width) {
    case 1: v = *p; break;
    case 2: { uint16_t x; std::memcpy(&x, p, 2); v = x; break; }
    case 4: { uint32_t x; std::memcpy(&x, p, 4); v = x; break; }
    case 8: std::memcpy(&v, p, 8); break;
    default: std::memcpy(&v, p, f.width); break;  // little-endian host
  }
  if (f.bit_width) v = (v >> f.bit_shift) & ((1u << f.bit_width) - 1);
  return v;
}

}  // namespace

std::optional<uint64_t> TcpInfo::get(const TcpInfoField& f) const {
  if (!has(f)) return std::nullopt;
  return load_field(raw.data(), f);
}

std::optional<uint64_t> TcpInfo::get(std::string_view name) const {
  const TcpInfoField* f = find_tcp_info_field(name);
  if (!f) return std::nullopt;
  return get(*f);
}

void TcpInfoBytes::assign(const uint8_t* from, const uint8_t* to) {
  len_ = static_cast<uint16_t>(std::min<size_t>(static_cast<size_t>(to - from), kTcpInfoCapacity));
  std::memcpy(bytes_, from, len_);
}

TcpInfo tcp_info_from_bytes(const void* data, size_t len) {
  TcpInfo t;
  const auto* p = static_cast<const uint8_t*>(data);
  t.raw.assign(p, p + len);
  return t;
}

Result<TcpInfo> read_tcp_info(int fd) {
  // Larger than any kernel's struct so far: the kernel copies min(len, its size).
  uint8_t buf[512] = {};
  socklen_t len = sizeof buf;
  if (::getsockopt(fd, IPPROTO_TCP, 11 /* TCP_INFO */, buf, &len) < 0)
    return sys_error(fmt::format("getsockopt(fd {}, TCP_INFO)", fd));
  return tcp_info_from_bytes(buf, std::min<size_t>(len, sizeof buf));
}

std::string_view tcp_state_name(unsigned state) {
  if (state < std::size(kStates)) return kStates[state];
  return {};
}

std::string_view tcp_ca_state_name(unsigned state) {
  if (state < std::size(kCaStates)) return kCaStates[state];
  return {};
}

std::vector<std::string_view> tcp_option_names(unsigned options) {
  std::vector<std::string_view> out;
  for (const auto& b : kOptBits)
    if (options & b.bit) out.push_back(b.name);
  return out;
}

namespace {

// "TS|SACK|WSCALE" (or "0") written at p; returns the end.  Room needed:
// every name and separator (kOptionsTextMax).
char* put_options(char* p, unsigned options) {
  char* start = p;
  for (const auto& b : kOptBits) {
    if (!(options & b.bit)) continue;
    if (p != start) *p++ = '|';
    size_t n = std::strlen(b.name);
    std::memcpy(p, b.name, n);
    p += n;
  }
  if (p == start) *p++ = '0';
  return p;
}
constexpr size_t kOptionsTextMax = 64;

}  // namespace

std::string tcp_options_text(unsigned options) {
  char buf[kOptionsTextMax];
  return std::string(buf, put_options(buf, options));
}

namespace {

// The unit the text form writes after a value: times and rates only.
constexpr const char* text_suffix(TcpUnit u) {
  switch (u) {
    case U::Usec: return "us";
    case U::Msec: return "ms";
    case U::BytesPerSec: return "B/s";
    default: return "";
  }
}

}  // namespace

std::string tcp_info_field_text(const TcpInfoField& f, uint64_t value) {
  switch (f.unit) {
    case U::State: {
      auto n = tcp_state_name(static_cast<unsigned>(value));
      return n.empty() ? std::to_string(value) : std::string(n);
    }
    case U::CaState: {
      auto n = tcp_ca_state_name(static_cast<unsigned>(value));
      return n.empty() ? std::to_string(value) : std::string(n);
    }
    case U::Options:
      return tcp_options_text(static_cast<unsigned>(value));
    default:
      return std::to_string(value) + text_suffix(f.unit);
  }
}

namespace {

// " name=" of every field and its unit suffix ("us", "ms", "B/s" or
// none), laid out ahead in fixed-size slots: the text form writes ~70 of
// them for each of thousands of sockets, and a whole slot is copied with
// one fixed-size store (the position then advances by the real length).
struct FieldText {
  char prefix[32];
  char suffix[8];
  uint8_t prefix_len;
  uint8_t suffix_len;
};
constexpr auto kFieldTexts = [] {
  std::array<FieldText, std::size(kFields)> out{};
  for (size_t i = 0; i < std::size(kFields); ++i) {
    FieldText& t = out[i];
    t.prefix[t.prefix_len++] = ' ';
    for (const char* c = kFields[i].name; *c; ++c) t.prefix[t.prefix_len++] = *c;
    t.prefix[t.prefix_len++] = '=';
    for (const char* c = text_suffix(kFields[i].unit); *c; ++c) t.suffix[t.suffix_len++] = *c;
  }
  return out;
}();
constexpr bool texts_fit() {
  for (const auto& t : kFieldTexts)
    if (t.prefix_len >= sizeof t.prefix || t.suffix_len >= sizeof t.suffix) return false;
  return true;
}
static_assert(texts_fit());
// Every field at its widest (a whole prefix slot, then 20 digits and a
// whole suffix slot, a state name or the options list), plus one slot of
// slack for the fixed-size copies.
constexpr size_t kTextMax =
    (std::size(kFields) + 1) * (sizeof(FieldText::prefix) + std::max<size_t>(20 + sizeof(FieldText::suffix), kOptionsTextMax));

char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// Decimal digits of v; small values (most TCP_INFO counters of an idle
// connection) without the general conversion.
char* put_number(char* p, uint64_t v) {
  if (v < 10) {
    *p = static_cast<char>('0' + v);
    return p + 1;
  }
  return std::to_chars(p, p + 20, v).ptr;
}

}  // namespace

void append_tcp_info_text(std::string& out, const TcpInfo& info) {
  // Written into a stack buffer with plain stores, appended once: filan -p
  // renders this for thousands of sockets, from two threads that would
  // otherwise meet in malloc.  Same text as tcp_info_field_text per field.
  char buf[kTextMax];
  char* p = buf;
  for (size_t i = 0; i < std::size(kFields); ++i) {
    const TcpInfoField& f = kFields[i];
    // Fields end in table order: once one lies past the returned bytes,
    // so do the rest.
    if (!info.has(f)) break;
    const uint64_t v = load_field(info.raw.data(), f);
    const FieldText& t = kFieldTexts[i];
    std::memcpy(p, t.prefix, sizeof t.prefix);
    p += t.prefix_len;
    switch (f.unit) {
      case U::State:
      case U::CaState: {
        auto n = f.unit == U::State ? tcp_state_name(static_cast<unsigned>(v))
                                    : tcp_ca_state_name(static_cast<unsigned>(v));
        p = n.empty() ? put_number(p, v) : put(p, n);
        break;
      }
      case U::Options:
        p = put_options(p, static_cast<unsigned>(v));
        break;
      default:
        p = put_number(p, v);
        std::memcpy(p, t.suffix, sizeof t.suffix);
        p += t.suffix_len;
    }
  }
  if (p != buf) out.append(buf + 1, static_cast<size_t>(p - buf - 1));  // without the first field's space
}

std::string tcp_info_text(const TcpInfo& info) {
  std::string out;
  append_tcp_info_text(out, info);
  return out;
}

std::string tcp_info_socat_hex(const TcpInfo& info) {
  std::string out = "TCP_INFO={";
  size_t words = info.raw.size() / 4;
  for (size_t i = 0; i < words; ++i) {
    uint32_t w;
    std::memcpy(&w, info.raw.data() + 4 * i, 4);
    if (i) out.push_back(' ');
    fmt::format_to(std::back_inserter(out), "{:08x}", w);
  }
  // A tail shorter than a word (never seen from a real kernel) as bytes.
  for (size_t i = words * 4; i < info.raw.size(); ++i)
    fmt::format_to(std::back_inserter(out), "{}{:02x}", i == words * 4 && words ? " " : "", info.raw[i]);
  out.push_back('}');
  return out;
}

std::string tcp_info_socat_tcpi(const TcpInfo& info) {
  std::string out;
  for (const char* name : {"state", "options", "snd_wscale", "rcv_wscale"}) {
    auto v = info.get(name);
    if (!v) continue;
    if (!out.empty()) out.push_back('\t');
    fmt::format_to(std::back_inserter(out), "TCPI_{}={{{}}}", upper(name), *v);
  }
  return out;
}

std::string tcp_info_socat(const TcpInfo& info) {
  std::string out = tcp_info_socat_hex(info);
  std::string tcpi = tcp_info_socat_tcpi(info);
  if (!tcpi.empty()) out += "\t" + tcpi;
  return out;
}

void tcp_info_json(JsonWriter& w, const TcpInfo& info) {
  w.begin_object();
  w.field("length", info.raw.size());
  for (const auto& f : kFields) {
    auto v = info.get(f);
    if (!v) continue;
    w.key(f.name);
    switch (f.unit) {
      case U::State:
      case U::CaState:
        w.value(tcp_info_field_text(f, *v));
        break;
      case U::Options:
        w.begin_array();
        for (auto n : tcp_option_names(static_cast<unsigned>(*v))) w.value(n);
        w.end_array();
        break;
      default:
        w.value(*v);
    }
  }
  w.end_object();
}

}  // namespace fdscope
