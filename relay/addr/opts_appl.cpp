// The APPL option group: application-level behaviour of an address that the
// transfer engine carries out -- line terminator conversion (cr, crnl),
// ignoreeof, readbytes -- stored into the Endpoint in the OFFSET phase by
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
Status check_nonzero(const OptionDesc&, const OptValue& v) {
  if (v.u == 0) return fdscope::plain_error("must be at least 1");
  return {};
}

constexpr uint64_t kAppl = grp::APPL;

const OptionDesc kApplOptions[] = {
    {.name = "cr", .aliases = {}, .groups = kAppl, .phase = Phase::OFFSET, .type = OptType::Const,
     .apply = apply_lineterm, .arg1 = static_cast<int64_t>(LineTerm::Cr),
     .help = "convert LF to CR when writing to this address"},
    {.name = "crnl", .aliases = {"crlf"}, .groups = kAppl, .phase = Phase::OFFSET, .type = OptType::Const,
     .apply = apply_lineterm, .arg1 = static_cast<int64_t>(LineTerm::CrNl),
     .help = "convert LF to CR LF when writing to this address"},
    {.name = "ignoreeof", .aliases = {"ignoreof"}, .groups = kAppl, .phase = Phase::OFFSET,
     .type = OptType::Bool, .apply = apply_ignoreeof, .help = "at EOF keep reading (like tail -f)"},
    {.name = "readbytes", .aliases = {"bytes"}, .groups = kAppl, .phase = Phase::OFFSET, .type = OptType::Size,
     .apply = apply_readbytes, .check = check_nonzero, .help = "read at most this many bytes"},
    {.name = "lockfile", .aliases = {}, .groups = kAppl, .phase = Phase::INIT, .type = OptType::String,
     .help = "fail if this lock file exists, else create it"},
    {.name = "waitlock", .aliases = {}, .groups = kAppl, .phase = Phase::INIT, .type = OptType::String,
     .help = "wait until this lock file can be created"},
};

const OptionTableRegistrar kRegisterAppl(kApplOptions);

}  // namespace
}  // namespace relay
