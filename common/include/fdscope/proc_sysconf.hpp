// sysconf(3) values as procan shows them: one table row per _SC_ name.  These
// are properties of the system (and, for OPEN_MAX and CHILD_MAX, of procan's
// own limits), not of a -p target; the renderers say so.
#pragma once

#include <optional>
#include <vector>

namespace fdscope {

struct SysconfValue {
  const char* name;           // "ARG_MAX" (the _SC_ suffix)
  std::optional<long> value;  // nullopt: indeterminate / no limit (-1)
};

// All rows in table order.
std::vector<SysconfValue> read_sysconf();

}  // namespace fdscope
