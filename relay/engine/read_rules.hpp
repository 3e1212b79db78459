// ReadRules: how the engine interprets what it reads from one address, for
// the options whose effect lives in the transfer loop but which Endpoint
// does not carry: escape=CHAR (that byte means EOF), null-eof (an empty
// datagram means EOF) and sitout-eio (after EIO on a pty master, wait this
// long for a new slave opener before taking it as EOF).  The options'
// apply functions (relay/addr/opts_appl.cpp, relay/addr/pty.cpp) register
// them for the address's reading fd when the address is finished; the
// engine takes them for its two reading fds when the transfer starts and
// forgets every registration when it ends, so a number reused later for
// another fd never inherits them.
#pragma once

namespace relay {

struct ReadRules {
  int escape = -1;          // escape=CHAR: this byte read from the fd is EOF; -1 = none
  bool null_eof = false;    // null-eof: a zero-length datagram is EOF
  double sitout_eio = 0;    // sitout-eio: seconds to wait for a new pty slave after EIO
  bool any() const { return escape >= 0 || null_eof || sitout_eio > 0; }
};

// The rules registered for fd so far (creating an empty entry) to be changed.
ReadRules& read_rules_for(int fd);

// The rules of fd (empty ones if none were registered).
ReadRules read_rules_of(int fd);

// Forgets all registrations (end of a transfer).
void clear_read_rules();

}  // namespace relay
