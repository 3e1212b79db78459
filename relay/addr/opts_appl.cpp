// The APPL option group: application-level behaviour of an address that the
// transfer engine carries out -- line terminator conversion (cr, crnl),
// ignoreeof, readbytes, escape, and the SOCKET group's null-eof -- stored
// into the Endpoint (its ReadRules for the last two) in the OFFSET phase by
// OpenContext::finish(); and the lock files (lockfile, waitlock), which
// open_address() takes before the address is opened.
#include "core/endpoint.hpp"
#include "core/open_context.hpp"
#include "core/option.hpp"

namespace relay {
namespace {

using fdscope::Status;

Status apply_lineterm(const OptionDesc&, const OptValue& v, ApplyTarget& t) {
  if (t.endpoint != nullptr) t.endpoint->lineterm = static_cast<LineTerm>(v.i);
  return {};
}
Status apply_ignoreeof(const OptionDesc&, const OptValue& v, ApplyTarget& t) {
  if (t.endpoint != nullptr) t.endpoint->ignoreeof = v.on;
  return {};
}
Status apply_readbytes(const OptionDesc&, const OptValue& v, ApplyTarget& t) {
  if (t.endpoint != nullptr) t.endpoint->readbytes = static_cast<size_t>(v.u);
  return {};
}
Status apply_escape(const OptionDesc&, const OptValue& v, ApplyTarget& t) {
  if (t.endpoint != nullptr) t.endpoint->read_rules.escape = static_cast<int>(v.i);
  return {};
}
Status apply_null_eof(const OptionDesc&, const OptValue& v, ApplyTarget& t) {
  if (t.endpoint != nullptr) t.endpoint->read_rules.null_eof = v.on;
  return {};
}
Status check_nonzero(const OptionDesc&, const OptValue& v) {
  if (v.u == 0) return fdscope::plain_error("must be at least 1");
  return {};
}

constexpr uint64_t kAppl = grp::APPL;

const OptionDesc kApplOptions[] = {
    {.name = "cr", .aliases = {}, .groups = kAppl, .phase = Phase::OFFSET, .type = OptType::Const,
     .apply = apply_lineterm, .arg1 = static_cast<int64_t>(LineTerm::Cr),
     .help = "line terminator CR on this address: LF written is sent as CR, CR read becomes LF"},
    {.name = "crnl", .aliases = {"crlf"}, .groups = kAppl, .phase = Phase::OFFSET, .type = OptType::Const,
     .apply = apply_lineterm, .arg1 = static_cast<int64_t>(LineTerm::CrNl),
     .help = "line terminator CR LF on this address: LF written is sent as CR LF, CRs read are dropped"},
    {.name = "ignoreeof", .aliases = {"ignoreof"}, .groups = kAppl, .phase = Phase::OFFSET,
     .type = OptType::Bool, .apply = apply_ignoreeof, .help = "at EOF keep reading (like tail -f)"},
    {.name = "readbytes", .aliases = {"bytes"}, .groups = kAppl, .phase = Phase::OFFSET, .type = OptType::Size,
     .apply = apply_readbytes, .check = check_nonzero,
     .help = "read at most this many bytes, then behave as at EOF (at least 1)"},
    {.name = "escape", .aliases = {}, .groups = kAppl, .phase = Phase::OFFSET, .type = OptType::Byte,
     .apply = apply_escape, .help = "this character (code or the character itself) read here means EOF"},
    {.name = "null-eof", .aliases = {}, .groups = grp::SOCKET, .phase = Phase::OFFSET, .type = OptType::Bool,
     .apply = apply_null_eof, .help = "an empty datagram read here means EOF (else it is ignored)"},
    {.name = "lockfile", .aliases = {}, .groups = kAppl, .phase = Phase::INIT, .type = OptType::String,
     .help = "fail if this lock file exists, else create it (removed at exit)"},
    {.name = "waitlock", .aliases = {}, .groups = kAppl, .phase = Phase::INIT, .type = OptType::String,
     .help = "wait while this lock file exists, then create it (removed at exit)"},
};

const OptionTableRegistrar kRegisterAppl(kApplOptions);

}  // namespace
}  // namespace relay
