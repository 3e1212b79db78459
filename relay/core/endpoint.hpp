// Endpoint: what opening one relay address yields and what the transfer
// engine consumes.  Address types (relay/addr/*.cpp) fill it in; the engine
// (relay/engine/) moves bytes between two of them.  Fields may be added (with
// a comment); existing ones keep their meaning, since both sides rely on it.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "fdscope/unique_fd.hpp"

namespace relay {

// What happens to the write side when the other direction reaches EOF
// (socat's shut-none / shut-down / shut-close / end-close options).
enum class ShutMode { Default, None, Down, Close };

// Line terminator conversion on data written to this endpoint (socat's
// cr / crnl options); the engine converts LF to the given terminator.
enum class LineTerm { None, Cr, CrNl };

// How the engine interprets what it reads from this endpoint, for options
// whose effect lives in the transfer loop: escape=CHAR, null-eof and
// sitout-eio (relay/addr/opts_appl.cpp, relay/addr/pty.cpp set them).
struct ReadRules {
  int escape = -1;          // escape=CHAR: this byte read is EOF; -1 = none
  bool null_eof = false;    // null-eof: a zero-length datagram is EOF
  double sitout_eio = 0;    // sitout-eio: seconds to wait for a new pty slave after EIO
};

struct Endpoint {
  std::string text;  // the address as the user wrote it, for logs and errors
  std::string kind;  // canonical keyword, e.g. "TCP4-LISTEN"

  int rfd = -1;  // fd to read from, -1 if the address is write-only
  int wfd = -1;  // fd to write to, -1 if read-only; may equal rfd
  std::vector<fdscope::UniqueFd> owned;  // fds this endpoint closes when destroyed

  bool datagram = false;       // keep packet boundaries: one read -> one write, no splice
  bool sendto = false;         // write with sendto(peer) (UDP-SENDTO, *-RECVFROM replies)
  bool learn_peer = false;     // recvfrom() updates peer (RECVFROM types answer the sender)
  sockaddr_storage peer{};     // destination for sendto
  socklen_t peer_len = 0;

  pid_t child = -1;            // EXEC/SYSTEM/SHELL child to reap when done
  pid_t child2 = -1;           // "A!!B": the write side's child when both sides have one
                               // (main reaps it after the transfer)
  ShutMode shut = ShutMode::Default;
  LineTerm lineterm = LineTerm::None;
  bool ignoreeof = false;      // at EOF keep polling (like tail -f)
  size_t readbytes = 0;        // stop reading after this many bytes; 0 = unlimited
  ReadRules read_rules;        // escape, null-eof, sitout-eio of the reading side
  bool cool_write = false;     // EPIPE/ECONNRESET on write logged at notice, not error
  std::vector<std::string> unlink_at_close;  // unlink-close: paths main removes after the transfer
};

}  // namespace relay
