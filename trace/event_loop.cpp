// The reader side of the ring buffer.  libbpf's ring_buffer__poll waits on
// the buffer's epoll fd; since most records are committed with
// BPF_RB_NO_WAKEUP the wait usually ends by timeout, after which
// ring_buffer__consume takes every committed record in one pass.  Liveness
// of the traced processes comes from the kernel's exit records; as a safety
// net (an exit record lost to a full buffer) each live pid is also checked
// with kill(pid, 0) about once a second.
#include "event_loop.hpp"

#include <bpf/libbpf.h>
#include <signal.h>
#include <time.h>

#include <cerrno>
#include <vector>

namespace fdscope::trace {

namespace {

int on_record(void* ctx, void* data, size_t size) {
  static_cast<EventRenderer*>(ctx)->handle(data, size);
  return 0;
}

uint64_t now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

}  // namespace

Status EventLoop::run(const std::atomic<bool>* stop, const std::function<void()>& tick) {
  ring_buffer* rb = ring_buffer__new(session_.ring_fd(), on_record, &renderer_, nullptr);
  if (!rb) return sys_error("open the BPF ring buffer", errno);
  Status status;
  uint64_t last_check = now_ms();
  while (true) {
    int n = ring_buffer__poll(rb, poll_ms_);
    if (n < 0 && n != -EINTR) {
      status = sys_error("poll the BPF ring buffer", -n);
      break;
    }
    n = ring_buffer__consume(rb);
    if (n < 0 && n != -EINTR) {
      status = sys_error("read the BPF ring buffer", -n);
      break;
    }
    if (tick) tick();
    if (stop && stop->load()) break;
    if (renderer_.live().empty()) break;
    uint64_t t = now_ms();
    if (t - last_check >= 1000) {
      last_check = t;
      std::vector<pid_t> gone;
      for (pid_t p : renderer_.live())
        if (kill(p, 0) != 0 && errno == ESRCH) gone.push_back(p);
      for (pid_t p : gone) renderer_.remove_live(p);
    }
  }
  // Whatever the kernel committed before we stopped.
  ring_buffer__consume(rb);
  ring_buffer__free(rb);
  return status;
}

}  // namespace fdscope::trace
