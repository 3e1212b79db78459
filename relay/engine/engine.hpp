// The transfer engine: moves bytes between the two opened addresses until
// both directions are done, the way socat's transfer loop does (-b, -t, -T,
// -u/-U, ignoreeof, readbytes, cr/crnl, shut-* options, datagrams), but with
// a zero-copy splice(2) path when nothing needs to see the bytes, and dumps
// (-v/-x/-r/-R) formatted per block and written once.  main.cpp and the fork
// servers (child side) call run_transfer() after both Endpoints are open.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/endpoint.hpp"
#include "fdscope/dump.hpp"
#include "fdscope/log.hpp"
#include "fdscope/result.hpp"

namespace relay {

// Which ways data flows: both, only left->right (-u) or right->left (-U).
enum class Direction { Both, LeftToRight, RightToLeft };

struct TransferOptions {
  size_t block_size = 8192;         // -b: bytes per read (and per dump block)
  double eof_wait = 0.5;            // -t: after EOF on one side, seconds the other direction may go on
  double idle_timeout = 0;          // -T: end after this many idle seconds; 0 = never
  Direction direction = Direction::Both;
  fdscope::DumpFormat dump;         // -v / -x
  int dump_fd = 2;                  // where -v/-x dumps go
  std::string raw_dump_path[2];     // -r (left->right) / -R (right->left); "" = none
  bool statistics = false;          // --statistics: run_transfer logs the counters when it ends
                                    // (SIGUSR1 logs them at any time during the transfer, as in socat 1.8)
  double ignoreeof_interval = 1.0;  // ignoreeof: seconds between reads after EOF (socat's pollintv)
  bool allow_splice = true;         // zero-copy when no dump/conversion/datagram needs the bytes
  fdscope::Logger* log = nullptr;   // nullptr: fdscope::process_logger()
};

// Counters per direction: [0] left->right, [1] right->left.
struct TransferStats {
  uint64_t bytes[2] = {0, 0};      // bytes written to the destination
  uint64_t transfers[2] = {0, 0};  // blocks read (datagrams for packet endpoints; splices on the zero-copy path)
};

// Runs the transfer loop.  Returns the exit status the program should use
// (0: both directions finished, or -T / -t ended it normally), or an Error
// naming the failing call, fd and errno (main logs it as "E ..." and exits 1).
// A child (Endpoint::child) that exits non-zero is also an Error, as in socat
// ("waitpid(): child N exited with status S").  Endpoints' write sides are
// shut down or closed per ShutMode as directions end; fds stay owned by the
// Endpoints.  stats (optional) receives the final counters.
fdscope::Result<int> run_transfer(Endpoint& left, Endpoint& right, const TransferOptions& opts,
                                  TransferStats* stats = nullptr);

// SIGUSR1 is caught from program start; one received before a transfer is
// answered with the statistics when the transfer loop starts.  A forked
// server child calls this so that it does not answer its parent's request.
void forget_statistics_request();

// socat 1.8's report, one line per direction that is enabled:
//   "STATISTICS: left to right: 12 packets(s), 34567 byte(s)"
// with both lines' numbers padded to the same width.
std::vector<std::string> statistics_lines(const TransferStats& stats, Direction direction);

// Logs "W statistics are experimental" and the lines at level I, shown
// whatever the -d level (socat forces them out the same way).
void log_statistics(fdscope::Logger& log, const TransferStats& stats, Direction direction);

}  // namespace relay
