// Program addresses (EXEC, SYSTEM, SHELL): the parts main.cpp needs besides
// the registered open function -- the nofork form, where relay itself
// becomes the program with the other address's fds as its stdin/stdout.
#pragma once

#include "core/address_type.hpp"
#include "core/open_context.hpp"
#include "fdscope/result.hpp"

namespace relay::addr {

// True when spec is a program address with the nofork option.
bool wants_nofork(const AddressSpec& spec);

// nofork: make in_fd/out_fd the program's stdin/stdout (-1: keep relay's),
// apply the process options and execve the program.  Returns only on error.
fdscope::Status exec_in_place(const AddressSpec& spec, Dir access, const OpenSettings& settings,
                              int in_fd, int out_fd);

}  // namespace relay::addr
