// nestlex: socat's tokenizer for address text.  It reads from pos up to the
// first terminator that is not inside quotes or brackets, and returns the
// token with quotes and backslash escapes removed (brackets are kept, so
// "EXEC:sh -c (a:b)" keeps its parentheses).  Used by the address parser
// for "!!", keywords, ':' parameters and ',' options.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "fdscope/result.hpp"

namespace relay {

struct Lexeme {
  std::string token;  // unquoted text
  size_t end = 0;     // index of the terminator in the input, or input size
  bool at_end() const { return stop.empty(); }
  std::string_view stop;  // the terminator that ended the token ("" at end of input)
};

// Errors: an unterminated quote, an unclosed bracket or a trailing backslash,
// quoting the whole text.
fdscope::Result<Lexeme> nestlex(std::string_view text, size_t pos,
                                std::initializer_list<std::string_view> terminators);

}  // namespace relay
