// Transfer dumps in socat's formats (-v text, -x hex, -v -x table), byte for
// byte.  Each transferred block becomes a header line
//   "> 2026/11/23 08:35:06.000414  length=19 from=0 to=18\n"
// ("> " left to right, "< " right to left; from/to are cumulative offsets in
// that direction) followed by the body.  Functions append to a caller's
// buffer so a whole block is formatted in memory and written with one
// write(2): this is what makes relay's dumps fast where socat's are slow.
#pragma once

#include <time.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace fdscope {

enum class DumpDirection : uint8_t { LeftToRight = 0, RightToLeft = 1 };

struct DumpFormat {
  bool text = false;  // -v
  bool hex = false;   // -x (with -v: the combined hex + ASCII table)
  bool any() const { return text || hex; }
};

// The header line, with socat 1.8's 6-digit fraction and local time.
void append_dump_header(std::string& out, DumpDirection dir, const timespec& when,
                        size_t length, uint64_t from);

// -v body: printable bytes, TAB and LF as they are; \a \b \v \f \r and
// backslash as two-character escapes; anything else as '.'.
void append_dump_text(std::string& out, const void* data, size_t len);

// -x body: " %02x" per byte, then "\n".
void append_dump_hex(std::string& out, const void* data, size_t len);

// -v -x body: lines of up to 16 bytes (a line also ends after an LF byte),
// hex columns padded to 16, two spaces, ASCII with '.' for the rest; "--\n".
void append_dump_table(std::string& out, const void* data, size_t len);

// Header plus the body chosen by fmt (nothing when !fmt.any() or len == 0).
void append_dump_block(std::string& out, DumpFormat fmt, DumpDirection dir,
                       const timespec& when, uint64_t from, const void* data, size_t len);

// An upper bound on what append_dump_block() appends for len bytes.
size_t dump_block_bound(DumpFormat fmt, size_t len);

}  // namespace fdscope
