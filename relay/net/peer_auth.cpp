// Peer authorization for UNIX sockets (rules in peer_auth.hpp), built on the
// shared peer-credential readers of libfdscope (fdscope/peer_cred.hpp) so
// relay and the analysers see a peer the same way.
#include "net/peer_auth.hpp"

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>

#include <algorithm>
#include <climits>
#include <cstdlib>

#include <fmt/format.h>

#include "fdscope/peer_cred.hpp"
#include "fdscope/unique_fd.hpp"

namespace relay::net {

namespace {

bool parse_number(std::string_view s, unsigned long* out) {
  if (s.empty() || s.size() > 10) return false;
  unsigned long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned long>(c - '0');
  }
  *out = v;
  return true;
}

fdscope::Status add_entry(PeerPolicy* p, std::string_view kind, std::string_view entry) {
  std::string e(entry);
  unsigned long n;
  if (kind == "uid") {
    if (parse_number(entry, &n)) {
      if (p) p->uids.push_back(static_cast<uid_t>(n));
      return {};
    }
    passwd* pw = ::getpwnam(e.c_str());
    if (!pw) return fdscope::plain_error(fmt::format("allow-uid: unknown user \"{}\"", e));
    if (p) p->uids.push_back(pw->pw_uid);
    return {};
  }
  if (kind == "gid") {
    if (parse_number(entry, &n)) {
      if (p) p->gids.push_back(static_cast<gid_t>(n));
      return {};
    }
    group* gr = ::getgrnam(e.c_str());
    if (!gr) return fdscope::plain_error(fmt::format("allow-gid: unknown group \"{}\"", e));
    if (p) p->gids.push_back(gr->gr_gid);
    return {};
  }
  if (kind == "exe") {
    if (e.empty() || e[0] != '/')
      return fdscope::plain_error(fmt::format("allow-exe: \"{}\" is not an absolute path", e));
    char buf[PATH_MAX];
    // The kernel reports the resolved path in /proc/PID/exe: compare with that.
    std::string canon = ::realpath(e.c_str(), buf) ? std::string(buf) : e;
    if (p) p->exes.push_back(canon);
    return {};
  }
  return fdscope::plain_error(fmt::format("unknown peer check \"{}\"", kind));
}

fdscope::Status add_list(PeerPolicy* p, std::string_view kind, std::string_view list) {
  if (list.empty()) return fdscope::plain_error(fmt::format("allow-{}: empty value", kind));
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(':', start);
    if (end == std::string_view::npos) end = list.size();
    auto s = add_entry(p, kind, list.substr(start, end - start));
    if (!s) return s;
    start = end + 1;
  }
  return {};
}

template <typename T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

fdscope::Status PeerPolicy::add(std::string_view kind, std::string_view list) { return add_list(this, kind, list); }

fdscope::Status check_peer_list(std::string_view kind, std::string_view list) {
  return add_list(nullptr, kind, list);
}

fdscope::Status check_peer(int fd, const PeerPolicy& policy) {
  if (policy.empty()) return {};
  auto cred = fdscope::read_peer_cred(fd);
  if (!cred) return fdscope::plain_error(fmt::format("peer refused: cannot read its credentials ({})", cred.error().message()));
  std::string who = fmt::format("peer pid={} uid={} gid={}", cred->pid, cred->uid, cred->gid);
  if (!policy.uids.empty() && !contains(policy.uids, cred->uid))
    return fdscope::plain_error(fmt::format("{} refused: uid {} not in allow-uid", who, cred->uid));
  if (!policy.gids.empty() && !contains(policy.gids, cred->gid)) {
    bool ok = false;
    if (auto groups = fdscope::read_peer_groups(fd))
      ok = std::any_of(groups->begin(), groups->end(), [&](gid_t g) { return contains(policy.gids, g); });
    if (!ok) return fdscope::plain_error(fmt::format("{} refused: no group in allow-gid", who));
  }
  if (!policy.exes.empty()) {
    auto pidfd = fdscope::open_peer_pidfd(fd);
    if (!pidfd)
      return fdscope::plain_error(fmt::format("{} refused: no pidfd for allow-exe ({})", who, pidfd.error().message()));
    auto proc = fdscope::pidfd_process(pidfd->get());
    if (!proc || !proc->alive || proc->exe.empty())
      return fdscope::plain_error(fmt::format("{} refused: its executable cannot be read", who));
    if (!contains(policy.exes, proc->exe))
      return fdscope::plain_error(fmt::format("{} refused: exe {} not in allow-exe", who, proc->exe));
  }
  return {};
}

}  // namespace relay::net
