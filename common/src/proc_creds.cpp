// Credential fields of /proc/PID/status (see proc_creds.hpp).  A missing or
// malformed field is an error naming the field, never a zero.
#include "fdscope/proc_creds.hpp"

#include "fdscope/proc_text.hpp"

namespace fdscope {

namespace {

Result<IdQuad> parse_quad(const ProcStatus& st, const char* key) {
  const std::string* v = st.find(key);
  if (!v) return plain_error(std::string("status has no ") + key + " field");
  auto t = split_ws(*v);
  if (t.size() != 4) return plain_error(std::string("malformed ") + key + " field");
  IdQuad q;
  uint32_t* out[4] = {&q.real, &q.effective, &q.saved, &q.fs};
  for (int i = 0; i < 4; ++i) {
    auto n = parse_u64(t[i]);
    if (!n) return plain_error(std::string("malformed ") + key + " field");
    *out[i] = static_cast<uint32_t>(*n);
  }
  return q;
}

}  // namespace

Result<Creds> creds_from_status(const ProcStatus& st) {
  Creds c;
  auto u = parse_quad(st, "Uid");
  if (!u) return u.take_error();
  auto g = parse_quad(st, "Gid");
  if (!g) return g.take_error();
  c.uid = *u;
  c.gid = *g;
  const std::string* groups = st.find("Groups");
  if (!groups) return plain_error("status has no Groups field");
  for (auto tok : split_ws(*groups)) {
    auto n = parse_u64(tok);
    if (!n) return plain_error("malformed Groups field");
    c.groups.push_back(static_cast<uint32_t>(*n));
  }
  return c;
}

Result<unsigned> umask_from_status(const ProcStatus& st) {
  const std::string* v = st.find("Umask");
  if (!v) return plain_error("status has no Umask field (a zombie, or a kernel older than 4.7)");
  auto n = parse_u64(*v, 8);
  if (!n || *n > 07777) return plain_error("malformed Umask field");
  return static_cast<unsigned>(*n);
}

}  // namespace fdscope
