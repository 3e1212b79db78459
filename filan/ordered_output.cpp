// See ordered_output.hpp.  Each chunk has its own buffer and a done flag
// (release on the rendering side, acquire on the writing side); the only
// other shared state is the counter that hands out chunks.
#include "ordered_output.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <system_error>
#include <thread>

#include "fdscope/io.hpp"

namespace filan {
namespace {

struct Chunk {
  std::string text;
  std::atomic<bool> done{false};
};

}  // namespace

fdscope::Status write_ordered(int fd, std::string_view head, const OrderedOutput& o) {
  const size_t per = o.chunk_items ? o.chunk_items : 1;
  const size_t count = (o.items + per - 1) / per;
  std::unique_ptr<Chunk[]> chunks(new Chunk[count]);
  std::atomic<size_t> next{0};
  // Renders the next chunk nobody took; false when none is left.
  auto render_one = [&]() {
    size_t k = next.fetch_add(1, std::memory_order_relaxed);
    if (k >= count) return false;
    Chunk& c = chunks[k];
    c.text.reserve(o.chunk_reserve);
    for (size_t i = k * per, end = std::min(o.items, i + per); i < end; ++i) o.render(i, c.text);
    c.done.store(true, std::memory_order_release);
    return true;
  };

  fdscope::Status status = fdscope::write_all(fd, head);
  size_t written = 0;
  // Writes every chunk that is done, in order, from the first not written.
  auto flush = [&]() {
    for (; written < count && chunks[written].done.load(std::memory_order_acquire); ++written) {
      std::string& t = chunks[written].text;
      if (status.ok()) status = fdscope::write_all(fd, t);
      std::string().swap(t);  // its memory serves the next chunk
    }
  };

  std::thread helper;
  if (o.two_threads && count > 1) {
    try {
      helper = std::thread([&] {
        while (render_one()) {
        }
      });
    } catch (const std::system_error&) {
      // no second thread: this one renders everything
    }
  }
  while (render_one()) flush();
  if (helper.joinable()) helper.join();
  flush();
  return status;
}

}  // namespace filan
