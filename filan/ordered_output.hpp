// Text for many items, made by two threads and written in item order.
//
// filan -p on a process with 10,000 fds makes about 8 MB of text.  The
// items are cut into chunks that the calling thread and one helper take in
// turn from a shared counter, so the two stay busy to the end however the
// cost is spread (a socket line with TCP_INFO is four times a file's); the
// calling thread writes each chunk as soon as it and every chunk before it
// are done, and its buffer goes back to the heap for the next chunk: the
// output starts early and only a few chunks are held at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "fdscope/result.hpp"

namespace filan {

struct OrderedOutput {
  size_t items = 0;
  size_t chunk_items = 128;     // items per chunk
  size_t chunk_reserve = 64 << 10;  // bytes reserved per chunk buffer
  bool two_threads = true;     // false: everything on the calling thread
  // Appends the text of item i to out; called from both threads, never
  // twice for one item.
  std::function<void(size_t i, std::string& out)> render;
};

// Writes `head`, then the items' text, to fd.  The first write error stops
// the writing (the rendering still finishes) and is returned.
fdscope::Status write_ordered(int fd, std::string_view head, const OrderedOutput& o);

}  // namespace filan
