// procan command-line tests: options, exit codes (0 ok, 1 runtime error,
// 2 usage), one clear line for bad pids (dead, invalid, a thread id, hidden
// by a hidepid mount), the compile-time section (-c) and deterministic output.
#include <gtest/gtest.h>

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <atomic>
#include <thread>

#include "procan_harness.hpp"

using namespace procan_test;

namespace {
size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }
}  // namespace

TEST(ProcanCli, HelpListsOptionsAndExitsZero) {
  auto r = run_procan({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* opt : {"-p", "--pid", "--json", "-c", "-V", "--version", "-h", "--help"})
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

TEST(ProcanCli, VersionExitsZero) {
  for (const char* opt : {"-V", "--version"}) {
    auto r = run_procan({opt});
    EXPECT_EQ(r.exit_code, 0) << opt;
    EXPECT_EQ(r.out.rfind("procan (fdscope) ", 0), 0u) << r.out;
    EXPECT_EQ(lines(r.out), 1u);
  }
}

TEST(ProcanCli, InvalidPidsAreUsageErrorsNamingTheArgument) {
  for (const char* bad : {"abc", "0", "12abc", "", "99999999999"}) {
    auto r = run_procan({"-p", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << bad;
    EXPECT_EQ(lines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(fmt::format("\"{}\"", bad)), std::string::npos) << r.err;
  }
  auto neg = run_procan({"-p", "-5"});
  EXPECT_EQ(neg.exit_code, 2) << neg.err;
  EXPECT_EQ(lines(neg.err), 1u) << neg.err;
}

TEST(ProcanCli, UnknownOptionIsUsageError) {
  auto r = run_procan({"--frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("--frobnicate"), std::string::npos) << r.err;
}

TEST(ProcanCli, DeadPidIsOneLineAndExitOne) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  int st;
  ASSERT_EQ(waitpid(child, &st, 0), child);
  auto r = run_procan({"-p", std::to_string(child)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(r.err, fmt::format("procan: pid {}: No such process\n", child));
}

TEST(ProcanCli, ThreadIdIsRefusedWithAReason) {
  std::atomic<pid_t> tid{0};
  std::atomic<bool> done{false};
  std::thread th([&] {
    tid = static_cast<pid_t>(syscall(SYS_gettid));
    while (!done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  while (tid == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto r = run_procan({"-p", std::to_string(tid.load())});
  done = true;
  th.join();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("thread"), std::string::npos) << r.err;
}

TEST(ProcanCli, HidepidMountGivesOneClearLine) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a private /proc";
  std::string me = std::to_string(getpid());
  auto r = run_procan({"-p", me}, [] {
    return unshare(CLONE_NEWNS) == 0 && mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
           mount("proc", "/proc", "proc", 0, "hidepid=2") == 0 && setgroups(0, nullptr) == 0 &&
           setresgid(65534, 65534, 65534) == 0 && setresuid(65534, 65534, 65534) == 0;
  });
  if (r.exit_code == 99) GTEST_SKIP() << "cannot mount proc with hidepid here: " << r.err;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("hidepid"), std::string::npos) << r.err;
}

TEST(ProcanCli, CompileTimeSectionOnly) {
  auto r = run_procan({"-c"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.has_line("#define FD_SETSIZE 1024")) << r.out;
  EXPECT_TRUE(r.has_line("#define SOCK_STREAM 1"));
  EXPECT_TRUE(r.has_line("C TYPE SIZES"));
  EXPECT_TRUE(r.has_line(fmt::format("sizeof(int)       = {}", sizeof(int))));
  EXPECT_EQ(r.out.find("process id"), std::string::npos);
  EXPECT_EQ(r.out.find("Resource limits"), std::string::npos);
  auto j = run_procan({"-c", "--json"});
  ASSERT_EQ(j.exit_code, 0);
  auto doc = j.json();
  EXPECT_EQ(doc["defines"]["FD_SETSIZE"], 1024);
  EXPECT_EQ(doc["type_sizes"]["long"], sizeof(long));
  EXPECT_FALSE(doc.contains("pid"));
  EXPECT_EQ(run_procan({"-c", "-p", "1"}).exit_code, 2);
}

TEST(ProcanCli, SelfReportHasSocatLinesInSocatOrder) {
  auto r = run_procan({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;  // nothing unavailable about itself
  const char* order[] = {"process id = ", "process parent id = ", "controlling terminal: ", "process group id = ",
                         "process session id = ", "process group id if fg process / stdin = ", "user id  = ",
                         "effective user id  = ", "group id = ", "effective group id = ", "/* Resource limits */",
                         "cpu time (seconds)", "SIZE_MAX", "C TYPE SIZES", "IP INTERFACES"};
  size_t pos = 0;
  for (const char* want : order) {
    size_t at = r.out.find(want, pos);
    ASSERT_NE(at, std::string::npos) << "missing or out of order: " << want << "\n" << r.out;
    pos = at;
  }
  EXPECT_TRUE(r.has_line(fmt::format("process parent id = {}", getpid()))) << r.out;
  auto j = run_procan({"--json"}).json();
  EXPECT_EQ(j["self"], true);
  auto pretty = run_procan({"--json", "--pretty"});
  EXPECT_GT(lines(pretty.out), 100u);
  EXPECT_EQ(pretty.json()["self"], true);
  EXPECT_EQ(j["complete"], true) << j["unavailable"];
}

// Whether pid reached its sleep within a few seconds: a target that has
// just exec'd may still be running its start-up (state R), which procan
// reports.
bool sleeping_soon(pid_t pid) {
  for (int i = 0; i < 500; ++i) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t paren = stat.rfind(')');
    if (paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'S') return true;
    ::usleep(10000);
  }
  return false;
}

TEST(ProcanCli, OutputIsDeterministicForAnIdleProcess) {
  Target t;
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_TRUE(sleeping_soon(t.pid())) << "target never went to sleep";
  std::string p = std::to_string(t.pid());
  auto a = run_procan({"-p", p}), b = run_procan({"-p", p});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  auto ja = run_procan({"-p", p, "--json"}), jb = run_procan({"-p", p, "--json"});
  EXPECT_EQ(ja.out, jb.out);
}

TEST(ProcanCli, ZombieIsNamedAndReportedPartially) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  // Wait until it is a zombie, without reaping it.
  siginfo_t si{};
  ASSERT_EQ(waitid(P_PID, static_cast<id_t>(child), &si, WEXITED | WNOWAIT), 0);
  auto r = run_procan({"-p", std::to_string(child)});
  auto j = run_procan({"-p", std::to_string(child), "--json"});
  int st;
  waitpid(child, &st, 0);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.has_line("state = Z (zombie: exited, not yet reaped by its parent)")) << r.out;
  EXPECT_NE(r.err.find("partial result"), std::string::npos) << r.err;
  auto doc = j.json();
  EXPECT_EQ(doc["ids"]["state"], "Z");
  EXPECT_EQ(doc["complete"], false);
  EXPECT_TRUE(doc["paths"]["exe"].is_null());
}

TEST(ProcanCli, ProcRootReadsAFixtureTree) {
  TempDir dir;
  std::string d = dir.path() + "/77";
  ASSERT_EQ(mkdir(d.c_str(), 0755), 0);
  auto put = [&](const char* name, const std::string& text) {
    FILE* f = fopen((d + "/" + name).c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs(text.c_str(), f);
    fclose(f);
  };
  put("stat", "77 (fixture) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
  put("status", "Umask:\t0077\nUid:\t5\t6\t7\t8\nGid:\t9\t9\t9\t9\nGroups:\t\n");
  auto r = run_procan({"--proc-root", dir.path(), "-p", "77"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.has_line("process id = 77")) << r.out;
  EXPECT_TRUE(r.has_line("saved set-user id  = 7")) << r.out;
  EXPECT_TRUE(r.has_line("umask = 077")) << r.out;
  // Files the fixture lacks are unavailable with ENOENT, not invented.
  EXPECT_NE(r.out.find("cwd = unavailable (ENOENT: readlink " + d + "/cwd"), std::string::npos) << r.out;
  EXPECT_EQ(run_procan({"--proc-root", dir.path()}).exit_code, 2);
  EXPECT_EQ(run_procan({"--proc-root", dir.path(), "-p", "78"}).exit_code, 1);
}
