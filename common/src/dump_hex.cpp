// The -x dump body (" %02x" per byte on one line) and the -v -x table (16
// bytes a line, a line also ending after LF, hex columns padded, then the
// bytes as ASCII, "--" after the block), as socat prints them.  Hex digits
// come from a 256-entry table and are written straight into the caller's
// buffer: about three bytes of output per input byte, no per-byte calls.
#include <array>
#include <cstring>

#include "fdscope/dump.hpp"

namespace fdscope {

namespace {

constexpr std::array<char, 512> make_hex_table() {
  std::array<char, 512> t{};
  const char* digits = "0123456789abcdef";
  for (int b = 0; b < 256; ++b) {
    t[2 * b] = digits[b >> 4];
    t[2 * b + 1] = digits[b & 15];
  }
  return t;
}

constexpr std::array<char, 512> kHex = make_hex_table();

inline char* put_hex(char* w, unsigned char b) {
  w[0] = ' ';
  w[1] = kHex[2 * b];
  w[2] = kHex[2 * b + 1];
  return w + 3;
}

inline char ascii_of(unsigned char b) { return (b >= 0x20 && b <= 0x7e) ? static_cast<char>(b) : '.'; }

}  // namespace

void append_dump_hex(std::string& out, const void* data, size_t len) {
  const auto* p = static_cast<const unsigned char*>(data);
  size_t start = out.size();
  out.resize(start + 3 * len + 1);
  char* w = out.data() + start;
  for (size_t i = 0; i < len; ++i) w = put_hex(w, p[i]);
  *w = '\n';
}

void append_dump_table(std::string& out, const void* data, size_t len) {
  const auto* p = static_cast<const unsigned char*>(data);
  out.reserve(out.size() + (len / 16 + 1) * 68 + 3);
  char line[16 * 3 + 2 + 16 + 1];
  size_t i = 0;
  while (i < len) {
    size_t n = 0;  // bytes on this line: up to 16, ending after an LF
    while (n < 16 && i + n < len) {
      ++n;
      if (p[i + n - 1] == '\n') break;
    }
    char* w = line;
    for (size_t k = 0; k < n; ++k) w = put_hex(w, p[i + k]);
    std::memset(w, ' ', (16 - n) * 3 + 2);
    w += (16 - n) * 3 + 2;
    for (size_t k = 0; k < n; ++k) *w++ = ascii_of(p[i + k]);
    *w++ = '\n';
    out.append(line, static_cast<size_t>(w - line));
    i += n;
  }
  out += "--\n";
}

}  // namespace fdscope
