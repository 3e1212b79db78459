// ChildServer: the process bookkeeping of a forking server (socat's fork and
// max-children options).  The parent forks one child per connection (or per
// packet), counts the children that are running, reaps every one that exits
// (SIGCHLD through a signalfd, so no zombie is ever left and no handler runs
// at an awkward moment), and waits for a free slot when max-children
// children are busy.  The child restores the signal state and carries on
// opening the other address and running the transfer.
#pragma once

#include <sys/types.h>

#include "fdscope/result.hpp"
#include "fdscope/unique_fd.hpp"

namespace relay::net {

class ChildServer {
 public:
  // max_children 0 = unlimited.
  explicit ChildServer(unsigned max_children);
  ~ChildServer();
  ChildServer(const ChildServer&) = delete;
  ChildServer& operator=(const ChildServer&) = delete;

  // Blocks SIGCHLD and opens the signalfd.  Call once before the loop.
  fdscope::Status start();

  // Readable when a child has exited; poll it next to the listening fd and
  // call reap() when it is.
  int sigchld_fd() const { return sigfd_.get(); }

  // Collects every exited child without blocking; returns how many.
  unsigned reap();

  // Blocks until fewer than max_children children run (no-op if unlimited).
  fdscope::Status wait_for_slot();

  // fork(2).  Parent: returns the child's pid (>0) and counts it.  Child:
  // returns 0 with the signal mask restored and the signalfd closed.
  fdscope::Result<pid_t> fork_child();

  unsigned running() const { return running_; }

 private:
  unsigned max_children_;
  unsigned running_ = 0;
  fdscope::UniqueFd sigfd_;
  bool blocked_ = false;
  bool was_blocked_ = false;  // SIGCHLD was blocked before start()
};

}  // namespace relay::net
