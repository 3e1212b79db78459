// Line terminator conversion between two endpoints (socat's cr / crnl
// options), applied to each block the engine moves when the reading and the
// writing endpoint use different terminators.
#pragma once

#include <cstddef>

#include "core/endpoint.hpp"

namespace relay {

// Converts len bytes at in from the `from` convention to the `to` one into
// out (which must hold 2 * len bytes; in and out must not overlap) and
// returns the new length.  As socat: None<->Cr swaps LF and CR; from CrNl
// drops every CR and maps LF to the target's terminator; to CrNl expands the
// source terminator to CR LF.  from == to copies.
size_t convert_line_terms(const char* in, size_t len, char* out, LineTerm from, LineTerm to);

}  // namespace relay
