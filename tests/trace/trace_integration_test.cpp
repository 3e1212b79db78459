// Integration tests of the trace binary: they load the real BPF programs
// (skipped unless root with kernel BTF), run tests/trace/trace_child under
// trace, and check the output in text, JSON, dump and pcapng form, the -c
// summary, -f, the syscall filter, the error paths, and that a flood into a
// tiny ring buffer reports its drops instead of hiding them.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

const std::string kTrace = std::string(FDSCOPE_BIN_DIR) + "/trace";
const std::string kChild = std::string(FDSCOPE_TEST_BIN_DIR) + "/trace_child";

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/trace-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { (void)!system(("rm -rf '" + path_ + "'").c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Starts argv with stdout and stderr into the files out and err.
pid_t spawn_to_files(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  pid_t pid = fork();
  if (pid == 0) {
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// Runs argv with stdout/stderr into files; kills it after timeout_s.
RunResult run(const std::vector<std::string>& argv, const TempDir& dir, int timeout_s = 20) {
  static int seq = 0;
  std::string out = dir.path() + "/stdout" + std::to_string(seq);
  std::string err = dir.path() + "/stderr" + std::to_string(seq++);
  pid_t pid = spawn_to_files(argv, out, err);
  RunResult r;
  int st = 0;
  for (int i = 0; i < timeout_s * 100; i++) {
    if (waitpid(pid, &st, WNOHANG) == pid) {
      r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    usleep(10000);
  }
  if (r.exit_code < 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
  }
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

bool can_trace(std::string* why) {
  if (geteuid() != 0) {
    *why = "needs root to load BPF programs";
    return false;
  }
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    *why = "no kernel BTF at /sys/kernel/btf/vmlinux";
    return false;
  }
  return true;
}

#define SKIP_UNLESS_TRACEABLE()             \
  do {                                      \
    std::string why;                        \
    if (!can_trace(&why)) GTEST_SKIP() << why; \
  } while (0)

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream is(s);
  for (std::string l; std::getline(is, l);) v.push_back(l);
  return v;
}

std::string fmt_hex_byte(int c) {
  static const char* digits = "0123456789abcdef";
  return {digits[(c >> 4) & 15], digits[c & 15]};
}

bool has_line(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// A listening TCP socket on 127.0.0.1 and an ephemeral port that answers
// one connection's "ping" with "pong".
struct PongServer {
  int fd = -1;
  int port = 0;
  std::thread th;
  PongServer() {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin));
    socklen_t l = sizeof(sin);
    getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &l);
    port = ntohs(sin.sin_port);
    listen(fd, 4);
    th = std::thread([this] {
      int c = accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      char buf[16];
      if (read(c, buf, sizeof(buf)) == 4) (void)!write(c, "pong", 4);
      close(c);
    });
  }
  ~PongServer() {
    shutdown(fd, SHUT_RDWR);
    th.join();
    close(fd);
  }
};

}  // namespace

TEST(TraceCommand, PrintsKnownCallsLikeStraceAndPassesOnTheExitCode) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto r = run({kTrace, "-o", d.path() + "/out", "--", kChild, "files", d.path()}, d);
  std::string out = slurp(d.path() + "/out");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(has_line(out, "execve(\"" + kChild + "\"")) << out;
  std::string known = d.path() + "/known.txt";
  // The fd number depends on what the test runner leaves open: read it back.
  // AT_FDCWD names the working directory the child inherited, as strace -yy.
  const std::string at_cwd = "AT_FDCWD<" + std::filesystem::current_path().string() + ">";
  std::string open_line = "openat(" + at_cwd + ", \"" + known + "\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = ";
  size_t at = out.find(open_line);
  ASSERT_NE(at, std::string::npos) << out;
  std::string fd = out.substr(at + open_line.size(), out.find('<', at + open_line.size()) - at - open_line.size());
  EXPECT_TRUE(has_line(out, open_line + fd + "<" + known + ">\n")) << out;
  EXPECT_TRUE(has_line(out, "write(" + fd + "<" + known + ">, \"hello trace\\n\", 12) = 12")) << out;
  EXPECT_TRUE(has_line(out, "openat(" + at_cwd + ", \"/nonexistent/trace-test\", O_RDONLY) = -1 ENOENT (No such file or directory)")) << out;
  EXPECT_TRUE(has_line(out, "+++ exited with 3 +++")) << out;
  // The launch handshake (the child's read of the go-pipe) never shows.
  EXPECT_EQ(lines_of(out).front().rfind("execve(", 0), 0u) << out;
}

TEST(TraceCommand, JsonLinesCarrySyscallsErrnoAndExit) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto r = run({kTrace, "--json", "--", kChild, "files", d.path()}, d);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  bool saw_enoent = false, saw_write = false, saw_exit = false;
  for (const auto& l : lines_of(r.out)) {
    auto j = nlohmann::json::parse(l);  // every line is one JSON object
    ASSERT_TRUE(j.contains("event")) << l;
    if (j["event"] == "syscall" && j["syscall"] == "openat" && j["errno"] == "ENOENT") {
      saw_enoent = true;
      EXPECT_EQ(j["ret"], -1);
    }
    if (j["event"] == "syscall" && j["syscall"] == "write" && j["ret"] == 12) saw_write = true;
    if (j["event"] == "exit") {
      saw_exit = true;
      EXPECT_EQ(j["code"], 3);
    }
  }
  EXPECT_TRUE(saw_enoent && saw_write && saw_exit) << r.out;
}

TEST(TraceFilter, OnlySelectedSyscallsAreReported) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto r = run({kTrace, "-e", "trace=openat", "--", kChild, "files", d.path()}, d);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  for (const auto& l : lines_of(r.out)) {
    if (l.rfind("+++", 0) == 0) continue;
    EXPECT_EQ(l.rfind("openat(", 0), 0u) << l;
  }
  EXPECT_TRUE(has_line(r.out, "/nonexistent/trace-test")) << r.out;
}

TEST(TraceFilter, ClassesAreAccepted) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto r = run({kTrace, "-e", "trace=%network", "--", kChild, "files", d.path()}, d);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_FALSE(has_line(r.out, "openat(")) << r.out;
}

TEST(TraceErrors, UnknownSyscallIsAUsageError) {
  TempDir d;
  auto r = run({kTrace, "-e", "trace=opne", "--", "/bin/true"}, d);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has_line(r.err, "opne")) << r.err;
  EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
}

TEST(TraceErrors, DeadPidIsARuntimeError) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  pid_t p = fork();
  if (p == 0) _exit(0);
  waitpid(p, nullptr, 0);
  auto r = run({kTrace, "-p", std::to_string(p)}, d);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_line(r.err, "no such process")) << r.err;
}

TEST(TraceErrors, NothingToTraceIsAUsageError) {
  TempDir d;
  auto r = run({kTrace}, d);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
}

TEST(TraceNetwork, ConnectShowsAddressesAndDecoratedFd) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  PongServer srv;
  auto r = run({kTrace, "-e", "trace=connect,write,read", "--", kChild, "connect",
                std::to_string(srv.port)}, d);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string port = std::to_string(srv.port);
  EXPECT_TRUE(has_line(r.out, "sin_port=htons(" + port + "), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0")) << r.out;
  EXPECT_TRUE(has_line(r.out, "->127.0.0.1:" + port + "]>, \"ping\", 4)")) << r.out;
  EXPECT_TRUE(has_line(r.out, "\"pong\", 16)")) << r.out;
}

TEST(TraceNetwork, PcapngOpensInTshark) {
  SKIP_UNLESS_TRACEABLE();
  if (system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  TempDir d;
  PongServer srv;
  std::string pcap = d.path() + "/t.pcapng";
  auto r = run({kTrace, "-o", "/dev/null", "-w", pcap, "--", kChild, "connect",
                std::to_string(srv.port)}, d);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string cmd = "tshark -r " + pcap + " -T fields -e tcp.payload -e tcp.dstport 2>&1 > " +
                    d.path() + "/tshark.txt";
  ASSERT_EQ(system(cmd.c_str()), 0);
  std::string t = slurp(d.path() + "/tshark.txt");
  EXPECT_TRUE(has_line(t, "70696e67\t" + std::to_string(srv.port))) << t;  // "ping" to the server
  EXPECT_TRUE(has_line(t, "706f6e67")) << t;                               // "pong" back
}

TEST(TraceDump, HexDumpHasSocatHeaderAndBytes) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto r = run({kTrace, "-x", "-e", "trace=write", "--", kChild, "files", d.path()}, d);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(has_line(r.out, "length=12 from=0 to=11")) << r.out;
  EXPECT_TRUE(has_line(r.out, " 68 65 6c 6c 6f 20 74 72 61 63 65 0a")) << r.out;
}

// The JSON data events of the "vectors" child, in order.
std::vector<nlohmann::json> data_events(const std::string& out) {
  std::vector<nlohmann::json> v;
  for (const auto& l : lines_of(out)) {
    auto j = nlohmann::json::parse(l, nullptr, false);
    if (!j.is_discarded() && j.value("event", "") == "data") v.push_back(j);
  }
  return v;
}

TEST(TraceDump, EveryIovecOfReadvWritevSendmsgIsCaptured) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto r = run({kTrace, "--json", "-x", "-s", "4096", "-e", "trace=writev,readv,sendmsg,recvmsg",
                "--", kChild, "vectors", "-"}, d);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto ev = data_events(r.out);
  ASSERT_EQ(ev.size(), 4u) << r.out;
  std::string letters;  // "aaabbb...ttt" in hex
  for (int i = 0; i < 20; i++)
    for (int k = 0; k < 3; k++) letters += fmt_hex_byte('a' + i);
  // writev: 20 iovecs, all 60 bytes (more iovecs than any fixed unroll).
  EXPECT_EQ(ev[0]["direction"], "out");
  EXPECT_EQ(ev[0]["captured"], 60);
  EXPECT_EQ(ev[0]["hex"], letters);
  EXPECT_EQ(ev[0]["iov_len"], nlohmann::json(std::vector<int>(20, 3)));
  // readv into 12 iovecs of 5.
  EXPECT_EQ(ev[1]["direction"], "in");
  EXPECT_EQ(ev[1]["hex"], letters);
  EXPECT_EQ(ev[1]["iov_len"], nlohmann::json(std::vector<int>(12, 5)));
  // sendmsg of 16 iovecs of 2, recvmsg into one of 64.
  std::string pairs;
  for (int i = 0; i < 16; i++) pairs += fmt_hex_byte('A' + i) + fmt_hex_byte('A' + i);
  EXPECT_EQ(ev[2]["hex"], pairs);
  EXPECT_EQ(ev[2]["iov_len"], nlohmann::json(std::vector<int>(16, 2)));
  EXPECT_EQ(ev[3]["hex"], pairs);
  EXPECT_EQ(ev[3]["iov_len"], nlohmann::json(std::vector<int>{64}));
}

TEST(TraceDump, EachSendmmsgRecvmmsgMessageIsCaptured) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto r = run({kTrace, "--json", "-x", "-e", "trace=sendmmsg,recvmmsg", "--", kChild, "vectors",
                "-"}, d);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto ev = data_events(r.out);
  ASSERT_EQ(ev.size(), 6u) << r.out;
  const char* msgs[] = {"first", "second!", "third-msg"};
  for (size_t i = 0; i < 6; i++) {
    std::string want;
    for (const char* c = msgs[i % 3]; *c; c++) want += fmt_hex_byte(*c);
    EXPECT_EQ(ev[i]["direction"], i < 3 ? "out" : "in") << i;
    EXPECT_EQ(ev[i]["length"], std::string(msgs[i % 3]).size()) << i;
    EXPECT_EQ(ev[i]["hex"], want) << i;
  }
  EXPECT_EQ(ev[1]["iov_len"], nlohmann::json(std::vector<int>{3, 4}));
  EXPECT_EQ(ev[4]["iov_len"], nlohmann::json(std::vector<int>{16}));
  // A dump offset runs on across the messages of one call.
  EXPECT_EQ(ev[2]["offset"], 12);
}

// Without -T (no entry times shown) only the exit side is hooked and the
// arguments come from the saved registers; with -T both sides are hooked.
// The lines must be the same apart from the durations.
TEST(TraceHooks, ExitOnlyLinesMatchBothHooks) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  const std::vector<std::string> calls = {"-e", "trace=openat,write,close,exit_group,writev,sendmmsg"};
  std::vector<std::string> a = {kTrace}, b = {kTrace, "-T"};
  for (const auto& c : calls) {
    a.push_back(c);
    b.push_back(c);
  }
  for (auto* v : {&a, &b}) {
    v->push_back("--");
    v->push_back(kChild);
  }
  auto files_a = a, files_b = b;
  for (auto* v : {&files_a, &files_b}) {
    v->push_back("files");
    v->push_back(d.path());
  }
  auto ra = run(files_a, d), rb = run(files_b, d);
  ASSERT_EQ(ra.exit_code, 3) << ra.err;
  ASSERT_EQ(rb.exit_code, 3) << rb.err;
  auto strip = [](std::string text) {
    std::string out;
    for (auto l : lines_of(text)) {
      auto lt = l.rfind(" <");
      if (lt != std::string::npos && l.back() == '>' && l.find("= ", 0) < lt) l.erase(lt);
      while (!l.empty() && l.back() == ' ') l.pop_back();
      out += l + "\n";
    }
    return out;
  };
  EXPECT_EQ(strip(ra.out), strip(rb.out));
  EXPECT_TRUE(has_line(ra.out, "exit_group(3)")) << ra.out;
  EXPECT_TRUE(has_line(ra.out, "write(3</")) << ra.out;
}

// Does the embedded reduced BTF describe the running kernel?  (The .id file
// fdscope_bpf_min_btf wrote at build time: release, version, BTF size.)
bool reduced_btf_fits_this_kernel() {
  std::string id = slurp(FDSCOPE_TRACE_MIN_BTF_ID);
  struct utsname u;
  struct stat st;
  if (id.empty() || uname(&u) != 0 || stat("/sys/kernel/btf/vmlinux", &st) != 0) return false;
  return id == std::string(u.release) + "\n" + u.version + "\n" + std::to_string(st.st_size) + "\n";
}

// The embedded reduced BTF (CO-RE) with attach ids from the raw BTF walk
// loads every kind of program trace has (raw enter/exit hooks, fork, exit,
// TCP) and gives the same lines as libbpf's own parse of the kernel BTF,
// forced with FDSCOPE_TRACE_STOCK_BTF.  FDSCOPE_TRACE_DEBUG shows which path
// ran, and libbpf's own messages show whether it read the full BTF.
TEST(TraceKernelBtf, ReducedAndStockBtfGiveTheSameLines) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto args = [&](bool stock) {
    std::vector<std::string> v = {"/usr/bin/env", "-u", "FDSCOPE_TRACE_STOCK_BTF", "FDSCOPE_TRACE_DEBUG=1"};
    if (stock) v.push_back("FDSCOPE_TRACE_STOCK_BTF=1");
    v.push_back(kTrace);
    for (const char* a : {"-T", "-f", "--tcp", "--hook", "raw", "-e",
                          "trace=openat,write,close,exit_group,writev,sendmmsg", "--"})
      v.push_back(a);
    v.push_back(kChild);
    v.push_back("files");
    v.push_back(d.path());
    return v;
  };
  auto fast = run(args(false), d), stock = run(args(true), d);
  ASSERT_EQ(fast.exit_code, 3) << fast.err.substr(0, 4000);
  ASSERT_EQ(stock.exit_code, 3) << stock.err.substr(0, 4000);
  const std::string kernel_parse = "loading kernel BTF '/sys/kernel/btf/vmlinux'";
  if (reduced_btf_fits_this_kernel()) {
    EXPECT_TRUE(has_line(fast.err, "trace: kernel BTF: reduced (embedded)\n"));
    EXPECT_FALSE(has_line(fast.err, kernel_parse));
  } else {
    EXPECT_TRUE(has_line(fast.err, "trace: kernel BTF: stock"));
  }
  EXPECT_TRUE(has_line(stock.err, "trace: kernel BTF: stock"));
  EXPECT_TRUE(has_line(stock.err, kernel_parse));
  auto strip = [](std::string text) {  // without the -T durations and pids
    std::string out;
    for (auto l : lines_of(text)) {
      if (l.rfind("[pid ", 0) == 0) l.erase(0, l.find(']') + 1);
      auto lt = l.rfind(" <");
      if (lt != std::string::npos && l.back() == '>' && l.find("= ", 0) < lt) l.erase(lt);
      out += l + "\n";
    }
    return out;
  };
  EXPECT_EQ(strip(fast.out), strip(stock.out));
  EXPECT_TRUE(has_line(fast.out, "exit_group(3)")) << fast.out;
  EXPECT_TRUE(has_line(fast.out, "write(3</")) << fast.out;
  EXPECT_TRUE(has_line(fast.out, "+++ exited with 3 +++")) << fast.out;
}

TEST(TraceSummary, CountsEveryCallInTheKernel) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto r = run({kTrace, "-c", "--json", "--", kChild, "flood", "20000"}, d);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(lines_of(r.out).back());
  ASSERT_EQ(j["event"], "summary");
  bool found = false;
  for (const auto& s : j["syscalls"]) {
    if (s["syscall"] == "getppid") {
      found = true;
      EXPECT_EQ(s["calls"], 20000);
      EXPECT_EQ(s["errors"], 0);
      EXPECT_GT(s["p99_us"].get<double>(), 0.0);
      EXPECT_GE(s["p99_us"].get<double>(), s["p50_us"].get<double>());
    }
  }
  EXPECT_TRUE(found) << r.out;
  auto t = run({kTrace, "-c", "--", kChild, "flood", "100"}, d);
  EXPECT_TRUE(has_line(t.out, "getppid")) << t.out;
  EXPECT_TRUE(has_line(t.out, "p99 usecs")) << t.out;
}

// Starts trace on a flood, stops the tracer (SIGSTOP) for a moment so its
// tiny ring buffer must overflow, then lets it finish.
RunResult run_stalled(const std::vector<std::string>& argv, const TempDir& d) {
  std::string out = d.path() + "/flood.out", err = d.path() + "/flood.err";
  pid_t pid = spawn_to_files(argv, out, err);
  usleep(400 * 1000);
  kill(pid, SIGSTOP);
  usleep(300 * 1000);
  kill(pid, SIGCONT);
  RunResult r;
  int st = 0;
  for (int i = 0; i < 3000 && r.exit_code < 0; i++) {
    if (waitpid(pid, &st, WNOHANG) == pid) r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    else usleep(10000);
  }
  if (r.exit_code < 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
  }
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

TEST(TraceFlood, DropsAreReportedNotHidden) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto r = run_stalled({kTrace, "--buffer-size", "4k", "-o", "/dev/null", "--", kChild, "flood",
                        "1000000"}, d);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_line(r.err, "events lost")) << r.err;
  auto j = run_stalled({kTrace, "--json", "--buffer-size", "4k", "--", kChild, "flood", "1000000"}, d);
  auto last = nlohmann::json::parse(lines_of(j.out).back());
  EXPECT_EQ(last["event"], "lost");
  EXPECT_GT(last["count"].get<uint64_t>(), 0u);
}

TEST(TraceFollow, ForkedChildIsTracedWithFollow) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  auto r = run({kTrace, "-f", "-e", "trace=openat", "--", kChild, "fork", d.path()}, d);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_line(r.out, "/child.txt\"")) << r.out;
  auto n = run({kTrace, "-e", "trace=openat", "--", kChild, "fork", d.path()}, d);
  EXPECT_FALSE(has_line(n.out, "/child.txt\"")) << n.out;
}

TEST(TraceAttach, AttachesToARunningProcess) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  // A shell that opens a file once a tick until killed.
  pid_t p = fork();
  if (p == 0) {
    execl("/bin/sh", "sh", "-c", "while :; do cat /etc/hostname >/dev/null; sleep 0.05; done",
          nullptr);
    _exit(127);
  }
  std::thread killer([p] {
    usleep(1500 * 1000);
    kill(p, SIGTERM);
  });
  auto r = run({kTrace, "-f", "-e", "trace=openat", "-p", std::to_string(p)}, d);
  killer.join();
  waitpid(p, nullptr, 0);
  EXPECT_TRUE(has_line(r.out, "\"/etc/hostname\"")) << r.out << r.err;
}

TEST(TraceNetwork, TcpStateChangesOfTheTracedSocketOnly) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  PongServer srv;
  auto r = run({kTrace, "--tcp", "--json", "-e", "trace=connect", "--", kChild, "connect",
                std::to_string(srv.port)}, d);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  bool established = false;
  for (const auto& l : lines_of(r.out)) {
    auto j = nlohmann::json::parse(l);
    if (j["event"] != "tcp_state") continue;
    // Only the child's own socket (remote = the server), never the server's
    // side, although on loopback both change state in the child's context.
    EXPECT_EQ(j["remote"], "127.0.0.1:" + std::to_string(srv.port)) << l;
    if (j["old"] == "SYN_SENT" && j["new"] == "ESTABLISHED") established = true;
  }
  EXPECT_TRUE(established) << r.out;
}

TEST(TraceUsdt, RelayTransferBlocksThroughItsProbes) {
  SKIP_UNLESS_TRACEABLE();
  const std::string relay = std::string(FDSCOPE_BIN_DIR) + "/relay";
  if (access(relay.c_str(), X_OK) != 0) GTEST_SKIP() << "relay not built";
  if (system(("readelf -n " + relay + " 2>/dev/null | grep -q 'Provider: relay'").c_str()) != 0)
    GTEST_SKIP() << "relay built without USDT probes";
  TempDir d;
  std::string in = d.path() + "/in", out = d.path() + "/out";
  {
    std::ofstream f(in);
    f << "hello usdt\n";
  }
  // relay copies the file to another; trace shows the engine's probes.
  std::string cmd = kTrace + " --usdt --json -- " + relay + " -u OPEN:" + in + " OPEN:" + out +
                    ",create > " + d.path() + "/trace.out 2>" + d.path() + "/trace.err";
  int rc = system(cmd.c_str());
  if (slurp(out) != "hello usdt\n") GTEST_SKIP() << "relay could not copy a file: " << slurp(d.path() + "/trace.err");
  EXPECT_EQ(WEXITSTATUS(rc), 0);
  uint64_t moved = 0;
  for (const auto& l : lines_of(slurp(d.path() + "/trace.out"))) {
    auto j = nlohmann::json::parse(l);
    if (j["event"] == "relay" && j["probe"] == "transfer") moved += j["bytes"].get<uint64_t>();
  }
  EXPECT_EQ(moved, 11u) << slurp(d.path() + "/trace.out");
}

TEST(TraceStack, StacksOfALiveProcessAreSymbolised) {
  SKIP_UNLESS_TRACEABLE();
  TempDir d;
  pid_t p = fork();
  if (p == 0) {
    execl("/bin/sh", "sh", "-c", "while :; do sleep 0.05; done", nullptr);
    _exit(127);
  }
  std::thread killer([p] {
    usleep(1200 * 1000);
    kill(p, SIGTERM);
  });
  auto r = run({kTrace, "-k", "-e", "trace=wait4", "-p", std::to_string(p)}, d);
  killer.join();
  waitpid(p, nullptr, 0);
  // The shell waits for each sleep through libc's wait4 wrapper.
  EXPECT_TRUE(has_line(r.out, "wait4(")) << r.out << r.err;
  EXPECT_TRUE(has_line(r.out, " > ")) << r.out;
  EXPECT_TRUE(has_line(r.out, "libc.so")) << r.out;
}

TEST(TraceErrors, MissingPrivilegesIsOneClearLine) {
  SKIP_UNLESS_TRACEABLE();  // root, so we can drop to nobody
  if (system("command -v setpriv >/dev/null 2>&1") != 0) GTEST_SKIP() << "setpriv not installed";
  TempDir d;
  chmod(d.path().c_str(), 0777);
  auto r = run({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", kTrace,
                "--", "/bin/true"}, d);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
  EXPECT_TRUE(has_line(r.err, "needs root")) << r.err;
}
