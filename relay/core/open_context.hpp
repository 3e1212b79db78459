// OpenContext: what an address's open function works with besides its
// AddressSpec: the access the transfer needs (read, write or both), the
// global settings (-4/-6, --experimental), a logger, and the options of the
// address with their "applied" state.
//
// HOW AN OPEN FUNCTION USES IT:
//   Result<Endpoint> open_x(const AddressSpec& a, OpenContext& ctx) {
//     if (auto s = ctx.apply_phase(Phase::INIT); !s) return s.take_error();
//     int flags = O_RDWR | ctx.open_flags();        // OPEN-phase flags of the options
//     UniqueFd fd = ...open(a.params[0], flags)...
//     Endpoint ep = ctx.make_endpoint();            // text + kind filled in
//     // FD, LATE ... : apply fcntl/termios/setsockopt rows and apply functions
//     for (Phase p : {Phase::FD, Phase::LATE})
//       if (auto s = ctx.apply_phase(p, fd.get(), &ep); !s) return s.take_error();
//     uint64_t n = ctx.get_uint("readbytes", 0);    // a consumed option, read directly
//     ...
//     ctx.finish(ep);   // OFFSET-phase options (APPL/FD endpoint fields) into ep
//     return ep;
//   }
// apply_phase() applies each option of that phase exactly once, in the order
// written; rows without apply function or setsockopt (consumed options) are
// skipped there and read by the open function through get_*().
#pragma once

#include <sys/time.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address_type.hpp"
#include "core/endpoint.hpp"
#include "core/option.hpp"
#include "fdscope/log.hpp"
#include "fdscope/result.hpp"

namespace relay {

// Preferred IP version when an address does not say (-4 / -6 / -0).
enum class IpPreference { Default, V4, V6, None };

// Where an open function's progress messages go (main points it at
// fdscope::process_logger(); nullptr in tests = silent).
using LogLevel = fdscope::LogLevel;
using LogFn = void (*)(LogLevel, const std::string&);

// Global settings an open function may need (set by main from the command line).
struct OpenSettings {
  IpPreference ip = IpPreference::Default;
  bool experimental = false;  // --experimental
  size_t block_size = 8192;   // -b
  bool sloppy = false;        // -s: a failing option is a warning, not an error
  LogFn log = nullptr;        // nullptr: no logging (tests)
};

class OpenContext {
 public:
  // access: what the transfer needs from this address.  It is narrower than
  // spec.type->dir with -u/-U and for each side of "!!".
  OpenContext(const AddressSpec& spec, Dir access, const OpenSettings& settings);

  const AddressSpec& spec() const { return spec_; }
  Dir access() const { return access_; }
  const OpenSettings& settings() const { return settings_; }

  // A fresh Endpoint with text and kind filled in.
  Endpoint make_endpoint() const;

  // Apply every not-yet-applied option of phase p: its apply function, or its
  // setsockopt row on fd.  Consumed options are left to the open function.
  // The first failure is returned as an Error naming the option.
  fdscope::Status apply_phase(Phase p, int fd = -1, Endpoint* ep = nullptr);

  // The option settings of phase p (all, applied or not), in written order.
  std::vector<const OptionSetting*> options_of(Phase p) const;

  // The OR of the open(2) flags given by OPEN-group options (rdonly, creat,
  // excl, append, nonblock ...); marks them applied.
  int open_flags();

  // Direct access to consumed options (the last setting wins); each getter
  // marks the option used.  Names are canonical option names.
  bool has(std::string_view name) const;
  const OptionSetting* get(std::string_view name);
  bool get_bool(std::string_view name, bool dflt);
  int64_t get_int(std::string_view name, int64_t dflt);
  uint64_t get_uint(std::string_view name, uint64_t dflt);
  std::optional<std::string> get_string(std::string_view name);
  std::optional<double> get_seconds(std::string_view name);  // Timeval/Double

  void mark_applied(const OptionSetting* s);
  bool applied(const OptionSetting* s) const;
  // Options never applied nor read (logged at info level by main).
  std::vector<const OptionSetting*> unused() const;

  // Store the OFFSET-phase options (shut-*, end-close, cr, crnl, ignoreeof,
  // readbytes, cool-write ...) into ep.  Call once, at the end of opening.
  fdscope::Status finish(Endpoint& ep);

  // The file system path of the address (OPEN's file, PTY's link, UNIX
  // socket path) that NAMED-group options (perm-early, unlink-*, user-early)
  // act on.  Open functions set it before applying those phases.
  void set_path(std::string p) { path_ = std::move(p); }
  const std::string& path() const { return path_; }

  void log(LogLevel level, const std::string& msg) const {
    if (settings_.log) settings_.log(level, msg);
  }

 private:
  size_t index_of(const OptionSetting* s) const;

  const AddressSpec& spec_;
  Dir access_;
  const OpenSettings& settings_;
  std::vector<bool> applied_;  // parallel to spec_.options
  std::string path_;
};

// The access an address argument supports must cover what the transfer
// needs: refuses e.g. STDIN as a write side ("... is read-only ...").
fdscope::Status check_access(const AddressArg& arg, Dir access);

// Open a parsed address (or both sides of a "!!" address) for the given
// access; the dual form yields one Endpoint whose rfd comes from the first
// and wfd from the second address.
fdscope::Result<Endpoint> open_address(const AddressArg& arg, Dir access,
                                       const OpenSettings& settings);

}  // namespace relay
