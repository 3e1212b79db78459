// Tests for scan_process() (common/src/fd_scan.cpp, fd_scan_bpf.cpp): this
// process scans itself with both methods and every fact the /proc path
// reads (with all_fdinfo) must come out the same from the BPF iterator:
// stat fields, flags, close-on-exec bits, offsets, mount ids, pipe sizes,
// paths (also of deleted files) and kinds.  The BPF half needs root and a
// kernel with BPF iterators; it skips with the reason otherwise.
#include "fdscope/fd_scan.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "fdscope/unique_fd.hpp"

namespace fdscope {
namespace {

struct Fds {
  std::string dir;
  std::vector<UniqueFd> owned;
  std::map<std::string, int> by_name;

  Fds() {
    char tmpl[] = "/tmp/fd_scan_test.XXXXXX";
    dir = ::mkdtemp(tmpl) ? tmpl : "/tmp";
    add("data", ::open((dir + "/data").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (::write(by_name["data"], "0123456789", 10) != 10) std::abort();
    ::lseek(by_name["data"], 3, SEEK_SET);
    add("empty", ::open((dir + "/empty").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644));
    add("deleted", ::open((dir + "/gone").c_str(), O_RDWR | O_CREAT, 0600));
    ::unlink((dir + "/gone").c_str());
    add("dir", ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    add("opath", ::open((dir + "/data").c_str(), O_PATH));
    add("null", ::open("/dev/null", O_RDONLY));
    int p[2];
    if (::pipe2(p, O_NONBLOCK) == 0) {
      add("pipe_r", p[0]);
      add("pipe_w", p[1]);
    }
    int s[2];
    if (::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, s) == 0) {
      add("unix_a", s[0]);
      add("unix_b", s[1]);
    }
    add("eventfd", ::eventfd(3, EFD_CLOEXEC));
  }
  ~Fds() {
    owned.clear();
    std::string cmd = "rm -rf '" + dir + "'";
    if (std::system(cmd.c_str()) != 0) {
    }
  }
  void add(const std::string& name, int fd) {
    ASSERT_GE(fd, 0) << name;
    owned.emplace_back(fd);
    by_name[name] = fd;
  }
};

const FdInfo* find(const ProcessScan& s, int fd) {
  for (const FdInfo& i : s.fds)
    if (i.fd == fd) return &i;
  return nullptr;
}

void expect_same_stat(const FdStat& a, const FdStat& b, const std::string& name) {
  EXPECT_EQ(a.dev, b.dev) << name;
  EXPECT_EQ(a.ino, b.ino) << name;
  EXPECT_EQ(a.mode, b.mode) << name;
  EXPECT_EQ(a.nlink, b.nlink) << name;
  EXPECT_EQ(a.uid, b.uid) << name;
  EXPECT_EQ(a.gid, b.gid) << name;
  EXPECT_EQ(a.rdev, b.rdev) << name;
  EXPECT_EQ(a.size, b.size) << name;
  EXPECT_EQ(a.blksize, b.blksize) << name;
  EXPECT_EQ(a.blocks, b.blocks) << name;
  EXPECT_EQ(a.atime.tv_sec, b.atime.tv_sec) << name;
  EXPECT_EQ(a.atime.tv_nsec, b.atime.tv_nsec) << name;
  EXPECT_EQ(a.mtime.tv_sec, b.mtime.tv_sec) << name;
  EXPECT_EQ(a.mtime.tv_nsec, b.mtime.tv_nsec) << name;
  EXPECT_EQ(a.ctime.tv_sec, b.ctime.tv_sec) << name;
  EXPECT_EQ(a.ctime.tv_nsec, b.ctime.tv_nsec) << name;
}

TEST(FdScan, ProcMethodNamesKindsAndOffsets) {
  Fds f;
  ScanOptions o;
  o.method = ScanMethod::Proc;
  o.all_fdinfo = true;
  auto s = scan_process(::getpid(), o);
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(s->method, "proc");
  const FdInfo* data = find(*s, f.by_name["data"]);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->kind, FdKind::Regular);
  EXPECT_EQ(data->pos, 3);
  EXPECT_TRUE(data->cloexec());
  const FdInfo* gone = find(*s, f.by_name["deleted"]);
  ASSERT_NE(gone, nullptr);
  EXPECT_TRUE(gone->deleted);
  EXPECT_EQ(gone->path, f.dir + "/gone");
}

TEST(FdScan, BpfMethodGivesTheFactsOfTheProcMethod) {
  if (!bpf_scan_built()) GTEST_SKIP() << "built without the BPF scanner";
  if (::geteuid() != 0) GTEST_SKIP() << "the BPF scan needs root";
  Fds f;
  ScanOptions bo;
  bo.method = ScanMethod::Bpf;
  bo.sock_diag = false;
  auto b = scan_process(::getpid(), bo);
  if (!b.ok()) GTEST_SKIP() << "BPF scan unavailable here: " << b.error().message();
  ScanOptions po = bo;
  po.method = ScanMethod::Proc;
  po.all_fdinfo = true;
  auto p = scan_process(::getpid(), po);
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(b->method, "bpf");
  EXPECT_EQ(p->method, "proc");
  for (const auto& [name, fd] : f.by_name) {
    const FdInfo* x = find(*b, fd);
    const FdInfo* y = find(*p, fd);
    ASSERT_TRUE(x && y) << name;
    EXPECT_EQ(x->kind, y->kind) << name;
    EXPECT_EQ(x->path, y->path) << name;
    EXPECT_EQ(x->deleted, y->deleted) << name;
    EXPECT_EQ(x->o_path, y->o_path) << name;
    EXPECT_EQ(x->flags, y->flags) << name;
    EXPECT_EQ(x->fd_flags, y->fd_flags) << name;
    EXPECT_EQ(x->pos, y->pos) << name;
    EXPECT_EQ(x->mnt_id, y->mnt_id) << name;
    EXPECT_EQ(x->pipe_size, y->pipe_size) << name;
    EXPECT_EQ(x->facts.size(), y->facts.size()) << name;
    ASSERT_TRUE(x->st && y->st) << name;
    expect_same_stat(*x->st, *y->st, name);
  }
  // What the bits say, not only that both agree.
  EXPECT_TRUE(find(*b, f.by_name["data"])->cloexec());
  EXPECT_FALSE(find(*b, f.by_name["empty"])->cloexec());
  EXPECT_EQ(find(*b, f.by_name["data"])->pos, 3);
  EXPECT_EQ(find(*b, f.by_name["pipe_r"])->pipe_size, 65536);
  EXPECT_TRUE(find(*b, f.by_name["deleted"])->deleted);
}

TEST(FdScan, MaxFdAndOnlyFdLimitBothMethods) {
  Fds f;
  for (ScanMethod m : {ScanMethod::Proc, ScanMethod::Auto}) {
    ScanOptions o;
    o.method = m;
    o.sock_diag = false;
    o.max_fd = 3;
    auto s = scan_process(::getpid(), o);
    ASSERT_TRUE(s.ok()) << s.error().message();
    for (const FdInfo& i : s->fds) EXPECT_LT(i.fd, 3);
    o.max_fd = -1;
    o.only_fd = f.by_name["null"];
    s = scan_process(::getpid(), o);
    ASSERT_TRUE(s.ok()) << s.error().message();
    ASSERT_EQ(s->fds.size(), 1u) << s->method;
    EXPECT_EQ(s->fds[0].path, "/dev/null");
  }
}

TEST(FdScan, DeadProcessIsAnError) {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  int st;
  ::waitpid(child, &st, 0);
  for (ScanMethod m : {ScanMethod::Proc, ScanMethod::Auto}) {
    ScanOptions o;
    o.method = m;
    auto s = scan_process(child, o);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message().find("no such process"), std::string::npos) << s.error().message();
  }
}

}  // namespace
}  // namespace fdscope
