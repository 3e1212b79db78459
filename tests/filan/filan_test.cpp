// Integration tests for filan: this test process creates one fd of every
// kind at fixed numbers (200 and up, inheritable), then runs the real filan
// binary twice over: with the fds inherited (filan describing its own fds)
// and with -p <this pid> (the fast scan of another process), and checks the
// text, -s, -S and JSON forms.  The never-block/never-change tests hold
// FIFOs without writers, unread ptys, full TCP buffers, connecting sockets
// and listeners with queued connections, and compare flags, offsets, queue
// lengths and socket options before and after.  Every run of filan has a
// time limit, so a blocking filan fails the test instead of hanging it.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using json = nlohmann::json;

const std::string kFilan = std::string(FDSCOPE_BIN_DIR) + "/filan";

struct FilanRun {
  int status = -1;  // exit status, or -1 when killed for running too long
  std::string out, err;
};

// Runs filan with args; fds of this process without FD_CLOEXEC are inherited.
// With as_uid the child runs as that user; with real_uid too, as_uid is only
// its effective (and file system) uid and real_uid its real one: /proc
// access (checked against the fs uid) then works for as_uid's processes
// while ptrace attach (checked against the real uid) does not.
FilanRun run_filan(const std::vector<std::string>& args, std::optional<uid_t> as_uid = std::nullopt,
              int timeout_ms = 20000, std::optional<uid_t> real_uid = std::nullopt) {
  FilanRun r;
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) < 0 || ::pipe2(err, O_CLOEXEC) < 0) return r;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    if (as_uid && real_uid) {
      if (::setgroups(0, nullptr) < 0 || ::setresgid(*as_uid, *as_uid, *as_uid) < 0 ||
          ::setresuid(*real_uid, *as_uid, *as_uid) < 0)
        ::_exit(126);
    } else if (as_uid) {
      if (::setgid(*as_uid) < 0 || ::setuid(*as_uid) < 0) ::_exit(126);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(kFilan.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(kFilan.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_count = 2;
  bool killed = false;
  char buf[65536];
  while (open_count > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (::poll(p, 2, static_cast<int>(left)) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(p[i].fd, buf, sizeof(buf));
      if (n <= 0) {
        ::close(p[i].fd);
        p[i].fd = -1;
        --open_count;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  for (auto& q : p)
    if (q.fd >= 0) ::close(q.fd);
  int st = 0;
  ::waitpid(pid, &st, 0);
  r.status = killed ? -1 : (WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  return r;
}

int must(int r, const char* what) {
  if (r < 0) {
    std::perror(what);
    std::abort();
  }
  return r;
}

uint16_t port_of(int fd) {
  sockaddr_in a{};
  socklen_t l = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &l);
  return ntohs(a.sin_port);
}

sockaddr_in loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int tcp_listener(int backlog = 16, uint32_t addr = INADDR_LOOPBACK) {
  int s = must(::socket(AF_INET, SOCK_STREAM, 0), "socket");
  sockaddr_in a = loopback(0);
  a.sin_addr.s_addr = htonl(addr);
  must(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)), "bind");
  must(::listen(s, backlog), "listen");
  return s;
}

int tcp_connect(uint16_t port, bool nonblock = false) {
  int c = must(::socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0), "socket");
  sockaddr_in a = loopback(port);
  int r = ::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  if (r < 0 && errno != EINPROGRESS) must(r, "connect");
  return c;
}

bool is_root() { return ::geteuid() == 0; }

// The "%5d " prefix of socat's short lines.
std::string fmt_fd(int fd) {
  std::string n = std::to_string(fd);
  return std::string(n.size() < 5 ? 5 - n.size() : 0, ' ') + n + " ";
}

// One fd of every kind this kernel lets us create, at fixed numbers.
class FdZoo {
 public:
  FdZoo() {
    char tmpl[] = "/tmp/filan_test.XXXXXX";
    dir_ = must(::mkdtemp(tmpl) ? 0 : -1, "mkdtemp") == 0 ? tmpl : "";
    build();
  }
  ~FdZoo() {
    for (auto& [name, n] : fds_) ::close(n);
    std::string cmd = "rm -rf '" + dir_ + "'";
    if (std::system(cmd.c_str()) != 0) {
    }
  }
  int operator[](const std::string& name) const { return fds_.at(name); }
  bool has(const std::string& name) const { return fds_.count(name) != 0; }
  const std::map<std::string, int>& all() const { return fds_; }
  const std::map<std::string, std::string>& kinds() const { return kinds_; }
  const std::string& dir() const { return dir_; }
  std::string pts_path;

 private:
  void add(const std::string& name, int fd, const std::string& kind) {
    if (fd < 0) return;  // not available here (not root, disabled): skipped
    int n = next_++;
    must(::dup2(fd, n), "dup2");
    if (fd != n) ::close(fd);
    fds_[name] = n;
    kinds_[name] = kind;
  }

  void build() {
    int f = must(::open((dir_ + "/file").c_str(), O_RDWR | O_CREAT, 0644), "open file");
    must(static_cast<int>(::write(f, "hello", 5)), "write");
    add("regular", f, "file");
    add("dir", must(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY), "open dir"), "dir");
    add("opath", must(::open((dir_ + "/file").c_str(), O_PATH), "open O_PATH"), "file");
    add("devnull", must(::open("/dev/null", O_RDWR), "open /dev/null"), "chrdev");
    must(::mkfifo((dir_ + "/fifo").c_str(), 0600), "mkfifo");
    add("fifo", must(::open((dir_ + "/fifo").c_str(), O_RDWR | O_NONBLOCK), "open fifo"), "fifo");
    int p[2];
    must(::pipe(p), "pipe");
    add("pipe_r", p[0], "pipe");
    add("pipe_w", p[1], "pipe");
    int m = must(::posix_openpt(O_RDWR | O_NOCTTY), "posix_openpt");
    must(::grantpt(m), "grantpt");
    must(::unlockpt(m), "unlockpt");
    pts_path = ::ptsname(m);
    add("ptm", m, "pty-master");
    add("pts", must(::open(pts_path.c_str(), O_RDWR | O_NOCTTY), "open pts"), "pty-slave");

    int l = tcp_listener();
    uint16_t port = port_of(l);
    int c = tcp_connect(port);
    int s = must(::accept(l, nullptr, nullptr), "accept");
    add("tcp_listen", l, "socket");
    add("tcp_client", c, "socket");
    add("tcp_server", s, "socket");
    int u = must(::socket(AF_INET, SOCK_DGRAM, 0), "socket udp");
    sockaddr_in a = loopback(0);
    must(::bind(u, reinterpret_cast<sockaddr*>(&a), sizeof(a)), "bind udp");
    add("udp", u, "socket");
    int l6 = ::socket(AF_INET6, SOCK_STREAM, 0);
    if (l6 >= 0) {
      sockaddr_in6 a6{};
      a6.sin6_family = AF_INET6;
      a6.sin6_addr = in6addr_loopback;
      if (::bind(l6, reinterpret_cast<sockaddr*>(&a6), sizeof(a6)) == 0 && ::listen(l6, 4) == 0)
        add("tcp6_listen", l6, "socket");
      else
        ::close(l6);
    }
    int sp[2];
    must(::socketpair(AF_UNIX, SOCK_STREAM, 0, sp), "socketpair");
    add("unix_pair_a", sp[0], "socket");
    add("unix_pair_b", sp[1], "socket");
    int ul = must(::socket(AF_UNIX, SOCK_STREAM, 0), "socket unix");
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    std::string upath = dir_ + "/sock";
    std::strcpy(un.sun_path, upath.c_str());
    must(::bind(ul, reinterpret_cast<sockaddr*>(&un), sizeof(un)), "bind unix");
    must(::listen(ul, 4), "listen unix");
    int uc = must(::socket(AF_UNIX, SOCK_STREAM, 0), "socket unix client");
    must(::connect(uc, reinterpret_cast<sockaddr*>(&un), sizeof(un)), "connect unix");
    int ua = must(::accept(ul, nullptr, nullptr), "accept unix");
    add("unix_listen", ul, "socket");
    add("unix_client", uc, "socket");
    add("unix_accepted", ua, "socket");
    int ud = must(::socket(AF_UNIX, SOCK_DGRAM, 0), "socket unix dgram");
    sockaddr_un ab{};
    ab.sun_family = AF_UNIX;
    std::string name = "filan-test-" + std::to_string(::getpid());
    std::memcpy(ab.sun_path + 1, name.data(), name.size());
    must(::bind(ud, reinterpret_cast<sockaddr*>(&ab),
                static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())),
         "bind abstract");
    add("unix_abstract_dgram", ud, "socket");
    int sq[2];
    must(::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sq), "socketpair seqpacket");
    add("seqpacket_a", sq[0], "socket");
    add("seqpacket_b", sq[1], "socket");
    add("netlink", ::socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), "socket");
    if (is_root()) add("packet", ::socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL)), "socket");

    add("eventfd", must(::eventfd(7, 0), "eventfd"), "eventfd");
    int t = must(::timerfd_create(CLOCK_MONOTONIC, 0), "timerfd");
    itimerspec its{{1, 0}, {100, 0}};
    must(::timerfd_settime(t, 0, &its, nullptr), "timerfd_settime");
    add("timerfd", t, "timerfd");
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    add("signalfd", must(::signalfd(-1, &mask, 0), "signalfd"), "signalfd");
    int ep = must(::epoll_create1(0), "epoll");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = 42;
    must(::epoll_ctl(ep, EPOLL_CTL_ADD, fds_.at("eventfd"), &ev), "epoll_ctl");
    add("epoll", ep, "epoll");
    int in = must(::inotify_init1(0), "inotify");
    must(::inotify_add_watch(in, dir_.c_str(), IN_CREATE), "inotify_add_watch");
    add("inotify", in, "inotify");
    if (is_root()) {
      int fa = ::fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);
      if (fa >= 0 && ::fanotify_mark(fa, FAN_MARK_ADD, FAN_CLOSE_WRITE, AT_FDCWD, dir_.c_str()) < 0) {
        ::close(fa);
        fa = -1;
      }
      add("fanotify", fa, "fanotify");
    }
    add("pidfd", static_cast<int>(::syscall(SYS_pidfd_open, ::getpid(), 0)), "pidfd");
    int mf = must(::memfd_create("filan-test", MFD_ALLOW_SEALING), "memfd_create");
    must(::fcntl(mf, F_ADD_SEALS, F_SEAL_SHRINK), "F_ADD_SEALS");
    add("memfd", mf, "memfd");
    struct {
      uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd, resv[3];
      uint64_t sq_off[5], cq_off[5];
    } params{};
    static_assert(sizeof(params) == 120);
    add("io_uring", static_cast<int>(::syscall(SYS_io_uring_setup, 4, &params)), "io_uring");
    if (is_root()) {
      union bpf_attr attr;
      std::memset(&attr, 0, sizeof(attr));
      attr.map_type = BPF_MAP_TYPE_ARRAY;
      attr.key_size = 4;
      attr.value_size = 8;
      attr.max_entries = 4;
      add("bpf_map", static_cast<int>(::syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr))), "bpf-map");
    }
    perf_event_attr pa{};
    pa.size = sizeof(pa);
    pa.type = PERF_TYPE_SOFTWARE;
    pa.config = PERF_COUNT_SW_TASK_CLOCK;
    pa.disabled = 1;
    add("perf", static_cast<int>(::syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0)), "perf_event");
    add("userfaultfd", static_cast<int>(::syscall(SYS_userfaultfd, O_CLOEXEC)), "userfaultfd");
    // userfaultfd honours O_CLOEXEC; make it inheritable like the rest.
    if (has("userfaultfd")) ::fcntl(fds_.at("userfaultfd"), F_SETFD, 0);
  }

  std::string dir_;
  int next_ = 200;
  std::map<std::string, int> fds_;
  std::map<std::string, std::string> kinds_;
};

std::map<int, json> by_fd(const json& doc) {
  std::map<int, json> m;
  for (const auto& f : doc.at("fds")) m[f.at("fd").get<int>()] = f;
  return m;
}

// The fd number of each line in output order (text form: after the header).
std::vector<int> fds_in_line_order(const std::string& out, bool header) {
  std::vector<int> v;
  std::istringstream in(out);
  std::string line;
  if (header) std::getline(in, line);
  while (std::getline(in, line)) v.push_back(std::atoi(line.substr(0, 5).c_str()));
  return v;
}

std::map<int, std::string> lines_by_fd(const std::string& out) {
  std::map<int, std::string> m;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 6) continue;
    int fd = std::atoi(line.substr(0, 5).c_str());
    m[fd] = line.substr(6);
  }
  return m;
}

class FilanZoo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { zoo_ = new FdZoo(); }
  static void TearDownTestSuite() {
    delete zoo_;
    zoo_ = nullptr;
  }
  static FdZoo* zoo_;
  const FdZoo& zoo() { return *zoo_; }
  std::string fd(const std::string& name) { return std::to_string(zoo()[name]); }
};
FdZoo* FilanZoo::zoo_ = nullptr;

void check_kinds(const FdZoo& zoo, const std::map<int, json>& fds, const char* mode) {
  for (const auto& [name, n] : zoo.all()) {
    auto it = fds.find(n);
    ASSERT_NE(it, fds.end()) << mode << ": fd " << n << " (" << name << ") missing";
    EXPECT_EQ(it->second.at("kind"), zoo.kinds().at(name)) << mode << ": " << name << " " << it->second.dump();
  }
}

TEST_F(FilanZoo, OwnFdsJsonNamesEveryKind) {
  FilanRun r = run_filan({"--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  json doc = json::parse(r.out);
  auto fds = by_fd(doc);
  check_kinds(zoo(), fds, "own");

  const json& reg = fds.at(zoo()["regular"]);
  EXPECT_EQ(reg.at("path"), zoo().dir() + "/file");
  EXPECT_EQ(reg.at("pos"), 5);
  EXPECT_EQ(reg.at("cloexec"), false);
  EXPECT_EQ(reg.at("flags").at(0), "O_RDWR");
  EXPECT_EQ(reg.at("stat").at("size"), 5);
  EXPECT_EQ(fds.at(zoo()["opath"]).at("o_path"), true);
  EXPECT_EQ(fds.at(zoo()["fifo"]).at("path"), zoo().dir() + "/fifo");
  EXPECT_TRUE(fds.at(zoo()["pipe_r"]).at("path").get<std::string>().starts_with("pipe:["));
  EXPECT_EQ(fds.at(zoo()["ptm"]).at("pty_slave"), zoo().pts_path);
  EXPECT_TRUE(fds.at(zoo()["pts"]).contains("tty"));

  const json& cl = fds.at(zoo()["tcp_client"]).at("socket");
  EXPECT_EQ(cl.at("family"), "AF_INET");
  EXPECT_EQ(cl.at("type"), "SOCK_STREAM");
  EXPECT_EQ(cl.at("proto"), "tcp");
  EXPECT_EQ(cl.at("state"), "ESTABLISHED");
  EXPECT_EQ(cl.at("peer").at("port"), port_of(zoo()["tcp_listen"]));
  EXPECT_TRUE(cl.at("tcp_info").contains("rtt"));
  EXPECT_TRUE(cl.at("options").contains("SO_RCVBUF"));
  const json& li = fds.at(zoo()["tcp_listen"]).at("socket");
  EXPECT_EQ(li.at("listening"), true);
  EXPECT_EQ(li.at("state"), "LISTEN");
  EXPECT_FALSE(li.contains("peer"));
  EXPECT_EQ(fds.at(zoo()["udp"]).at("socket").at("proto"), "udp");
  const json& uc = fds.at(zoo()["unix_client"]).at("socket");
  EXPECT_EQ(uc.at("peer").at("path"), zoo().dir() + "/sock");
  EXPECT_EQ(uc.at("peer_cred").at("pid"), ::getpid());
  EXPECT_TRUE(fds.at(zoo()["unix_listen"]).at("socket").at("listening").get<bool>());
  EXPECT_EQ(fds.at(zoo()["seqpacket_a"]).at("socket").at("type"), "SOCK_SEQPACKET");
  EXPECT_EQ(fds.at(zoo()["netlink"]).at("socket").at("family"), "AF_NETLINK");
  // The peer of a socketpair end is the other end, held by this process.
  const json& pa = fds.at(zoo()["unix_pair_a"]).at("socket");
  ASSERT_TRUE(pa.contains("peer_processes")) << pa.dump();
  EXPECT_EQ(pa.at("peer_processes").at(0).at("pid"), ::getpid());
  EXPECT_EQ(pa.at("peer_processes").at(0).at("fd"), zoo()["unix_pair_b"]);

  EXPECT_EQ(fds.at(zoo()["eventfd"]).at("facts").at("count"), 7);
  EXPECT_EQ(fds.at(zoo()["timerfd"]).at("facts").at("clock"), "CLOCK_MONOTONIC");
  EXPECT_EQ(fds.at(zoo()["signalfd"]).at("facts").at("signals"), "SIGUSR1");
  EXPECT_EQ(fds.at(zoo()["epoll"]).at("facts").at("targets").at(0).at("tfd"), zoo()["eventfd"]);
  EXPECT_EQ(fds.at(zoo()["inotify"]).at("facts").at("watches").at(0).at("mask"), "IN_CREATE");
  EXPECT_EQ(fds.at(zoo()["pidfd"]).at("facts").at("pid"), ::getpid());
  EXPECT_EQ(fds.at(zoo()["memfd"]).at("facts").at("seals"), "F_SEAL_SHRINK");
  if (zoo().has("bpf_map")) {
    EXPECT_EQ(fds.at(zoo()["bpf_map"]).at("facts").at("map_type_name"), "array");
  }
}

TEST_F(FilanZoo, ShortFormKeepsSocatLayout) {
  FilanRun r = run_filan({"-s"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto l = lines_by_fd(r.out);
  uint16_t lport = port_of(zoo()["tcp_listen"]);
  EXPECT_EQ(l[zoo()["regular"]], "file " + zoo().dir() + "/file");
  EXPECT_EQ(l[zoo()["dir"]], "dir " + zoo().dir());
  EXPECT_EQ(l[zoo()["devnull"]], "chrdev /dev/null");
  EXPECT_EQ(l[zoo()["fifo"]], "pipe " + zoo().dir() + "/fifo");
  EXPECT_EQ(l[zoo()["pipe_r"]], "pipe ");
  EXPECT_EQ(l[zoo()["pts"]], "tty " + zoo().pts_path);
  EXPECT_EQ(l[zoo()["tcp_listen"]], "tcp(listening) 127.0.0.1:" + std::to_string(lport) + " 0.0.0.0:0");
  EXPECT_EQ(l[zoo()["tcp_client"]], "tcp 127.0.0.1:" + std::to_string(port_of(zoo()["tcp_client"])) +
                                        " 127.0.0.1:" + std::to_string(lport));
  EXPECT_EQ(l[zoo()["udp"]], "udp 127.0.0.1:" + std::to_string(port_of(zoo()["udp"])) + " 0.0.0.0:0");
  EXPECT_EQ(l[zoo()["unix_pair_a"]], "unix <anon>");
  EXPECT_EQ(l[zoo()["unix_listen"]], "unix(listening) " + zoo().dir() + "/sock");
  EXPECT_EQ(l[zoo()["eventfd"]], "eventfd count=7 semaphore=0");
  EXPECT_EQ(l[zoo()["pidfd"]], "pidfd pid=" + std::to_string(::getpid()));
  // "%5d " as socat prints it.
  EXPECT_NE(r.out.find(fmt_fd(zoo()["regular"])), std::string::npos);
}

TEST_F(FilanZoo, ImprovedShortFormShowsBothEnds) {
  FilanRun r = run_filan({"-S"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto l = lines_by_fd(r.out);
  uint16_t lport = port_of(zoo()["tcp_listen"]);
  EXPECT_EQ(l[zoo()["fifo"]], "fifo " + zoo().dir() + "/fifo");
  EXPECT_EQ(l[zoo()["tcp_client"]], "tcp 127.0.0.1:" + std::to_string(port_of(zoo()["tcp_client"])) +
                                        "-127.0.0.1:" + std::to_string(lport) + " (stream) ESTABLISHED");
  EXPECT_EQ(l[zoo()["tcp_listen"]], "tcp 127.0.0.1:" + std::to_string(lport) + " (stream) (listening)");
  EXPECT_TRUE(l[zoo()["unix_client"]].starts_with("unix <anon>-" + zoo().dir() + "/sock stream"))
      << l[zoo()["unix_client"]];
  EXPECT_TRUE(l[zoo()["ptm"]].starts_with("pty-master ")) << l[zoo()["ptm"]];
  EXPECT_NE(l[zoo()["ptm"]].find("slave=" + zoo().pts_path), std::string::npos);
  EXPECT_EQ(l[zoo()["seqpacket_a"]].substr(0, 12), "unix <anon>-");
  EXPECT_TRUE(l[zoo()["memfd"]].starts_with("memfd /memfd:filan-test")) << l[zoo()["memfd"]];
}

TEST_F(FilanZoo, TextFormHasSocatHeaderAndDecodedDetails) {
  FilanRun r = run_filan({});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("  FD  type\tdevice\tinode\tmode\tlinks\tuid\tgid\trdev\tsize\t"));
  std::map<int, std::string> l;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > 5 && line[4] == ':') l[std::atoi(line.substr(0, 4).c_str())] = line;
  }
  const std::string& reg = l[zoo()["regular"]];
  EXPECT_TRUE(reg.find(": file\t") != std::string::npos) << reg;
  EXPECT_NE(reg.find("\t" + zoo().dir() + "/file"), std::string::npos);
  EXPECT_NE(reg.find("\tpos=5"), std::string::npos);
  EXPECT_NE(reg.find("x008002"), std::string::npos) << reg;  // O_RDWR|O_LARGEFILE as socat shows it
  const std::string& tcp = l[zoo()["tcp_client"]];
  EXPECT_NE(tcp.find("AF=2 127.0.0.1:"), std::string::npos) << tcp;
  EXPECT_NE(tcp.find("state=ESTABLISHED"), std::string::npos);
  EXPECT_NE(tcp.find("tcp_info: "), std::string::npos);
  EXPECT_NE(tcp.find("RCVBUF="), std::string::npos);
  EXPECT_NE(l[zoo()["eventfd"]].find("count=7"), std::string::npos);
  EXPECT_NE(l[zoo()["pts"]].find("poll: OUT"), std::string::npos) << l[zoo()["pts"]];
}

TEST_F(FilanZoo, OtherProcessScanNamesEveryKind) {
  FilanRun r = run_filan({"-p", std::to_string(::getpid()), "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc.at("pid"), ::getpid());
  auto fds = by_fd(doc);
  check_kinds(zoo(), fds, "-p");
  const json& cl = fds.at(zoo()["tcp_client"]).at("socket");
  EXPECT_EQ(cl.at("state"), "ESTABLISHED");
  EXPECT_EQ(cl.at("local").at("port"), port_of(zoo()["tcp_client"]));
  EXPECT_EQ(cl.at("peer").at("port"), port_of(zoo()["tcp_listen"]));
  EXPECT_TRUE(cl.at("tcp_info").contains("rtt"));
  EXPECT_EQ(cl.at("source"), "sock_diag");
  EXPECT_EQ(fds.at(zoo()["eventfd"]).at("facts").at("count"), 7);
  EXPECT_EQ(fds.at(zoo()["regular"]).at("pos"), 5);
  // Through /proc the target's close-on-exec bit costs a read per fd: not
  // by default; the BPF scan has it for free.
  if (doc.at("scan") == "bpf")
    EXPECT_EQ(fds.at(zoo()["regular"]).at("cloexec"), false);
  else
    EXPECT_FALSE(fds.at(zoo()["regular"]).contains("cloexec"));
  const json& pa = fds.at(zoo()["unix_pair_a"]).at("socket");
  ASSERT_TRUE(pa.contains("peer_processes")) << pa.dump();
  EXPECT_EQ(pa.at("peer_processes").at(0).at("fd"), zoo()["unix_pair_b"]);
  EXPECT_EQ(fds.at(zoo()["unix_client"]).at("socket").at("peer").at("path"), zoo().dir() + "/sock");
}

TEST_F(FilanZoo, OtherProcessTextFormFromSockDiag) {
  FilanRun r = run_filan({"-p", std::to_string(::getpid()), "--scan=proc"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("  FD  type\tdevice\tinode\tmode"));
  std::map<int, std::string> l;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line))
    if (line.size() > 5 && line[4] == ':') l[std::atoi(line.substr(0, 4).c_str())] = line;
  const std::string& tcp = l[zoo()["tcp_client"]];
  EXPECT_NE(tcp.find(": socket\t"), std::string::npos) << tcp;
  EXPECT_NE(tcp.find("AF=2 127.0.0.1:" + std::to_string(port_of(zoo()["tcp_client"])) + " <-> AF=2 127.0.0.1:" +
                     std::to_string(port_of(zoo()["tcp_listen"]))),
            std::string::npos)
      << tcp;
  EXPECT_NE(tcp.find("state=ESTABLISHED"), std::string::npos);
  EXPECT_NE(tcp.find("tcp_info: "), std::string::npos);
  EXPECT_NE(l[zoo()["tcp_listen"]].find("(listening)"), std::string::npos);
  const std::string& reg = l[zoo()["regular"]];
  EXPECT_NE(reg.find("\t" + zoo().dir() + "/file"), std::string::npos) << reg;
  EXPECT_NE(reg.find("\tpos=5"), std::string::npos) << reg;
  EXPECT_NE(reg.find("\t?\tx008002\t"), std::string::npos) << reg;  // cloexec unread, flags read
  EXPECT_NE(l[zoo()["timerfd"]].find("clock=CLOCK_MONOTONIC"), std::string::npos);
  EXPECT_NE(l[zoo()["unix_pair_a"]].find("peer_process=" + std::to_string(::getpid()) + "/"), std::string::npos)
      << l[zoo()["unix_pair_a"]];
}

TEST_F(FilanZoo, OtherProcessScanReadsCloexecWhenAsked) {
  FilanRun r = run_filan({"-p", std::to_string(::getpid()), "--json", "-d"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto fds = by_fd(json::parse(r.out));
  EXPECT_EQ(fds.at(zoo()["regular"]).at("cloexec"), false);
  EXPECT_EQ(fds.at(zoo()["regular"]).at("flags").at(0), "O_RDWR");
}

// Whether `filan -p --scan=bpf` runs here; `why` says why not.
bool bpf_scan_works(std::string* why) {
  if (!is_root()) {
    *why = "the BPF scan needs root";
    return false;
  }
  FilanRun r = run_filan({"-p", std::to_string(::getpid()), "--scan=bpf", "-s", "-n", "1"});
  if (r.status != 0) *why = "BPF scan unavailable: " + r.err;
  return r.status == 0;
}

// Facts that change between two runs by themselves: TCP_INFO's timers and
// counters, a timerfd's remaining time.
json stable_facts(json f) {
  if (f.contains("socket")) f["socket"].erase("tcp_info");
  if (f.at("kind") == "timerfd" && f.contains("facts")) f["facts"].erase("it_value_ns");
  return f;
}

TEST_F(FilanZoo, ScanMethodsAgreeOnEveryFact) {
  std::string why;
  if (!bpf_scan_works(&why)) GTEST_SKIP() << why;
  // --audit makes the /proc scan read every fdinfo, which is what the BPF
  // scan always knows (close-on-exec, offsets and mount ids of every fd).
  FilanRun b = run_filan({"-p", std::to_string(::getpid()), "--json", "--scan=bpf"});
  FilanRun p = run_filan({"-p", std::to_string(::getpid()), "--json", "--scan=proc", "--audit"});
  ASSERT_EQ(b.status, 0) << b.err;
  ASSERT_EQ(p.status, 0) << p.err;
  json bd = json::parse(b.out), pd = json::parse(p.out);
  EXPECT_EQ(bd.at("scan"), "bpf");
  EXPECT_EQ(pd.at("scan"), "proc");
  EXPECT_EQ(bd.at("privileged"), pd.at("privileged"));
  auto bf = by_fd(bd), pf = by_fd(pd);
  for (const auto& [name, n] : zoo().all()) {
    ASSERT_TRUE(bf.count(n) && pf.count(n)) << name;
    EXPECT_EQ(stable_facts(bf[n]), stable_facts(pf[n])) << name << "\nbpf:  " << bf[n].dump() << "\nproc: " << pf[n].dump();
  }
}

TEST_F(FilanZoo, OtherProcessCloexecByDefault) {
  std::string why;
  if (!bpf_scan_works(&why)) GTEST_SKIP() << why;
  int c = must(::open("/dev/null", O_RDONLY | O_CLOEXEC), "open");
  const int kCloexecFd = 299;
  must(::dup3(c, kCloexecFd, O_CLOEXEC), "dup3");
  ::close(c);
  FilanRun r = run_filan({"-p", std::to_string(::getpid()), "--json"});
  FilanRun t = run_filan({"-p", std::to_string(::getpid())});
  ::close(kCloexecFd);
  ASSERT_EQ(r.status, 0) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc.at("scan"), "bpf");
  auto fds = by_fd(doc);
  ASSERT_TRUE(fds.count(kCloexecFd));
  EXPECT_EQ(fds[kCloexecFd].at("cloexec"), true);
  for (const auto& [name, n] : zoo().all()) EXPECT_EQ(fds.at(n).at("cloexec"), false) << name;
  // Text form: the cloexec column says 0 or 1, never "?".
  ASSERT_EQ(t.status, 0) << t.err;
  auto l = lines_by_fd(t.out);
  EXPECT_NE(l[zoo()["regular"]].find("\t0\tx008002\t"), std::string::npos) << l[zoo()["regular"]];
  EXPECT_NE(l[kCloexecFd].find("\t1\tx008000\t"), std::string::npos) << l[kCloexecFd];
}

// A child holding a table large enough for filan -p's large-table paths
// (the heap policy, the passes split between two threads, the dump started
// while the table loads): 1,000 opens of one file, 500 loopback TCP
// connections (both ends: 1,000 sockets), 500 pipes.  Killed and reaped by
// the destructor.
class LargeTable {
 public:
  LargeTable() {
    char tmpl[] = "/tmp/filan_large.XXXXXX";
    if (::mkdtemp(tmpl)) dir_ = tmpl;
    int ready[2];
    must(::pipe2(ready, O_CLOEXEC), "pipe2");
    pid_ = must(::fork(), "fork");
    if (pid_ == 0) {
      ::close(ready[0]);
      // Only the fds made here besides 0-2 (not whatever the test inherited).
      if (ready[1] > 3) ::syscall(SYS_close_range, 3u, static_cast<unsigned>(ready[1] - 1), 0u);
      ::syscall(SYS_close_range, static_cast<unsigned>(ready[1] + 1), ~0u, 0u);
      rlimit rl{};
      ::getrlimit(RLIMIT_NOFILE, &rl);
      rl.rlim_cur = std::max<rlim_t>(rl.rlim_cur, std::min<rlim_t>(rl.rlim_max, 4096));
      ::setrlimit(RLIMIT_NOFILE, &rl);
      std::string file = dir_ + "/f";
      for (int i = 0; i < 1000; ++i)
        if (::open(file.c_str(), O_RDWR | O_CREAT, 0600) < 0) ::_exit(1);
      int l = tcp_listener(512);
      uint16_t port = port_of(l);
      for (int i = 0; i < 500; ++i) {
        tcp_connect(port);
        if (::accept(l, nullptr, nullptr) < 0) ::_exit(1);
      }
      ::close(l);
      for (int i = 0; i < 500; ++i) {
        int p[2];
        if (::pipe(p) < 0) ::_exit(1);
      }
      (void)!::write(ready[1], "r", 1);
      for (;;) ::pause();
    }
    ::close(ready[1]);
    char c = 0;
    ok_ = ::read(ready[0], &c, 1) == 1;
    ::close(ready[0]);
  }
  ~LargeTable() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    if (!dir_.empty()) {
      ::unlink((dir_ + "/f").c_str());
      ::rmdir(dir_.c_str());
    }
  }
  bool ok() const { return ok_; }
  pid_t pid() const { return pid_; }
  // The child's open fds, from /proc.
  std::vector<int> fds() const {
    std::vector<int> v;
    std::string d = "/proc/" + std::to_string(pid_) + "/fd";
    if (DIR* dir = ::opendir(d.c_str())) {
      while (dirent* e = ::readdir(dir))
        if (e->d_name[0] != '.') v.push_back(std::atoi(e->d_name));
      ::closedir(dir);
    }
    std::sort(v.begin(), v.end());
    return v;
  }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  bool ok_ = false;
};

TEST(FilanLargeTable, EveryFdOnceInEveryFormWithItsSocketFacts) {
  LargeTable t;
  ASSERT_TRUE(t.ok()) << "child could not open its fds";
  std::vector<int> want = t.fds();
  ASSERT_GE(want.size(), 3000u);
  const std::string pid = std::to_string(t.pid());

  FilanRun text = run_filan({"-p", pid});
  ASSERT_EQ(text.status, 0) << text.err;
  auto lines = lines_by_fd(text.out);
  size_t tcp = 0;
  for (int fd : want) {
    ASSERT_TRUE(lines.count(fd)) << "fd " << fd << " missing from the text form";
    const std::string& l = lines[fd];
    if (!l.starts_with("socket\t")) continue;
    ++tcp;
    EXPECT_NE(l.find("AF_INET SOCK_STREAM IPPROTO_TCP\tAF=2 127.0.0.1:"), std::string::npos) << l;
    EXPECT_NE(l.find(" <-> AF=2 127.0.0.1:"), std::string::npos) << l;
    EXPECT_NE(l.find("\tstate=ESTABLISHED\t"), std::string::npos) << l;
    EXPECT_NE(l.find("\ttcp_info: state=ESTABLISHED "), std::string::npos) << l;
  }
  EXPECT_EQ(tcp, 1000u);
  // One line per fd plus the header, in fd order (the lines are made by
  // two threads in chunks and written as the chunks complete).
  EXPECT_EQ(static_cast<size_t>(std::count(text.out.begin(), text.out.end(), '\n')), want.size() + 1);
  EXPECT_EQ(fds_in_line_order(text.out, true), want);

  FilanRun shrt = run_filan({"-p", pid, "-s"});
  ASSERT_EQ(shrt.status, 0) << shrt.err;
  EXPECT_EQ(static_cast<size_t>(std::count(shrt.out.begin(), shrt.out.end(), '\n')), want.size());
  EXPECT_EQ(lines_by_fd(shrt.out).size(), want.size());
  EXPECT_EQ(fds_in_line_order(shrt.out, false), want);

  FilanRun js = run_filan({"-p", pid, "--json"});
  ASSERT_EQ(js.status, 0) << js.err;
  json doc = json::parse(js.out);
  // The array items, made in chunks by two threads, in fd order.
  std::vector<int> order;
  for (const json& f : doc.at("fds")) order.push_back(f.at("fd").get<int>());
  EXPECT_EQ(order, want);
  auto fds = by_fd(doc);
  ASSERT_EQ(fds.size(), want.size());
  size_t with_info = 0;
  for (const auto& [n, f] : fds) {
    if (!f.contains("socket")) continue;
    const json& s = f.at("socket");
    EXPECT_EQ(s.at("state"), "ESTABLISHED") << s.dump();
    EXPECT_TRUE(s.at("local").contains("port") && s.at("peer").contains("port")) << s.dump();
    if (s.contains("tcp_info") && s.at("tcp_info").contains("rtt")) ++with_info;
  }
  EXPECT_EQ(with_info, 1000u);

  // Both ways of reading the table agree on every fact of every fd.
  std::string why;
  if (!bpf_scan_works(&why)) return;
  FilanRun b = run_filan({"-p", pid, "--json", "--scan=bpf"});
  FilanRun p = run_filan({"-p", pid, "--json", "--scan=proc", "--audit"});
  ASSERT_EQ(b.status, 0) << b.err;
  ASSERT_EQ(p.status, 0) << p.err;
  auto bf = by_fd(json::parse(b.out)), pf = by_fd(json::parse(p.out));
  ASSERT_EQ(bf.size(), pf.size());
  for (const auto& [n, f] : bf) {
    ASSERT_TRUE(pf.count(n)) << n;
    ASSERT_EQ(stable_facts(f), stable_facts(pf[n])) << "fd " << n;
  }
}

// The BPF iterator sends a file in the directory of the last full path it
// sent by its name alone, and filan joins the two.  A child in a mount
// namespace of its own opens files so that every way that could go wrong
// is there: runs in one directory, directories taking turns, a directory
// reached through a bind mount as well (same parent dentry, another mount),
// an unlinked file between siblings, odd and 255-byte names, a file system
// root, and more records than one read of the iterator holds (a record that
// does not fit is sent again by the next read).  Every path must be the one
// readlink gives.
TEST(FilanBpfScan, NamesSentAloneAreJoinedToTheirDirectory) {
  std::string why;
  if (!bpf_scan_works(&why)) GTEST_SKIP() << why;
  char tmpl[] = "/tmp/filan_dirs.XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string top = tmpl;
  int ready[2];
  must(::pipe2(ready, O_CLOEXEC), "pipe2");
  pid_t child = must(::fork(), "fork");
  if (child == 0) {
    ::close(ready[0]);
    auto fail = [&](const char*) { ::_exit(1); };
    if (::unshare(CLONE_NEWNS) < 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) fail("ns");
    std::string a = top + "/a", b = top + "/b", c = top + "/c";
    for (const std::string& d : {a, b, c})
      if (::mkdir(d.c_str(), 0700) < 0) fail("mkdir");
    if (::mount(a.c_str(), c.c_str(), nullptr, MS_BIND, nullptr) < 0) fail("bind");
    auto open_at = [&](const std::string& path) {
      if (::open(path.c_str(), O_RDWR | O_CREAT, 0600) < 0) fail("open");
    };
    std::string long_name(255, 'n');
    for (int i = 0; i < 200; ++i) open_at(a + "/run" + std::to_string(i) + "-" + long_name.substr(0, 150));
    for (int i = 0; i < 50; ++i) {
      open_at(a + "/turn" + std::to_string(i));
      open_at(b + "/turn" + std::to_string(i));
    }
    open_at(a + "/bound");
    open_at(c + "/bound");  // the same dentry's parent, through the bind mount
    open_at(c + "/only-via-c");
    open_at(a + "/after-c");
    open_at(a + "/gone");
    ::unlink((a + "/gone").c_str());
    open_at(a + "/after gone\n\x01");
    open_at(a + "/" + long_name);
    if (::open("/", O_RDONLY | O_DIRECTORY) < 0 || ::open(top.c_str(), O_RDONLY | O_DIRECTORY) < 0) fail("dir");
    open_at(b + "/last");
    (void)!::write(ready[1], "r", 1);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char ok = 0;
  bool started = ::read(ready[0], &ok, 1) == 1;
  ::close(ready[0]);
  struct Reap {
    pid_t pid;
    std::string top;
    ~Reap() {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      std::string cmd = "rm -rf '" + top + "'";
      (void)!::system(cmd.c_str());
    }
  } reap{child, top};
  ASSERT_TRUE(started) << "child could not set up its files";
  FilanRun b = run_filan({"-p", std::to_string(child), "--json", "--scan=bpf"});
  FilanRun p = run_filan({"-p", std::to_string(child), "--json", "--scan=proc", "--audit"});
  ASSERT_EQ(b.status, 0) << b.err;
  ASSERT_EQ(p.status, 0) << p.err;
  auto bf = by_fd(json::parse(b.out)), pf = by_fd(json::parse(p.out));
  ASSERT_EQ(bf.size(), pf.size());
  size_t files = 0;
  for (const auto& [n, f] : bf) {
    ASSERT_TRUE(pf.count(n)) << n;
    EXPECT_EQ(f.value("path", ""), pf[n].value("path", "")) << "fd " << n;
    EXPECT_EQ(f.value("deleted", false), pf[n].value("deleted", false)) << "fd " << n;
    if (f.value("path", "").starts_with(top)) ++files;
  }
  EXPECT_EQ(files, 200u + 100u + 8u + 1u);
  // Spot checks against what the child opened.
  bool via_c = false, gone = false;
  for (const auto& [n, f] : bf) {
    if (f.value("path", "") == top + "/c/bound") via_c = true;
    if (f.value("path", "") == top + "/a/gone" && f.value("deleted", false)) gone = true;
  }
  EXPECT_TRUE(via_c);
  EXPECT_TRUE(gone);
}

TEST(FilanLargeTable, OwnInheritedFdsEachOnceWithTheirSocketFacts) {
  // filan describing 3,000 fds of its own (inherited from this test), which
  // it reads with two threads: each fd once, in order, sockets with their
  // options and TCP_INFO.
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_max < 4096) GTEST_SKIP() << "RLIMIT_NOFILE hard limit below 4096";
  rlimit saved = rl;
  rl.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &rl), 0);
  std::vector<int> held;
  for (int i = 0; i < 1500; ++i) held.push_back(must(::open("/dev/null", O_RDONLY), "open"));
  int l = tcp_listener(512);
  for (int i = 0; i < 500; ++i) {
    held.push_back(tcp_connect(port_of(l)));
    held.push_back(must(::accept(l, nullptr, nullptr), "accept"));
  }
  ::close(l);
  FilanRun r = run_filan({});
  for (int fd : held) ::close(fd);
  ::setrlimit(RLIMIT_NOFILE, &saved);
  ASSERT_EQ(r.status, 0) << r.err;
  auto lines = lines_by_fd(r.out);
  int last = -1;
  size_t tcp = 0;
  std::istringstream in(r.out);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    int fd = std::atoi(line.substr(0, 5).c_str());
    EXPECT_GT(fd, last) << "out of order: " << line.substr(0, 40);
    last = fd;
  }
  for (int fd : held) {
    ASSERT_TRUE(lines.count(fd)) << "fd " << fd << " missing";
    const std::string& t = lines[fd];
    if (!t.starts_with("socket\t")) continue;
    ++tcp;
    EXPECT_NE(t.find("\tstate=ESTABLISHED\t"), std::string::npos) << t;
    EXPECT_NE(t.find("\tSNDBUF="), std::string::npos) << t;
    EXPECT_NE(t.find("\ttcp_info: state=ESTABLISHED "), std::string::npos) << t;
  }
  EXPECT_EQ(tcp, 1000u);
}

TEST(FilanNoRights, FallsBackToProcAndSaysOnceWhatItCannotSee) {
  if (!is_root()) GTEST_SKIP() << "needs root to switch users";
  const uid_t kNobody = 65534;
  int sync[2];
  must(::pipe2(sync, O_CLOEXEC), "pipe");
  pid_t target = ::fork();
  if (target == 0) {
    // Holds a file, a pipe and a UNIX socket as nobody, readable through
    // /proc by nobody (dumpable again after the uid change).
    int f = ::open("/dev/null", O_RDWR);
    int p[2];
    int sp[2];
    if (f < 0 || ::pipe(p) < 0 || ::socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0) ::_exit(1);
    ::dup2(f, 50);
    ::dup2(p[0], 51);
    ::dup2(p[1], 52);
    ::dup2(sp[0], 53);
    if (::setgroups(0, nullptr) < 0 || ::setresgid(kNobody, kNobody, kNobody) < 0 ||
        ::setresuid(kNobody, kNobody, kNobody) < 0 || ::prctl(PR_SET_DUMPABLE, 1) < 0)
      ::_exit(1);
    if (::write(sync[1], "x", 1) != 1) ::_exit(1);
    for (;;) ::pause();
  }
  ::close(sync[1]);
  char x;
  ASSERT_EQ(::read(sync[0], &x, 1), 1);
  ::close(sync[0]);
  // filan's file system uid is nobody's (it may read /proc/PID/fd), its real
  // uid another one (pidfd_getfd, a ptrace attach, is refused).
  FilanRun r = run_filan({"-p", std::to_string(target), "--json"}, kNobody, 20000, kNobody - 1);
  FilanRun b = run_filan({"-p", std::to_string(target), "--scan=bpf"}, kNobody, 20000, kNobody - 1);
  ::kill(target, SIGKILL);
  ::waitpid(target, nullptr, 0);
  ASSERT_EQ(r.status, 0) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc.at("scan"), "proc");
  EXPECT_EQ(doc.at("privileged"), false);
  auto fds = by_fd(doc);
  EXPECT_EQ(fds.at(50).at("kind"), "chrdev");
  EXPECT_EQ(fds.at(50).at("path"), "/dev/null");
  EXPECT_EQ(fds.at(51).at("kind"), "pipe");
  EXPECT_EQ(fds.at(53).at("kind"), "socket");
  // Said once, on stderr, naming what is missing.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("no ptrace rights on pid " + std::to_string(target)), std::string::npos) << r.err;
  // Asking for the BPF scan without root is one clear error.
  EXPECT_EQ(b.status, 1) << b.out;
  EXPECT_EQ(std::count(b.err.begin(), b.err.end(), '\n'), 1) << b.err;
  EXPECT_NE(b.err.find("BPF"), std::string::npos) << b.err;
}

TEST_F(FilanZoo, OtherProcessShortFormsMatchOwnView) {
  FilanRun own = run_filan({"-s"});
  FilanRun other = run_filan({"-s", "-p", std::to_string(::getpid())});
  ASSERT_EQ(own.status, 0) << own.err;
  ASSERT_EQ(other.status, 0) << other.err;
  auto a = lines_by_fd(own.out), b = lines_by_fd(other.out);
  for (const char* name : {"regular", "dir", "devnull", "fifo", "pipe_r", "pts", "tcp_listen", "tcp_client",
                           "tcp_server", "udp", "unix_pair_a", "unix_listen", "unix_client", "eventfd", "pidfd",
                           "signalfd", "memfd"})
    EXPECT_EQ(a[zoo()[name]], b[zoo()[name]]) << name;
  FilanRun own_s = run_filan({"-S"});
  FilanRun other_s = run_filan({"-S", "-p", std::to_string(::getpid())});
  auto c = lines_by_fd(own_s.out), d = lines_by_fd(other_s.out);
  for (const char* name : {"fifo", "tcp_listen", "tcp_client", "udp", "ptm", "unix_listen"})
    EXPECT_EQ(c[zoo()[name]], d[zoo()[name]]) << name;
}

TEST_F(FilanZoo, DetailedModeOfOtherProcessReadsSocketOptions) {
  FilanRun r = run_filan({"-p", std::to_string(::getpid()), "-i", fd("tcp_client"), "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc.at("fds").size(), 1u);
  const json& s = doc.at("fds").at(0).at("socket");
  EXPECT_TRUE(s.at("options").contains("SO_RCVBUF"));
  EXPECT_TRUE(s.at("options").contains("TCP_NODELAY"));
  EXPECT_EQ(s.at("state"), "ESTABLISHED");
  EXPECT_EQ(doc.at("fds").at(0).at("cloexec"), false);
}

TEST_F(FilanZoo, AttachedAndSeparateFdArgumentsAgree) {
  FilanRun a = run_filan({"-s", "-i" + fd("eventfd")});
  FilanRun b = run_filan({"-s", "-i", fd("eventfd")});
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(lines_by_fd(a.out).size(), 1u);
  FilanRun n = run_filan({"-s", "-n" + std::to_string(zoo()["regular"] + 1)});
  auto l = lines_by_fd(n.out);
  EXPECT_TRUE(l.count(zoo()["regular"]));
  EXPECT_FALSE(l.count(zoo()["dir"]));
}

TEST_F(FilanZoo, OutputOptionWritesFileAndHidesIt) {
  std::string path = zoo().dir() + "/out.txt";
  FilanRun r = run_filan({"-s", "-o", path});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  FILE* f = std::fopen(path.c_str(), "r");
  ASSERT_TRUE(f);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) text.append(buf, n);
  std::fclose(f);
  EXPECT_NE(text.find("file " + zoo().dir() + "/file"), std::string::npos);
  EXPECT_EQ(text.find("out.txt"), std::string::npos);
}

// ---- never block, never change ----

struct SockState {
  int flags, rcvbuf, sndbuf, nodelay, keepalive, inq, outq;
  bool operator==(const SockState&) const = default;
};

SockState sock_state(int fd) {
  SockState s{};
  socklen_t l = sizeof(int);
  s.flags = ::fcntl(fd, F_GETFL);
  ::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &s.rcvbuf, &l);
  l = sizeof(int);
  ::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &s.sndbuf, &l);
  l = sizeof(int);
  ::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &s.nodelay, &l);
  l = sizeof(int);
  ::getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &s.keepalive, &l);
  s.inq = -1;
  s.outq = -1;
  ::ioctl(fd, SIOCINQ, &s.inq);
  ::ioctl(fd, SIOCOUTQ, &s.outq);
  return s;
}

unsigned tcp_state(int fd) {
  tcp_info ti{};
  socklen_t l = sizeof(ti);
  ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l);
  return ti.tcpi_state;
}

// Runs every view of filan over fd: own (-i), own list (-s), other process
// (-p -i detailed, -p list), each within 10 s.
void run_every_view(int fd) {
  std::string n = std::to_string(fd), pid = std::to_string(::getpid());
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"-i", n}, {"-i", n, "--json"}, {"-s"}, {"-p", pid, "-i", n}, {"-p", pid, "--json"}, {"-p", pid, "-S"}}) {
    FilanRun r = run_filan(args, std::nullopt, 10000);
    EXPECT_EQ(r.status, 0) << "filan " << args[0] << " ... blocked or failed: " << r.err;
  }
}

TEST(FilanNeverBlocks, FifoWithoutWriter) {
  char tmpl[] = "/tmp/filan_fifo.XXXXXX";
  ASSERT_TRUE(::mkdtemp(tmpl));
  std::string path = std::string(tmpl) + "/fifo";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  int r = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(r, 0);
  int flags = ::fcntl(r, F_GETFL);
  run_every_view(r);
  EXPECT_EQ(::fcntl(r, F_GETFL), flags);
  ::close(r);
  ::unlink(path.c_str());
  ::rmdir(tmpl);
}

TEST(FilanNeverBlocks, PtyNobodyReads) {
  int m = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(m, 0);
  ASSERT_EQ(::grantpt(m), 0);
  ASSERT_EQ(::unlockpt(m), 0);
  int s = ::open(::ptsname(m), O_RDWR | O_NOCTTY);
  ASSERT_GE(s, 0);
  ASSERT_EQ(::write(s, "unread data\n", 12), 12);
  ::usleep(20000);
  int before = -1, after = -1;
  ::ioctl(m, FIONREAD, &before);
  int mflags = ::fcntl(m, F_GETFL), sflags = ::fcntl(s, F_GETFL);
  termios t1{}, t2{};
  ::tcgetattr(s, &t1);
  run_every_view(m);
  run_every_view(s);
  ::ioctl(m, FIONREAD, &after);
  ::tcgetattr(s, &t2);
  EXPECT_EQ(before, after);
  EXPECT_GT(before, 0);
  EXPECT_EQ(::fcntl(m, F_GETFL), mflags);
  EXPECT_EQ(::fcntl(s, F_GETFL), sflags);
  EXPECT_EQ(std::memcmp(&t1, &t2, sizeof(t1)), 0);
  ::close(s);
  ::close(m);
}

TEST(FilanNeverBlocks, TcpWithFullBuffers) {
  int l = tcp_listener();
  int c = tcp_connect(port_of(l));
  int s = ::accept(l, nullptr, nullptr);
  ASSERT_GE(s, 0);
  int small = 4096;
  ::setsockopt(c, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
  ::fcntl(c, F_SETFL, ::fcntl(c, F_GETFL) | O_NONBLOCK);
  std::vector<char> buf(65536, 'x');
  for (int i = 0; i < 10000; ++i)
    if (::send(c, buf.data(), buf.size(), MSG_NOSIGNAL) < 0) break;
  ::usleep(50000);
  SockState cb = sock_state(c), sb = sock_state(s);
  EXPECT_GT(sb.inq, 0);
  run_every_view(c);
  run_every_view(s);
  EXPECT_EQ(sock_state(c), cb);
  EXPECT_EQ(sock_state(s), sb);
  ::close(c);
  ::close(s);
  ::close(l);
}

TEST(FilanNeverBlocks, ConnectingSocket) {
  // A listener with backlog 0 and one queued connection drops further SYNs:
  // the second connect stays in SYN_SENT.
  int l = tcp_listener(0);
  int first = tcp_connect(port_of(l));
  ::usleep(20000);
  int c = tcp_connect(port_of(l), true);
  ::usleep(20000);
  unsigned state = tcp_state(c);
  if (state != 2 /* TCP_SYN_SENT */) GTEST_SKIP() << "kernel completed the connection (state " << state << ")";
  SockState before = sock_state(c);
  run_every_view(c);
  EXPECT_EQ(sock_state(c), before);
  EXPECT_EQ(tcp_state(c), 2u);
  int err = -1;
  socklen_t el = sizeof(err);
  ::getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el);
  EXPECT_EQ(err, 0);  // filan did not consume a pending error
  ::close(c);
  ::close(first);
  ::close(l);
}

TEST(FilanNeverBlocks, ListenerKeepsQueuedConnection) {
  int l = tcp_listener();
  int c = tcp_connect(port_of(l));
  ::usleep(20000);
  int flags = ::fcntl(l, F_GETFL);
  run_every_view(l);
  EXPECT_EQ(::fcntl(l, F_GETFL), flags);
  int a = ::accept4(l, nullptr, nullptr, SOCK_NONBLOCK);
  EXPECT_GE(a, 0) << "the queued connection was taken: " << std::strerror(errno);
  // Nothing else was queued either.
  ::fcntl(l, F_SETFL, flags | O_NONBLOCK);
  EXPECT_LT(::accept(l, nullptr, nullptr), 0);
  ::close(a);
  ::close(c);
  ::close(l);
}

TEST(FilanNeverBlocks, FileOffsetUnchanged) {
  char tmpl[] = "/tmp/filan_off.XXXXXX";
  int f = ::mkstemp(tmpl);
  ASSERT_GE(f, 0);
  ASSERT_EQ(::write(f, "0123456789", 10), 10);
  ::lseek(f, 3, SEEK_SET);
  run_every_view(f);
  EXPECT_EQ(::lseek(f, 0, SEEK_CUR), 3);
  ::close(f);
  ::unlink(tmpl);
}

// ---- bad input ----

TEST(FilanBadInput, ClosedFdIsOneLineAndExit1) {
  FilanRun r = run_filan({"-i", "987"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("fd 987"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(FilanBadInput, DeadPid) {
  pid_t p = ::fork();
  if (p == 0) ::_exit(0);
  ::waitpid(p, nullptr, 0);
  FilanRun r = run_filan({"-p", std::to_string(p)});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no such process"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  FilanRun d = run_filan({"-p", std::to_string(p), "-i", "0"});
  EXPECT_EQ(d.status, 1);
}

TEST(FilanBadInput, ClosedFdOfOtherProcess) {
  FilanRun r = run_filan({"-p", std::to_string(::getpid()), "-i", "988"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("988"), std::string::npos) << r.err;
}

TEST(FilanBadInput, MissingPath) {
  FilanRun r = run_filan({"-f", "/nonexistent/filan/path"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("/nonexistent/filan/path"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("No such file"), std::string::npos) << r.err;
}

TEST(FilanBadInput, UsageErrorsExit2) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"-i", "abc"}, {"--bogus"}, {"-p", "0"}, {"-s", "--json"}, {"-T", "-1"}}) {
    FilanRun r = run_filan(args);
    EXPECT_EQ(r.status, 2) << args[0] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(FilanBadInput, NoPermissionForAnotherUsersProcess) {
  if (!is_root()) GTEST_SKIP() << "needs root to run filan as another user";
  FilanRun r = run_filan({"-p", "1"}, 65534);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.err.find("pid 1"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(FilanBadInput, HelpAndVersionExit0) {
  FilanRun h = run_filan({"--help"});
  EXPECT_EQ(h.status, 0);
  EXPECT_NE(h.out.find("--audit"), std::string::npos);
  FilanRun v = run_filan({"-V"});
  EXPECT_EQ(v.status, 0);
  EXPECT_NE(v.out.find("filan"), std::string::npos);
}

TEST(FilanFile, DescribesFifoWithoutOpeningIt) {
  char tmpl[] = "/tmp/filan_f.XXXXXX";
  ASSERT_TRUE(::mkdtemp(tmpl));
  std::string fifo = std::string(tmpl) + "/fifo", link = std::string(tmpl) + "/link";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ASSERT_EQ(::symlink(fifo.c_str(), link.c_str()), 0);
  FilanRun r = run_filan({"-f", fifo, "--json"}, std::nullopt, 10000);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("fds").at(0).at("kind"), "fifo");
  FilanRun l = run_filan({"-f", link, "--json"});
  EXPECT_EQ(json::parse(l.out).at("fds").at(0).at("kind"), "symlink");
  FilanRun f = run_filan({"-f", link, "-L", "--json"});
  EXPECT_EQ(json::parse(f.out).at("fds").at(0).at("kind"), "fifo");
  ::unlink(link.c_str());
  ::unlink(fifo.c_str());
  ::rmdir(tmpl);
}

// ---- audit ----

TEST(FilanAudit, FlagsEachRiskWithOneLine) {
  char tmpl[] = "/tmp/filan_audit.XXXXXX";
  ASSERT_TRUE(::mkdtemp(tmpl));
  std::string dir = tmpl;
  int wild = tcp_listener(4, INADDR_ANY);
  int deleted = ::open((dir + "/gone").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_EQ(::unlink((dir + "/gone").c_str()), 0);
  int ul = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::strcpy(un.sun_path, (dir + "/open.sock").c_str());
  ASSERT_EQ(::bind(ul, reinterpret_cast<sockaddr*>(&un), sizeof(un)), 0);
  ASSERT_EQ(::chmod(un.sun_path, 0777), 0);
  ASSERT_EQ(::listen(ul, 1), 0);
  int ab = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un an{};
  an.sun_family = AF_UNIX;
  std::string name = "filan-audit-" + std::to_string(::getpid());
  std::memcpy(an.sun_path + 1, name.data(), name.size());
  ASSERT_EQ(::bind(ab, reinterpret_cast<sockaddr*>(&an),
                   static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())),
            0);
  ASSERT_EQ(::listen(ab, 1), 0);
  int safe = ::open("/dev/null", O_RDONLY | O_CLOEXEC);

  FilanRun r = run_filan({"-p", std::to_string(::getpid()), "--audit"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto has = [&](int fd, const std::string& check) {
    return r.out.find("fd " + std::to_string(fd) + ": " + check + ": ") != std::string::npos;
  };
  EXPECT_TRUE(has(wild, "no-cloexec")) << r.out;
  EXPECT_TRUE(has(wild, "wildcard-listener")) << r.out;
  EXPECT_TRUE(has(deleted, "deleted-file")) << r.out;
  EXPECT_FALSE(has(deleted, "no-cloexec")) << r.out;
  EXPECT_TRUE(has(ul, "world-connectable")) << r.out;
  EXPECT_TRUE(has(ab, "world-connectable")) << r.out;
  EXPECT_EQ(r.out.find("fd " + std::to_string(safe) + ":"), std::string::npos) << r.out;

  FilanRun j = run_filan({"-p", std::to_string(::getpid()), "--audit", "--json"});
  ASSERT_EQ(j.status, 0) << j.err;
  json doc = json::parse(j.out);
  bool found = false;
  for (const auto& f : doc.at("audit"))
    if (f.at("fd") == wild && f.at("check") == "wildcard-listener") found = true;
  EXPECT_TRUE(found) << doc.at("audit").dump();
  for (int fd : {wild, deleted, ul, ab, safe}) ::close(fd);
  ::unlink(un.sun_path);
  ::rmdir(tmpl);
}

}  // namespace
