// nestlex: the quote- and bracket-aware tokenizer behind the address parser
// (see nestlex.hpp).  It is a single pass over the text with a small bracket
// stack; terminators only count at nesting depth 0 outside quotes.
#include "core/nestlex.hpp"

#include <fmt/format.h>

#include <string>

namespace relay {

fdscope::Result<Lexeme> nestlex(std::string_view text, size_t pos,
                                std::initializer_list<std::string_view> terminators) {
  Lexeme out;
  std::string brackets;  // expected closing characters, innermost last
  size_t i = pos;
  while (i < text.size()) {
    char c = text[i];
    if (brackets.empty()) {
      for (std::string_view t : terminators) {
        if (!t.empty() && text.substr(i, t.size()) == t) {
          out.end = i;
          out.stop = t;
          return out;
        }
      }
    }
    if (c == '\\') {
      if (i + 1 >= text.size())
        return fdscope::plain_error(fmt::format("trailing backslash in \"{}\"", text));
      out.token += text[i + 1];
      i += 2;
      continue;
    }
    if (c == '"' || c == '\'') {
      size_t j = i + 1;
      bool closed = false;
      while (j < text.size()) {
        if (text[j] == c) {
          closed = true;
          break;
        }
        if (c == '"' && text[j] == '\\' && j + 1 < text.size()) {
          out.token += text[j + 1];
          j += 2;
          continue;
        }
        out.token += text[j];
        ++j;
      }
      if (!closed)
        return fdscope::plain_error(fmt::format("unterminated quote {} in \"{}\"", c, text));
      i = j + 1;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      brackets += c == '(' ? ')' : c == '[' ? ']' : '}';
    } else if (!brackets.empty() && c == brackets.back()) {
      brackets.pop_back();
    } else if (!brackets.empty() && (c == ')' || c == ']' || c == '}')) {
      return fdscope::plain_error(
          fmt::format("unbalanced \"{}\" (expected \"{}\") in \"{}\"", c, brackets.back(), text));
    }
    out.token += c;
    ++i;
  }
  if (!brackets.empty())
    return fdscope::plain_error(
        fmt::format("missing closing \"{}\" in \"{}\"", brackets.back(), text));
  out.end = text.size();
  out.stop = {};
  return out;
}

}  // namespace relay
