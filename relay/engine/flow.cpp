// One direction of the transfer (see flow.hpp).  Two data paths:
//  - copy: read(2)/recvfrom(2) one block of -b bytes into a buffer, convert
//    line terminators, dump, then write(2)/send(2)/sendto(2) it; what the
//    writing fd does not take stays pending until poll() reports POLLOUT.
//  - splice: when nothing has to look at the bytes (no dump, no conversion,
//    no datagrams, no escape character) they go fd -> pipe -> fd with splice(2) and never enter
//    user space.  If the kernel refuses splice for an fd (EINVAL), the flow
//    falls back to copying, first draining what is already in the pipe.
// EIO from a terminal (a pty master after the last slave opener closed) is
// EOF, as in socat; sitout-eio first waits that long for a new opener.
// escape=CHAR ends reading at that byte (it and what follows in the block
// are dropped); null-eof makes an empty datagram EOF.
// Reads stop while anything is pending, so the order of bytes is the order
// read, and every byte read is written exactly once or reported as lost
// with the error that lost it.
#include "engine/flow.hpp"

#include "core/syscall_log.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "engine/line_term.hpp"
#include "engine/probes.hpp"
#include "fdscope/dump.hpp"
#include "fdscope/io.hpp"

namespace relay {

namespace {

// Pipe size for the splice path: large enough that one splice moves what a
// loopback TCP socket typically has queued, small enough to stay in kernel
// memory that is allocated only while data is in flight.  Measured on TCP
// loopback (bench/relay_vs_socat.sh): 64 KiB ~1150 MiB/s, 256 KiB ~1300,
// 1 MiB ~1200.  Remeasured by CPU time per GiB of the whole transfer
// (bench/floor/splice_relay.c's knobs, and this constant at 1 MiB):
// 128 KiB to 1 MiB are within the noise, 4 MiB is worse.  The size counts
// against the user's pipe-user-pages-soft budget (64 MiB by default) for
// as long as the pipe lives, two pipes per relay: 256 KiB lets a fork
// server keep 128 children at full size, 1 MiB only 32.
constexpr size_t kSplicePipeSize = 256 << 10;
// At most this many blocks per readiness report before the engine polls
// again, so that one busy direction cannot starve the other.
constexpr int kMaxRoundsPerWakeup = 16;

bool is_socket_type(int fd, int type) {
  int t = 0;
  socklen_t len = sizeof t;
  return sys::getsockopt(fd, SOL_SOCKET, SO_TYPE, &t, &len) == 0 && t == type;
}

double monotonic_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string call_text(const char* call, int fd, const void* buf, size_t len) {
  return fmt::format("{}({}, {}, {})", call, fd, buf, len);
}

}  // namespace

Flow::Flow(int index, Endpoint& in, Endpoint& out, const TransferOptions& opts, fdscope::Logger& log)
    : index_(index), in_(in), out_(out), opts_(opts), log_(log) {}

void Flow::ensure_buffers(size_t size) {
  if (buf_size_ >= size) return;
  buf_size_ = size;
  // Not zeroed: only bytes read are ever looked at, and untouched pages
  // cost nothing (in a fork server's child every page written is a fault).
  buf_ = std::make_unique_for_overwrite<char[]>(size);
  if (convert_) conv_ = std::make_unique_for_overwrite<char[]>(2 * size);
}

fdscope::Status Flow::start(bool in_nonblocking, FdKind in_kind, FdKind out_kind) {
  in_nonblocking_ = in_nonblocking;
  readbytes_left_ = in_.readbytes;
  convert_ = in_.lineterm != out_.lineterm;
  out_socket_ = out_kind == FdKind::Socket;
  in_dgram_ = in_kind == FdKind::Socket && is_socket_type(in_.rfd, SOCK_DGRAM);
  in_tty_ = in_kind == FdKind::Tty;
  in_stream_ = (in_kind == FdKind::Socket && !in_dgram_) || in_kind == FdKind::Pipe;
  rules_ = in_.read_rules;

  const std::string& raw_path = opts_.raw_dump_path[index_];
  if (!raw_path.empty()) {
    auto fd = fdscope::open_fd(raw_path, O_WRONLY | O_CREAT | O_APPEND, AT_FDCWD, 0664);
    if (!fd) return fd.take_error().context(index_ == 0 ? "-r" : "-R");
    raw_ = std::move(*fd);
  }

  auto spliceable = [](FdKind k) { return k == FdKind::Socket || k == FdKind::Pipe || k == FdKind::Regular; };
  bool can_splice = opts_.allow_splice && !opts_.dump.any() && !raw_.valid() && !convert_ && !in_.datagram &&
                    !out_.datagram && !out_.sendto && !in_dgram_ && rules_.escape < 0 && spliceable(in_kind) && spliceable(out_kind);
  if (out_kind == FdKind::Regular && (sys::fcntl(out_.wfd, F_GETFL) & O_APPEND)) can_splice = false;  // EINVAL
  // The splice pipe is made only once a read fills the whole buffer: most
  // connections of a fork server carry a few bytes, for which creating and
  // resizing a pipe costs more than copying them.  Until then the copy path
  // runs, reading into first_ (inside the Flow: no allocation); the switch
  // happens only when nothing read is still unwritten.
  splice_later_ = can_splice;
  if (!splice_later_) ensure_buffers(std::max<size_t>(opts_.block_size, 1));
  return {};
}

void Flow::start_splice() {
  splice_later_ = false;
  int p[2];
  if (sys::pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0) {  // stay on the copy path, with the full block size
    ensure_buffers(std::max<size_t>(opts_.block_size, 1));
    return;
  }
  pipe_r_.reset(p[0]);
  pipe_w_.reset(p[1]);
  size_t want = std::max(kSplicePipeSize, opts_.block_size);
  int got = sys::fcntl(p[1], F_SETPIPE_SZ, static_cast<int>(want));
  if (got < 0) got = sys::fcntl(p[1], F_GETPIPE_SZ);
  pipe_cap_ = got > 0 ? static_cast<size_t>(got) : 65536;
  splice_ = true;
}

fdscope::Status Flow::fall_back_to_copy() {
  // Whatever is in the pipe was read but not written: move it into the
  // buffer as pending data, then continue on the copy path.
  splice_ = false;
  splice_later_ = false;
  ensure_buffers(std::max({opts_.block_size, pipe_bytes_, size_t{1}}));
  size_t got = 0;
  while (got < pipe_bytes_) {
    ssize_t n = fdscope::retry_eintr([&] { return sys::read(pipe_r_.get(), buf_.get() + got, pipe_bytes_ - got); });
    if (n <= 0) return fdscope::sys_error("read(splice pipe)");
    got += static_cast<size_t>(n);
  }
  pend_ = buf_.get();
  pend_off_ = 0;
  pend_len_ = got;
  pipe_bytes_ = 0;
  pipe_r_.reset();
  pipe_w_.reset();
  log_.info("splice(2) not possible between fds {} and {}, copying instead", in_.rfd, out_.wfd);
  return {};
}

fdscope::Result<Flow::ReadStep> Flow::at_zero_read(bool closing) {
  if (in_.ignoreeof && !closing) {
    eof_paused_ = true;
    return ReadStep::Paused;
  }
  eof_ = true;
  RELAY_PROBE_EOF(index_, in_.rfd, bytes_read_);
  return ReadStep::Eof;
}

void Flow::end_reading(const char* why) {
  eof_ = true;
  log_.info("fd {}: {}, taken as EOF", in_.rfd, why);
  RELAY_PROBE_EOF(index_, in_.rfd, bytes_read_);
}

fdscope::Result<Flow::ReadStep> Flow::at_eio(bool closing) {
  if (rules_.sitout_eio > 0 && !closing) {
    double now = monotonic_seconds();
    if (eio_since_ == 0) {
      eio_since_ = now;
      log_.info("read({}): {}; waiting up to {} s for the pty slave to be opened again", in_.rfd, strerror(EIO),
                rules_.sitout_eio);
    }
    if (now - eio_since_ < rules_.sitout_eio) {
      eof_paused_ = true;
      return ReadStep::Paused;
    }
  }
  eio_since_ = 0;
  end_reading("EIO (the pty slave is closed)");
  return ReadStep::Eof;
}

fdscope::Result<Flow::ReadStep> Flow::read_splice(bool closing) {
  size_t want = pipe_cap_ - pipe_bytes_;
  if (in_.readbytes) want = std::min<uint64_t>(want, readbytes_left_);
  ssize_t n = fdscope::retry_eintr(
      [&] { return sys::splice(in_.rfd, nullptr, pipe_w_.get(), nullptr, want, SPLICE_F_MOVE | SPLICE_F_NONBLOCK); });
  if (n < 0) {
    if (errno == EAGAIN) return ReadStep::Again;
    if ((errno == EINVAL || errno == ENOSYS) && !ever_spliced_in_) {
      if (auto st = fall_back_to_copy(); !st) return st.take_error();
      return read_copy(closing);
    }
    return fdscope::sys_error(fmt::format("splice({}, NULL, {}, NULL, {})", in_.rfd, pipe_w_.get(), want));
  }
  ever_spliced_in_ = true;
  short_read_ = false;
  if (n == 0) return at_zero_read(closing);
  pipe_bytes_ += static_cast<size_t>(n);
  block_len_ += static_cast<size_t>(n);
  bytes_read_ += static_cast<uint64_t>(n);
  ++blocks_;
  if (in_.readbytes) {
    readbytes_left_ -= static_cast<uint64_t>(n);
    if (readbytes_left_ == 0) eof_ = true;
  }
  return ReadStep::Data;
}

fdscope::Result<Flow::ReadStep> Flow::read_copy(bool closing) {
  // Before the first bulk read (splice_later_) the small first_ serves.
  size_t cap = buf_ ? buf_size_ : std::min(sizeof first_, std::max<size_t>(opts_.block_size, 1));
  size_t want = cap;
  if (in_.readbytes) want = std::min<uint64_t>(want, readbytes_left_);
  char* buf = buf_ ? buf_.get() : first_;
  ssize_t n;
  if (in_dgram_) {
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    n = fdscope::retry_eintr(
        [&] { return sys::recvfrom(in_.rfd, buf, want, 0, reinterpret_cast<sockaddr*>(&from), &from_len); });
    if (n >= 0 && in_.learn_peer && from_len > 0) {
      in_.peer = from;
      in_.peer_len = from_len;
    }
  } else {
    n = fdscope::retry_eintr([&] { return sys::read(in_.rfd, buf, want); });
  }
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      eio_since_ = 0;  // a slave is open again
      return ReadStep::Again;
    }
    if (errno == EIO && in_tty_) return at_eio(closing);
    return fdscope::sys_error(call_text(in_dgram_ ? "recvfrom" : "read", in_.rfd, buf, want));
  }
  eio_since_ = 0;
  if (splice_later_ && static_cast<size_t>(n) == cap) bulk_seen_ = true;
  short_read_ = in_stream_ && n > 0 && static_cast<size_t>(n) < want;
  if (n == 0) {
    if (in_dgram_ && rules_.null_eof) {
      end_reading("empty datagram (null-eof)");
      return ReadStep::Eof;
    }
    if (in_dgram_) return ReadStep::Data;  // an empty datagram carries nothing to forward
    return at_zero_read(closing);
  }
  if (rules_.escape >= 0) {
    if (const void* at = memchr(buf, rules_.escape, static_cast<size_t>(n))) {
      n = static_cast<const char*>(at) - buf;  // the escape byte and what follows are dropped
      end_reading(fmt::format("escape character 0x{:02x} read", rules_.escape).c_str());
      if (n == 0) return ReadStep::Eof;
    }
  }
  bytes_read_ += static_cast<uint64_t>(n);
  ++blocks_;
  if (in_.readbytes) {
    readbytes_left_ -= static_cast<uint64_t>(n);
    if (readbytes_left_ == 0) eof_ = true;
  }
  size_t len = static_cast<size_t>(n);
  char* data = buf;
  if (convert_) {
    len = convert_line_terms(buf, len, conv_.get(), in_.lineterm, out_.lineterm);
    data = conv_.get();
  }
  if (len > 0) forward_block(data, len);
  return ReadStep::Data;
}

void Flow::forward_block(char* data, size_t len) {
  if (raw_.valid()) {
    auto st = fdscope::write_all_waiting(raw_.get(), data, len);
    if (!st) log_.warn("{}: write({}, buff, {}): {}", index_ == 0 ? "-r" : "-R", raw_.get(), len, st.error().message());
  }
  if (opts_.dump.any()) {
    timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    dump_.clear();
    fdscope::append_dump_block(dump_, opts_.dump,
                               index_ == 0 ? fdscope::DumpDirection::LeftToRight : fdscope::DumpDirection::RightToLeft,
                               now, dump_offset_, data, len);
    dump_offset_ += len;
    (void)fdscope::write_all_waiting(opts_.dump_fd, dump_.data(), dump_.size());  // nowhere to report a failing stderr
    if (dump_.capacity() > (1u << 22) && len < (1u << 16)) dump_ = std::string();  // after one huge block
  }
  pend_ = data;
  pend_off_ = 0;
  pend_len_ = len;
  block_len_ = len;
}

void Flow::block_done() {
  RELAY_PROBE_TRANSFER(index_, in_.rfd, out_.wfd, block_len_, bytes_written_, splice_ ? 1 : 0);
  if (log_.enabled(fdscope::LogLevel::Info))
    log_.info("transferred {} bytes from {} to {}", block_len_, in_.rfd, out_.wfd);
  block_len_ = 0;
}

fdscope::Status Flow::write_failed(const char* call, size_t len) {
  int err = errno;
  if ((err == EPIPE || err == ECONNRESET) && out_.cool_write) {
    log_.notice("{}: {}", call_text(call, out_.wfd, pend_ + pend_off_, len), strerror(err));
    out_gone_ = true;
    pend_off_ = pend_len_ = 0;
    pipe_bytes_ = 0;
    return {};
  }
  return fdscope::sys_error(call_text(call, out_.wfd, pend_ + pend_off_, len), err);
}

fdscope::Result<bool> Flow::flush_copy() {
  bool moved = false;
  while (pend_off_ < pend_len_) {
    const char* p = pend_ + pend_off_;
    size_t len = pend_len_ - pend_off_;
    ssize_t n;
    const char* call;
    if (out_.sendto) {
      call = "sendto";
      n = fdscope::retry_eintr([&] {
        return sys::sendto(out_.wfd, p, len, MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&out_.peer), out_.peer_len);
      });
    } else if (out_socket_) {
      call = "send";
      n = fdscope::retry_eintr([&] { return sys::send(out_.wfd, p, len, MSG_NOSIGNAL); });
    } else {
      call = "write";
      n = fdscope::retry_eintr([&] { return sys::write(out_.wfd, p, len); });
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return moved;
      if (auto st = write_failed(call, len); !st) return st.take_error();
      return moved;
    }
    pend_off_ += static_cast<size_t>(n);
    bytes_written_ += static_cast<uint64_t>(n);
    moved = true;
  }
  pend_off_ = pend_len_ = 0;
  block_done();
  return moved;
}

fdscope::Result<bool> Flow::flush_splice() {
  bool moved = false;
  while (pipe_bytes_ > 0) {
    ssize_t n = fdscope::retry_eintr([&] {
      return sys::splice(pipe_r_.get(), nullptr, out_.wfd, nullptr, pipe_bytes_, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    });
    if (n < 0) {
      if (errno == EAGAIN) return moved;
      if (errno == EINVAL && !ever_spliced_out_) {
        if (auto st = fall_back_to_copy(); !st) return st.take_error();
        auto r = flush_copy();
        if (!r) return r;
        return moved || *r;
      }
      if (auto st = write_failed("splice", pipe_bytes_); !st) return st.take_error();
      return moved;
    }
    ever_spliced_out_ = true;
    pipe_bytes_ -= static_cast<size_t>(n);
    bytes_written_ += static_cast<uint64_t>(n);
    moved = true;
  }
  block_done();
  return moved;
}

fdscope::Result<bool> Flow::on_writable() {
  if (!has_pending() || out_gone_) return false;
  return splice_ ? flush_splice() : flush_copy();
}

fdscope::Result<bool> Flow::on_readable(bool closing) {
  bool moved = false;
  for (int round = 0; round < kMaxRoundsPerWakeup && wants_read(); ++round) {
    if (bulk_seen_ && splice_later_) start_splice();  // nothing is pending: wants_read()
    auto step = splice_ ? read_splice(closing) : read_copy(closing);
    if (!step) return step.take_error();
    if (*step != ReadStep::Data) break;
    moved = true;
    auto w = on_writable();
    if (!w) return w;
    // A stream that gave read() less than asked for is drained: the next
    // read would only say EAGAIN, so poll (level-triggered: nothing is
    // missed) instead.  Not on the splice path, where a short splice may
    // only mean the pipe had no slot left.
    if (has_pending() || !in_nonblocking_ || short_read_) break;
  }
  return moved;
}

}  // namespace relay
