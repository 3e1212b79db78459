// OutputSink: where trace's text or JSON lines go (stdout or -o FILE).
// Renderers append to one large in-memory buffer; it is written with one
// write(2) per batch, never per line, because per-event syscalls from the
// tracer would cost more than the tracing itself.
#pragma once

#include <string>

#include "fdscope/io.hpp"
#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace fdscope::trace {

class OutputSink {
 public:
  // fd is borrowed (stdout) unless owned is given.
  explicit OutputSink(int fd) : fd_(fd) {}
  explicit OutputSink(UniqueFd owned) : fd_(owned.get()), owned_(std::move(owned)) {}

  std::string& buf() { return buf_; }
  // Writes out when the buffer is large; call after each record.
  Status maybe_flush() { return buf_.size() >= kFlushBytes ? flush() : Status{}; }
  Status flush() {
    if (buf_.empty()) return {};
    Status s = write_all(fd_, buf_);
    buf_.clear();
    if (!s) return s.take_error().context("write trace output");
    return {};
  }

 private:
  static constexpr size_t kFlushBytes = 256 * 1024;
  int fd_;
  UniqueFd owned_;
  std::string buf_;
};

}  // namespace fdscope::trace
