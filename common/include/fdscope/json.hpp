// JsonWriter: a small streaming JSON emitter used by every --json renderer.
// It appends to a std::string, escapes strings per RFC 8259, and keeps keys in
// the order they are written, so the documented key order is the output order.
// Compact (one line, for JSON lines) or indented by two spaces.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace fdscope {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, bool pretty = false) : out_(out), pretty_(pretty) {}
  // A writer for values inside `depth` containers another writer opened:
  // it writes what that writer would (separator, line break, indentation)
  // for the next values of the innermost one; `first`: nothing has been
  // written in it yet.  Pieces of one array can so be made apart (in
  // parallel) and joined in order; the opening writer is then told with
  // mark_written().
  JsonWriter(std::string& out, bool pretty, size_t depth, bool first)
      : out_(out), pretty_(pretty), first_(depth, false) {
    if (depth) first_.back() = first;
  }
  // Values were written into the innermost open container by nested
  // writers: the next value gets its separator and the close its line break.
  void mark_written() {
    if (!first_.empty()) first_.back() = false;
  }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  JsonWriter& value(double d);
  JsonWriter& null();
  template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
  JsonWriter& value(T v) {
    if constexpr (std::is_signed_v<T>)
      return int_value(static_cast<int64_t>(v));
    else
      return uint_value(static_cast<uint64_t>(v));
  }

  // key(k) followed by value(v).
  template <typename T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  // Inserts already-serialised JSON (e.g. a nested document) as a value.
  JsonWriter& raw(std::string_view json);

  // Escape s as a JSON string body (without quotes) onto out.
  static void escape(std::string& out, std::string_view s);

 private:
  JsonWriter& int_value(int64_t v);
  JsonWriter& uint_value(uint64_t v);
  JsonWriter& close(char bracket);
  void before_value();
  void newline();

  std::string& out_;
  bool pretty_;
  std::vector<bool> first_;  // one entry per open container: nothing written yet
  bool after_key_ = false;
};

}  // namespace fdscope
