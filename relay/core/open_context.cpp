// OpenContext (see open_context.hpp): per-address option bookkeeping while an
// address is being opened.  It applies options phase by phase -- an option's
// own function, or its setsockopt row -- exactly once each, and gives open
// functions typed access to the options they consume themselves.  The
// generic open_address() also lives here: it checks the access an address
// supports and joins the two sides of a "!!" address into one Endpoint.
#include "core/open_context.hpp"

#include "core/syscall_log.hpp"

#include <sys/socket.h>

#include <fmt/format.h>

#include <cstring>

namespace relay {

OpenContext::OpenContext(const AddressSpec& spec, Dir access, const OpenSettings& settings)
    : spec_(spec), access_(access), settings_(settings), applied_(spec.options.size(), false) {}

Endpoint OpenContext::make_endpoint() const {
  Endpoint ep;
  ep.text = spec_.text;
  ep.kind = spec_.type != nullptr ? std::string(spec_.type->keyword) : std::string();
  return ep;
}

size_t OpenContext::index_of(const OptionSetting* s) const {
  if (s == nullptr || spec_.options.empty()) return SIZE_MAX;
  const OptionSetting* base = spec_.options.data();
  if (s < base || s >= base + spec_.options.size()) return SIZE_MAX;
  return static_cast<size_t>(s - base);
}

void OpenContext::mark_applied(const OptionSetting* s) {
  size_t i = index_of(s);
  if (i != SIZE_MAX) applied_[i] = true;
}

bool OpenContext::applied(const OptionSetting* s) const {
  size_t i = index_of(s);
  return i != SIZE_MAX && applied_[i];
}

namespace {

fdscope::Status apply_sockopt(const OptionDesc& d, const OptValue& v, int fd) {
  if (fd < 0)
    return fdscope::plain_error(fmt::format("option \"{}\": no socket to apply it to", d.name));
  int rc = 0;
  switch (d.type) {
    case OptType::Timeval:
      rc = sys::setsockopt(fd, d.level, d.optname, &v.tv, sizeof v.tv);
      break;
    case OptType::Linger: {
      linger l{};
      l.l_onoff = v.on ? 1 : 0;
      l.l_linger = static_cast<int>(v.i);
      rc = sys::setsockopt(fd, d.level, d.optname, &l, sizeof l);
      break;
    }
    case OptType::String:
    case OptType::OptionalString:
    case OptType::Custom:
      rc = sys::setsockopt(fd, d.level, d.optname, v.text.data(), static_cast<socklen_t>(v.text.size()));
      break;
    case OptType::Double:
      return fdscope::plain_error(fmt::format("option \"{}\": a double cannot be set with setsockopt", d.name));
    default: {
      int i = static_cast<int>(d.type == OptType::Uint || d.type == OptType::Size ||
                                       d.type == OptType::Mode || d.type == OptType::Uid ||
                                       d.type == OptType::Gid
                                   ? static_cast<int64_t>(v.u)
                                   : v.i);
      rc = sys::setsockopt(fd, d.level, d.optname, &i, sizeof i);
      break;
    }
  }
  if (rc != 0)
    return fdscope::sys_error(fmt::format("setsockopt({}, {}, {}) for option \"{}={}\"", fd, d.level,
                                          d.optname, d.name, v.text));
  return {};
}

}  // namespace

fdscope::Status OpenContext::apply_phase(Phase p, int fd, Endpoint* ep) {
  for (size_t i = 0; i < spec_.options.size(); ++i) {
    const OptionSetting& s = spec_.options[i];
    if (applied_[i] || s.desc == nullptr || s.desc->phase != p || s.desc->consumed()) continue;
    applied_[i] = true;
    fdscope::Status r;
    if (s.desc->apply != nullptr) {
      ApplyTarget target{fd, ep, this};
      r = s.desc->apply(*s.desc, s.value, target);
    } else {
      r = apply_sockopt(*s.desc, s.value, fd);
    }
    if (!r) {
      if (!settings_.sloppy) return r;
      log(LogLevel::Warning, r.error().message());
    }
  }
  return {};
}

std::vector<const OptionSetting*> OpenContext::options_of(Phase p) const {
  std::vector<const OptionSetting*> out;
  for (const OptionSetting& s : spec_.options)
    if (s.desc != nullptr && s.desc->phase == p) out.push_back(&s);
  return out;
}

int OpenContext::open_flags() {
  int flags = 0;
  for (size_t i = 0; i < spec_.options.size(); ++i) {
    const OptionSetting& s = spec_.options[i];
    if (s.desc == nullptr || s.desc->phase != Phase::OPEN || !s.desc->consumed() || s.desc->arg1 == 0)
      continue;
    applied_[i] = true;
    if (s.value.on)
      flags |= static_cast<int>(s.desc->arg1);
    else
      flags &= ~static_cast<int>(s.desc->arg1);
  }
  return flags;
}

bool OpenContext::has(std::string_view name) const { return spec_.find(name) != nullptr; }

const OptionSetting* OpenContext::get(std::string_view name) {
  const OptionSetting* s = spec_.find(name);
  if (s != nullptr) {
    // every setting of this name counts as used (the last one wins)
    for (size_t i = 0; i < spec_.options.size(); ++i)
      if (spec_.options[i].desc == s->desc) applied_[i] = true;
  }
  return s;
}

bool OpenContext::get_bool(std::string_view name, bool dflt) {
  const OptionSetting* s = get(name);
  return s != nullptr ? s->value.on || s->value.i != 0 || s->value.u != 0 : dflt;
}

int64_t OpenContext::get_int(std::string_view name, int64_t dflt) {
  const OptionSetting* s = get(name);
  return s != nullptr ? s->value.i : dflt;
}

uint64_t OpenContext::get_uint(std::string_view name, uint64_t dflt) {
  const OptionSetting* s = get(name);
  return s != nullptr ? s->value.u : dflt;
}

std::optional<std::string> OpenContext::get_string(std::string_view name) {
  const OptionSetting* s = get(name);
  if (s == nullptr) return std::nullopt;
  return s->value.text;
}

std::optional<double> OpenContext::get_seconds(std::string_view name) {
  const OptionSetting* s = get(name);
  if (s == nullptr) return std::nullopt;
  return s->value.d;
}

std::vector<const OptionSetting*> OpenContext::unused() const {
  std::vector<const OptionSetting*> out;
  for (size_t i = 0; i < spec_.options.size(); ++i)
    if (!applied_[i]) out.push_back(&spec_.options[i]);
  return out;
}

fdscope::Status OpenContext::finish(Endpoint& ep) {
  return apply_phase(Phase::OFFSET, ep.rfd >= 0 ? ep.rfd : ep.wfd, &ep);
}

fdscope::Status check_access(const AddressArg& arg, Dir access) {
  auto check = [](const AddressSpec& s, Dir need) -> fdscope::Status {
    if (s.type == nullptr) return fdscope::plain_error("address not parsed");
    if (has_read(need) && !has_read(s.type->dir))
      return fdscope::plain_error(
          fmt::format("address \"{}\" is write-only and cannot be read from", s.text));
    if (has_write(need) && !has_write(s.type->dir))
      return fdscope::plain_error(
          fmt::format("address \"{}\" is read-only and cannot be written to", s.text));
    return {};
  };
  if (!arg.dual) return check(arg.first, access);
  if (has_read(access))
    if (auto s = check(arg.first, Dir::Read); !s) return s;
  if (has_write(access))
    if (auto s = check(arg.second, Dir::Write); !s) return s;
  return {};
}

namespace {

fdscope::Result<Endpoint> open_one(const AddressSpec& spec, Dir access, const OpenSettings& settings) {
  OpenContext ctx(spec, access, settings);
  auto ep = spec.type->open(spec, ctx);
  if (!ep) return ep;
  for (const OptionSetting* s : ctx.unused())
    ctx.log(LogLevel::Info, fmt::format("option \"{}\" not applied by {}", s->written, spec.type->keyword));
  return ep;
}

}  // namespace

fdscope::Result<Endpoint> open_address(const AddressArg& arg, Dir access, const OpenSettings& settings) {
  if (auto s = check_access(arg, access); !s) return s.take_error();
  if (!arg.dual) return open_one(arg.first, access, settings);

  // "READ!!WRITE": the first side only reads, the second only writes.
  Endpoint joined;
  joined.text = arg.text;
  if (has_read(access)) {
    auto r = open_one(arg.first, Dir::Read, settings);
    if (!r) return r;
    Endpoint& e = *r;
    joined.kind = e.kind;
    joined.rfd = e.rfd;
    joined.datagram = e.datagram;
    joined.learn_peer = e.learn_peer;
    joined.ignoreeof = e.ignoreeof;
    joined.readbytes = e.readbytes;
    joined.read_rules = e.read_rules;
    joined.child = e.child;
    for (auto& fd : e.owned) joined.owned.push_back(std::move(fd));
  }
  if (has_write(access)) {
    auto w = open_one(arg.second, Dir::Write, settings);
    if (!w) return w;
    Endpoint& e = *w;
    joined.kind = joined.kind.empty() ? e.kind : joined.kind + "!!" + e.kind;
    joined.wfd = e.wfd;
    joined.sendto = e.sendto;
    joined.peer = e.peer;
    joined.peer_len = e.peer_len;
    joined.shut = e.shut;
    joined.lineterm = e.lineterm;
    joined.cool_write = e.cool_write;
    if (joined.child < 0)
      joined.child = e.child;
    else if (e.child >= 0)
      joined.child2 = e.child;
    for (auto& fd : e.owned) joined.owned.push_back(std::move(fd));
  }
  return joined;
}

}  // namespace relay
