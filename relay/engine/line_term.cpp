// cr / crnl conversion (see line_term.hpp).  Kept apart from the transfer
// loop so the rules, which follow socat's cv_newline(), are testable alone.
#include "engine/line_term.hpp"

#include <cstring>

namespace relay {

size_t convert_line_terms(const char* in, size_t len, char* out, LineTerm from, LineTerm to) {
  if (from == to) {
    std::memcpy(out, in, len);
    return len;
  }
  char* w = out;
  if (from == LineTerm::CrNl) {
    const char term = to == LineTerm::None ? '\n' : '\r';
    for (size_t i = 0; i < len; ++i) {
      char c = in[i];
      if (c == '\r') continue;
      *w++ = c == '\n' ? term : c;
    }
    return static_cast<size_t>(w - out);
  }
  const char src = from == LineTerm::None ? '\n' : '\r';
  if (to == LineTerm::CrNl) {
    for (size_t i = 0; i < len; ++i) {
      if (in[i] == src) {
        *w++ = '\r';
        *w++ = '\n';
      } else {
        *w++ = in[i];
      }
    }
    return static_cast<size_t>(w - out);
  }
  // None <-> Cr: same length, one character swapped for the other.
  const char dst = src == '\n' ? '\r' : '\n';
  for (size_t i = 0; i < len; ++i) out[i] = in[i] == src ? dst : in[i];
  return len;
}

}  // namespace relay
