// JSON rendering of a ProcessSnapshot with the stable keys documented in
// procan(1).  A field that could not be read is null and listed, with its
// reason, under "unavailable" (key -> {"errno": "EACCES", "message": ...}),
// so scripts test for null instead of parsing error text.
#pragma once

#include <string>

#include "fdscope/proc_snapshot.hpp"

namespace fdscope {

// One JSON document (no trailing newline); pretty = indented.
std::string render_process_json(const ProcessSnapshot& s, bool pretty = false);

// procan -c --json: {"build": ..., "type_sizes": ..., "defines": ...}.
std::string render_compile_time_json(bool pretty = false);

}  // namespace fdscope
