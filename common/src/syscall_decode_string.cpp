// Quoting of captured strings and buffers for the syscall formatter, the way
// strace prints them: printable ASCII as is, the C escapes \t \n \v \f \r
// \" \\, every other byte as a short octal escape (\0, \33) that widens to
// three digits when an octal digit follows, so the text stays unambiguous
// C.  At most `limit` bytes are shown; cut text gets `...` after the closing
// quote (strace -s).  format_quoted_hex is strace's forced-hex form for
// random bytes (getrandom): every byte as \xNN.
#include <string>
#include <string_view>

#include "fdscope/syscall_format.hpp"

namespace fdscope {

void format_quoted(std::string_view bytes, size_t limit, bool truncated, std::string& out) {
  bool cut = truncated;
  if (bytes.size() > limit) {
    bytes = bytes.substr(0, limit);
    cut = true;
  }
  out.push_back('"');
  auto plain = [](unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; };
  for (size_t i = 0; i < bytes.size(); ++i) {
    // Runs of plain characters are copied at once (the common case).
    size_t run = i;
    while (run < bytes.size() && plain(static_cast<unsigned char>(bytes[run]))) ++run;
    if (run > i) {
      out.append(bytes.data() + i, run - i);
      i = run;
      if (i == bytes.size()) break;
    }
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
      case '"': out.append("\\\""); continue;
      case '\\': out.append("\\\\"); continue;
      case '\t': out.append("\\t"); continue;
      case '\n': out.append("\\n"); continue;
      case '\v': out.append("\\v"); continue;
      case '\f': out.append("\\f"); continue;
      case '\r': out.append("\\r"); continue;
      default: break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    bool next_is_digit = i + 1 < bytes.size() && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
    out.push_back('\\');
    if (next_is_digit || c >= 0100) out.push_back(static_cast<char>('0' + ((c >> 6) & 7)));
    if (next_is_digit || c >= 010) out.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
    out.push_back(static_cast<char>('0' + (c & 7)));
  }
  out.push_back('"');
  if (cut) out.append("...");
}

void format_quoted_hex(std::string_view bytes, size_t limit, bool truncated, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool cut = truncated;
  if (bytes.size() > limit) {
    bytes = bytes.substr(0, limit);
    cut = true;
  }
  out.push_back('"');
  for (unsigned char c : bytes) {
    out.append("\\x");
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  out.push_back('"');
  if (cut) out.append("...");
}

}  // namespace fdscope
