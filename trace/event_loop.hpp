// EventLoop: drains the ring buffer into the renderer until the traced
// processes are gone or a signal asks to stop.  The kernel side commits
// records without waking us (batched wake-ups), so the loop sleeps on a
// short timer, or until the kernel forces a wake-up because the buffer is a
// quarter full, and then consumes everything that is waiting.
#pragma once

#include <atomic>
#include <functional>

#include "bpf_session.hpp"
#include "event_renderer.hpp"
#include "fdscope/result.hpp"

namespace fdscope::trace {

class EventLoop {
 public:
  EventLoop(BpfSession& session, EventRenderer& renderer, int poll_ms)
      : session_(session), renderer_(renderer), poll_ms_(poll_ms) {}

  // Runs until renderer.live() is empty (every traced process exited) or
  // *stop becomes true; then drains what is left.  `tick` runs about every
  // poll interval (the caller reaps its child there).
  Status run(const std::atomic<bool>* stop, const std::function<void()>& tick);

 private:
  BpfSession& session_;
  EventRenderer& renderer_;
  int poll_ms_;
};

}  // namespace fdscope::trace
