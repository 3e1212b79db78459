// Folding flag-bit options into set/clear masks (see flag_options.hpp).
#include "core/flag_options.hpp"

namespace relay {

FlagMasks flag_options(OpenContext& ctx, std::span<const OptionDesc> table, int64_t kind) {
  FlagMasks m;
  for (const OptionSetting& s : ctx.spec().options) {
    if (s.desc < table.data() || s.desc >= table.data() + table.size() || s.desc->arg2 != kind) continue;
    ctx.mark_applied(&s);
    auto bit = static_cast<uint64_t>(s.desc->arg1);
    if (s.value.on) {
      m.on |= bit;
      m.off &= ~bit;
    } else {
      m.off |= bit;
      m.on &= ~bit;
    }
  }
  return m;
}

}  // namespace relay
