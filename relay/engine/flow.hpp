// Flow: one direction of a transfer (left->right or right->left).  It owns
// what that direction needs: the block buffer and the data not yet written,
// or, on the zero-copy path, a pipe that splice(2) fills from the reading fd
// and drains into the writing fd.  It converts line terminators, writes the
// -v/-x/-r/-R dumps, counts bytes and blocks, and fires the transfer probe.
// The engine (engine.cpp) decides when to call it from poll() results; a Flow
// never reads more while it still holds unwritten data, so data is never
// reordered, duplicated or dropped.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/endpoint.hpp"
#include "engine/engine.hpp"
#include "engine/fd_mode.hpp"
#include "fdscope/log.hpp"
#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace relay {

class Flow {
 public:
  Flow(int index, Endpoint& in, Endpoint& out, const TransferOptions& opts, fdscope::Logger& log);
  Flow(const Flow&) = delete;
  Flow& operator=(const Flow&) = delete;

  // Chooses the I/O path, allocates the buffer or splice pipe and opens the
  // raw dump file.  in_nonblocking: the reading fd never blocks after POLLIN.
  // in_kind/out_kind: what the reading and writing fds are (fd_kind()).
  fdscope::Status start(bool in_nonblocking, FdKind in_kind, FdKind out_kind);

  int index() const { return index_; }
  int in_fd() const { return in_.rfd; }
  int out_fd() const { return out_.wfd; }
  Endpoint& in() { return in_; }
  Endpoint& out() { return out_; }

  bool enabled() const { return enabled_; }
  void disable() { enabled_ = false; }
  bool spliced() const { return splice_; }

  bool has_pending() const { return pend_off_ < pend_len_ || pipe_bytes_ > 0; }
  bool at_eof() const { return eof_; }              // the read side is finished
  bool output_gone() const { return out_gone_; }    // writing failed with EPIPE/ECONNRESET (cool-write)
  bool eof_paused() const { return eof_paused_; }   // ignoreeof or sitout-eio: waiting to read again
  // Seconds until the next read attempt while paused: ignoreeof's interval,
  // or a short one while sitting out EIO on a pty master.
  double pause_interval(double ignoreeof_interval) const {
    return eio_since_ > 0 ? kEioRetryInterval : ignoreeof_interval;
  }
  void resume_after_eof() { eof_paused_ = false; }
  // The read side is closed under us (shut-close of a shared fd): stop reading.
  void stop_reading() { eof_ = true; }

  // Should the engine poll the reading fd?
  bool wants_read() const { return enabled_ && !eof_ && !eof_paused_ && !out_gone_ && !has_pending(); }
  // Should the engine poll the writing fd for POLLOUT?
  bool wants_write() const { return enabled_ && !out_gone_ && has_pending(); }

  // The reading fd is readable: read and forward blocks while that makes
  // progress.  closing: the transfer is ending, so ignoreeof no longer
  // applies.  Returns whether any byte moved.
  fdscope::Result<bool> on_readable(bool closing);
  // The writing fd is writable: write what is pending.  Returns whether any
  // byte moved.
  fdscope::Result<bool> on_writable();

  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t bytes_written() const { return bytes_written_; }
  uint64_t blocks() const { return blocks_; }

 private:
  enum class ReadStep { Data, Again, Eof, Paused };
  static constexpr double kEioRetryInterval = 0.05;
  fdscope::Result<ReadStep> read_copy(bool closing);
  fdscope::Result<ReadStep> read_splice(bool closing);
  fdscope::Result<ReadStep> at_zero_read(bool closing);
  fdscope::Result<ReadStep> at_eio(bool closing);
  void end_reading(const char* why);
  fdscope::Result<bool> flush_copy();
  fdscope::Result<bool> flush_splice();
  fdscope::Status fall_back_to_copy();
  void start_splice();
  fdscope::Status write_failed(const char* call, size_t len);
  void forward_block(char* data, size_t len);
  void block_done();
  void ensure_buffers(size_t size);

  const int index_;
  Endpoint& in_;
  Endpoint& out_;
  const TransferOptions& opts_;
  fdscope::Logger& log_;

  bool enabled_ = true;
  bool splice_ = false;
  bool in_nonblocking_ = false;
  bool in_dgram_ = false;      // recvfrom() on a SOCK_DGRAM socket: 0 bytes is an empty datagram
  bool out_socket_ = false;
  bool convert_ = false;
  bool eof_ = false;
  bool eof_paused_ = false;
  bool out_gone_ = false;
  bool ever_spliced_out_ = false;
  bool ever_spliced_in_ = false;
  bool splice_later_ = false;  // splice is possible: switch to it once bulk_seen_
  bool bulk_seen_ = false;     // a read filled the whole buffer
  bool in_stream_ = false;     // a stream socket or pipe: a short read means it is drained
  bool short_read_ = false;    // the last read got less than it asked for
  bool in_tty_ = false;        // EIO from a terminal (a pty master whose slave closed) is EOF
  ReadRules rules_;            // escape, null-eof, sitout-eio of the reading address
  double eio_since_ = 0;       // monotonic time of the first EIO of a sitout; 0 = none
  uint64_t readbytes_left_ = 0;  // only meaningful when in_.readbytes != 0

  size_t buf_size_ = 0;
  std::unique_ptr<char[]> buf_;   // what is read
  std::unique_ptr<char[]> conv_;  // after cr/crnl conversion (2x)
  // Copy-path buffer until splice starts (splice_later_): most connections
  // of a fork server carry a few bytes and never need buf_ nor the pipe.
  char first_[512];
  const char* pend_ = nullptr;
  size_t pend_off_ = 0;
  size_t pend_len_ = 0;
  size_t block_len_ = 0;  // bytes of the block being written, for probe and log

  fdscope::UniqueFd pipe_r_, pipe_w_;
  size_t pipe_cap_ = 0;
  size_t pipe_bytes_ = 0;

  fdscope::UniqueFd raw_;
  std::string dump_;  // -v/-x text of one block, written with one write
  uint64_t dump_offset_ = 0;

  uint64_t bytes_read_ = 0;
  uint64_t bytes_written_ = 0;
  uint64_t blocks_ = 0;
};

}  // namespace relay
