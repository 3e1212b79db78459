// Option tables whose rows are flag bits (the iff-* interface flags, the
// ai-* getaddrinfo hints, the res-* resolver bits): each Bool row sets its
// bit (OptionDesc::arg1), or with "=0" clears it, and a later setting of
// the same bit wins.  flag_options() folds an address's settings of such a
// table into one mask to set and one to clear.
#pragma once

#include <cstdint>
#include <span>

#include "core/open_context.hpp"
#include "core/option.hpp"

namespace relay {

struct FlagMasks {
  uint64_t on = 0;
  uint64_t off = 0;
};

// The settings in ctx's address of rows of `table` whose arg2 equals
// `kind` (tables mixing several kinds of bits tell them apart by arg2),
// in written order; marks them applied.
FlagMasks flag_options(OpenContext& ctx, std::span<const OptionDesc> table, int64_t kind = 0);

}  // namespace relay
