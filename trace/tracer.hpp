// run_trace: one whole trace run from parsed options: checks the targets,
// starts the command held at the door, loads and attaches the kernel side,
// runs the event loop, prints the summary and the lost-event count.  It
// returns the exit code (the traced command's status for trace -- CMD) or an
// Error that main() turns into one line and exit status 1.
#pragma once

#include "fdscope/result.hpp"
#include "options.hpp"

namespace fdscope::trace {

Result<int> run_trace(const TraceOptions& opts);

}  // namespace fdscope::trace
