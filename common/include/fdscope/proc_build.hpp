// Compile-time facts procan reports, as socat's procan does: the compiler,
// limits macros (SIZE_MAX, PIPE_BUF ...), C type sizes, and the #define
// values socat's `procan -c` lists (fd_set size, open flags, termios masks,
// socket constants).  Each is one table row, rendered as text and JSON.
#pragma once

#include <string>
#include <vector>

namespace fdscope {

// "SIZE_MAX" = "18446744073709551615", "P_tmpdir" = "\"/tmp\"" ...; the text
// is exactly what the text form prints after the '='.
struct BuildConstant {
  const char* name;
  std::string text;
  long long number;  // numeric value (0 for strings)
  bool is_string;
};

struct TypeSize {
  const char* type;  // "int", "size_t", "struct timespec"
  unsigned size;
};

enum class DefineFormat { decimal, octal, hex };
struct CDefine {
  const char* name;
  unsigned long long value;
  DefineFormat format;
};

std::string compiler_description();      // "gcc 12.2.0" / "clang 14.0.6"
std::vector<BuildConstant> build_constants();
std::vector<TypeSize> type_sizes();
std::vector<CDefine> c_defines();
// "#define NAME VALUE" exactly as socat's procan -c prints it.
std::string format_define(const CDefine& d);
const char* byte_order();                 // "little endian" / "big endian"

}  // namespace fdscope
