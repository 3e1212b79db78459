// The -v dump body: the transferred bytes as text, escaped the way socat
// does it (\a \b \v \f \r and backslash as two characters, TAB and LF as
// they are, other unprintable bytes as '.').  A 256-entry table maps each
// byte to its one- or two-character form; the loop writes straight into the
// caller's buffer.
#include <array>

#include "fdscope/dump.hpp"

namespace fdscope {

namespace {

struct TextForm {
  char c[2];
  unsigned char n;
};

constexpr std::array<TextForm, 256> make_text_table() {
  std::array<TextForm, 256> t{};
  for (int b = 0; b < 256; ++b) {
    TextForm f{{'.', 0}, 1};
    if ((b >= 0x20 && b <= 0x7e) || b == '\t' || b == '\n') f.c[0] = static_cast<char>(b);
    switch (b) {
      case '\a': f = {{'\\', 'a'}, 2}; break;
      case '\b': f = {{'\\', 'b'}, 2}; break;
      case '\v': f = {{'\\', 'v'}, 2}; break;
      case '\f': f = {{'\\', 'f'}, 2}; break;
      case '\r': f = {{'\\', 'r'}, 2}; break;
      case '\\': f = {{'\\', '\\'}, 2}; break;
      default: break;
    }
    t[b] = f;
  }
  return t;
}

constexpr std::array<TextForm, 256> kText = make_text_table();

}  // namespace

void append_dump_text(std::string& out, const void* data, size_t len) {
  const auto* p = static_cast<const unsigned char*>(data);
  size_t start = out.size();
  out.resize(start + 2 * len);
  char* w = out.data() + start;
  for (size_t i = 0; i < len; ++i) {
    const TextForm& f = kText[p[i]];
    w[0] = f.c[0];
    w[1] = f.c[1];
    w += f.n;
  }
  out.resize(static_cast<size_t>(w - out.data()));
}

}  // namespace fdscope
