// procan integration tests: each test sets a known condition (resource limits,
// supplementary groups, another uid, no_new_privs, a seccomp filter, new net
// and mount namespaces, a umask, a controlling pty, extra fds) and checks the
// field procan reports against it, in text and JSON, both for procan itself
// (the condition is set in the child before exec) and via -p on a target
// process started under the same condition.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pty.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "procan_harness.hpp"

using namespace procan_test;

namespace {

enum class Mode { self, pid };

std::string mode_name(const ::testing::TestParamInfo<Mode>& i) { return i.param == Mode::self ? "Self" : "ViaPid"; }

class Conditions : public ::testing::TestWithParam<Mode> {
 protected:
  // Runs procan in text and JSON form on a process under setup().
  void observe(const ChildSetup& setup) {
    if (GetParam() == Mode::self) {
      text_ = run_procan({}, setup);
      json_ = run_procan({"--json"}, setup);
      if (text_.exit_code == 99) GTEST_SKIP() << "cannot set up the condition here: " << text_.err;
      text_pid_ = text_.pid;
      json_pid_ = json_.pid;
    } else {
      target_ = std::make_unique<Target>(setup);
      if (!target_->ok()) GTEST_SKIP() << "cannot set up the condition here: " << target_->error();
      std::string p = std::to_string(target_->pid());
      text_ = run_procan({"-p", p});
      json_ = run_procan({"-p", p, "--json"});
      text_pid_ = json_pid_ = target_->pid();
    }
    ASSERT_EQ(text_.exit_code, 0) << text_.err;
    ASSERT_EQ(json_.exit_code, 0) << json_.err;
    ASSERT_NO_THROW(j_ = json_.json()) << json_.out;
    ASSERT_TRUE(text_.has_line(fmt::format("process id = {}", text_pid_))) << text_.out;
    ASSERT_EQ(j_["pid"], json_pid_);
  }

  ProcanRun text_, json_;
  pid_t text_pid_ = 0, json_pid_ = 0;
  nlohmann::json j_;
  std::unique_ptr<Target> target_;
};

std::string own_comm() {
  std::string c;
  if (FILE* f = fopen("/proc/self/comm", "r")) {
    char buf[64];
    if (fgets(buf, sizeof buf, f)) c = buf;
    fclose(f);
  }
  if (!c.empty() && c.back() == '\n') c.pop_back();
  return c;
}

std::string limit_row(const char* label, const std::string& soft, const std::string& hard) {
  return fmt::format("{:<24}{:>24}{:>24}", label, soft, hard);
}

}  // namespace

TEST_P(Conditions, ResourceLimitsSetBeforeExecAreReportedWithRealUnits) {
  ASSERT_NO_FATAL_FAILURE(observe([] {
    struct rlimit nofile{100, 200}, fsize{1048576, 2097152}, rttime{1000000, 2000000}, msgq{4096, 8192};
    return setrlimit(RLIMIT_NOFILE, &nofile) == 0 && setrlimit(RLIMIT_FSIZE, &fsize) == 0 &&
           setrlimit(RLIMIT_RTTIME, &rttime) == 0 && setrlimit(RLIMIT_MSGQUEUE, &msgq) == 0;
  }));
  EXPECT_TRUE(text_.has_line(limit_row("open files", "100", "200"))) << text_.out;
  EXPECT_TRUE(text_.has_line(limit_row("file size (bytes)", "1048576", "2097152"))) << text_.out;
  EXPECT_TRUE(text_.has_line(limit_row("realtime timeout (us)", "1000000", "2000000"))) << text_.out;
  EXPECT_TRUE(text_.has_line(limit_row("msgqueue size (bytes)", "4096", "8192"))) << text_.out;
  EXPECT_EQ(j_["limits"]["nofile"]["soft"], 100);
  EXPECT_EQ(j_["limits"]["nofile"]["hard"], 200);
  EXPECT_EQ(j_["limits"]["fsize"]["soft"], 1048576);
  EXPECT_EQ(j_["limits"]["fsize"]["unit"], "bytes");
  EXPECT_EQ(j_["limits"]["rttime"]["hard"], 2000000);
  EXPECT_EQ(j_["limits"]["msgqueue"]["soft"], 4096);
  EXPECT_EQ(j_["limits"].size(), 16u);
}

TEST_P(Conditions, GroupsAndAnotherUidAreReportedExactly) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to change ids";
  ASSERT_NO_FATAL_FAILURE(observe([] {
    gid_t groups[] = {4, 24, 1234};
    // real != effective uid makes the exec "secure" and the process
    // non-dumpable; sanitizer builds of procan turn LeakSanitizer off for
    // such a run themselves (see __lsan_default_options in procan/main.cpp).
    return setgroups(3, groups) == 0 && setresgid(2000, 2001, 2002) == 0 && setresuid(1000, 1001, 1002) == 0;
  }));
  // execve copies the effective ids into the saved ones, so after exec the
  // saved ids equal the effective ids (1001 / 2001), as the kernel reports.
  for (const char* line : {"user id  = 1000", "effective user id  = 1001", "saved set-user id  = 1001",
                           "group id = 2000", "effective group id = 2001", "saved set-group id = 2001",
                           "fs user id = 1001", "fs group id = 2001", "supplementary groups = 4 24 1234"})
    EXPECT_TRUE(text_.has_line(line)) << line << "\n" << text_.out;
  // Dropping root without keepcaps clears the permitted and effective sets.
  EXPECT_TRUE(text_.has_line("effective   (CapEff) = 0x0000000000000000 (none)")) << text_.out;
  EXPECT_EQ(j_["credentials"]["uid"], (nlohmann::json{{"real", 1000}, {"effective", 1001}, {"saved", 1001}, {"fs", 1001}}));
  EXPECT_EQ(j_["credentials"]["gid"]["real"], 2000);
  EXPECT_EQ(j_["credentials"]["gid"]["saved"], 2001);
  EXPECT_EQ(j_["credentials"]["groups"], nlohmann::json::array({4, 24, 1234}));
  EXPECT_TRUE(j_["capabilities"]["permitted"]["names"].empty());
}

TEST_P(Conditions, NoNewPrivsIsReported) {
  ASSERT_NO_FATAL_FAILURE(observe([] { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0; }));
  EXPECT_TRUE(text_.has_line("no_new_privs = 1")) << text_.out;
  EXPECT_TRUE(text_.has_line("seccomp = disabled")) << text_.out;
  EXPECT_EQ(j_["security"]["no_new_privs"], true);
  EXPECT_EQ(j_["security"]["seccomp"], "disabled");
  EXPECT_EQ(j_["security"]["seccomp_filters"], 0);
}

TEST_P(Conditions, SeccompFilterModeAndCountAreReported) {
  ASSERT_NO_FATAL_FAILURE(observe([] {
    static struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    static struct sock_fprog prog = {1, allow};
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
           syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0;
  }));
  EXPECT_TRUE(text_.has_line("seccomp = filter")) << text_.out;
  EXPECT_TRUE(text_.has_line("seccomp filters = 1")) << text_.out;
  EXPECT_EQ(j_["security"]["seccomp"], "filter");
  EXPECT_EQ(j_["security"]["seccomp_filters"], 1);
  EXPECT_EQ(j_["security"]["no_new_privs"], true);
}

TEST_P(Conditions, NewNetAndMountNamespacesDifferFromParentAndPid1) {
  struct stat own_net, own_mnt;
  ASSERT_EQ(stat("/proc/self/ns/net", &own_net), 0);
  ASSERT_EQ(stat("/proc/self/ns/mnt", &own_mnt), 0);
  ASSERT_NO_FATAL_FAILURE(observe([] { return unshare(CLONE_NEWNET | CLONE_NEWNS) == 0; }));
  for (const char* type : {"net", "mnt"}) {
    const auto& ns = j_["namespaces"][type];
    ASSERT_TRUE(ns["inode"].is_number()) << ns;
    EXPECT_EQ(ns["differs_from_parent"], true) << type;
    // PID 1 may be unreadable (EACCES here): then unknown, never "same".
    EXPECT_NE(ns["differs_from_pid1"], false) << type;
  }
  EXPECT_NE(j_["namespaces"]["net"]["inode"], own_net.st_ino);
  EXPECT_NE(j_["namespaces"]["mnt"]["inode"], own_mnt.st_ino);
  EXPECT_EQ(j_["namespaces"]["uts"]["differs_from_parent"], false);
  if (GetParam() == Mode::pid) {
    struct stat sb;
    ASSERT_EQ(stat(fmt::format("/proc/{}/ns/net", target_->pid()).c_str(), &sb), 0);
    EXPECT_EQ(j_["namespaces"]["net"]["inode"], sb.st_ino);
  }
  std::string net_ino = to_string(j_["namespaces"]["net"]["inode"]);
  EXPECT_NE(text_.out.find("Network namespace: net:["), std::string::npos);
  auto row = text_.out.find("\nnet ");
  ASSERT_NE(row, std::string::npos) << text_.out;
  std::string line = text_.out.substr(row + 1, text_.out.find('\n', row + 1) - row - 1);
  EXPECT_NE(line.find("differs"), std::string::npos) << line;
  EXPECT_EQ(line.find("same"), std::string::npos) << line;
  // A fresh network namespace holds only the loopback interface.
  EXPECT_TRUE(text_.has_line(" 1: lo")) << text_.out;
  EXPECT_EQ(j_["interfaces"], nlohmann::json::parse(R"([{"index":1,"name":"lo"}])"));
}

TEST_P(Conditions, UmaskIsReported) {
  ASSERT_NO_FATAL_FAILURE(observe([] {
    umask(027);
    return true;
  }));
  EXPECT_TRUE(text_.has_line("umask = 027")) << text_.out;
  EXPECT_EQ(j_["credentials"]["umask"], "0027");
}

TEST_P(Conditions, ControllingTerminalIsTheRealPtyDevice) {
  int master = -1, slave = -1;
  char name[256];
  ASSERT_EQ(openpty(&master, &slave, name, nullptr, nullptr), 0);
  std::string tty = name;
  // The harness closes inherited fds, so the child opens the slave by name.
  ASSERT_NO_FATAL_FAILURE(observe([tty] {
    if (setsid() < 0) return false;
    int fd = open(tty.c_str(), O_RDWR);
    if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) != 0 || dup2(fd, 0) != 0) return false;
    if (fd != 0) close(fd);
    return true;
  }));
  close(slave);
  close(master);
  EXPECT_TRUE(text_.has_line(fmt::format("controlling terminal: \"{}\"", name))) << text_.out;
  EXPECT_TRUE(text_.has_line("process has a controlling terminal")) << text_.out;
  // The process leads its session and is the terminal's foreground group;
  // only fd 0 is the terminal.
  EXPECT_TRUE(text_.has_line(fmt::format("process group id if fg process / stdin = {}", text_pid_))) << text_.out;
  EXPECT_TRUE(text_.has_line("process group id if fg process / stdout = -1")) << text_.out;
  EXPECT_TRUE(text_.has_line(fmt::format("process session id = {}", text_pid_))) << text_.out;
  EXPECT_EQ(j_["ids"]["tty"], name);
  EXPECT_EQ(j_["ids"]["has_ctty"], true);
  EXPECT_EQ(j_["ids"]["fg_pgid"]["stdin"], json_pid_);
  EXPECT_EQ(j_["ids"]["sid"], json_pid_);
}

TEST_P(Conditions, OpenFdCountIsShownAgainstNofile) {
  ASSERT_NO_FATAL_FAILURE(observe([] {
    struct rlimit nofile{64, 64};
    if (setrlimit(RLIMIT_NOFILE, &nofile) != 0) return false;
    for (int i = 0; i < 10; ++i)
      if (open("/dev/null", O_RDONLY) < 0) return false;  // inherited across exec on purpose
    return true;
  }));
  // 0, 1, 2 and the ten extra fds (the harness closes whatever the test
  // runner passed down); procan's own reading fds are not counted.
  EXPECT_NE(text_.out.find("\nopen fds = 13 of 64 (RLIMIT_NOFILE soft"), std::string::npos) << text_.out;
  EXPECT_EQ(j_["fds"]["open"], 13);
  EXPECT_EQ(j_["fds"]["nofile_soft"], 64);
}

INSTANTIATE_TEST_SUITE_P(SelfAndPid, Conditions, ::testing::Values(Mode::self, Mode::pid), mode_name);

TEST(ProcanTarget, CwdCmdlineEnvironmentAndParentChain) {
  TempDir dir;
  std::string d = dir.path();
  Target t([d] { return chdir(d.c_str()) == 0; }, {"/bin/sleep", "60"}, {"A=1", "BB=22"});
  ASSERT_TRUE(t.ok()) << t.error();
  auto text = run_procan({"-p", std::to_string(t.pid())});
  auto json = run_procan({"--json", "-p", std::to_string(t.pid())});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(text.has_line("cwd = " + d)) << text.out;
  EXPECT_TRUE(text.has_line("root = /")) << text.out;
  // /bin/sleep is /usr/bin/sleep on merged-/usr systems: the kernel shows the resolved path.
  EXPECT_TRUE(text.has_line("exe = " + std::filesystem::canonical("/bin/sleep").string())) << text.out;
  EXPECT_TRUE(text.has_line("cmdline = /bin/sleep 60")) << text.out;
  EXPECT_TRUE(text.has_line("environment = 2 variables, 10 bytes")) << text.out;
  EXPECT_TRUE(text.has_line(fmt::format("{:>7} sleep", t.pid()))) << text.out;
  EXPECT_TRUE(text.has_line(fmt::format("{:>7} {}", getpid(), own_comm()))) << text.out;
  auto j = json.json();
  EXPECT_EQ(j["paths"]["cwd"], d);
  EXPECT_EQ(j["paths"]["exe_deleted"], false);
  EXPECT_EQ(j["paths"]["cmdline"], nlohmann::json::array({"/bin/sleep", "60"}));
  EXPECT_EQ(j["paths"]["environ_count"], 2);
  EXPECT_EQ(j["paths"]["environ_bytes"], 10);
  ASSERT_GE(j["parent_chain"].size(), 2u);
  EXPECT_EQ(j["parent_chain"][0]["pid"], t.pid());
  EXPECT_EQ(j["parent_chain"][0]["comm"], "sleep");
  EXPECT_EQ(j["parent_chain"][1]["pid"], getpid());
  auto last = j["parent_chain"].back();
  EXPECT_TRUE(last["pid"] == 1 || !j["parent_chain_stopped"].is_null()) << j["parent_chain"];
}

TEST(ProcanTarget, DeletedExecutableIsFlagged) {
  TempDir dir;
  std::string copy = dir.path() + "/sleep-copy";
  std::filesystem::copy_file("/bin/sleep", copy);
  chmod(copy.c_str(), 0755);
  Target t({}, {copy, "60"});
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(unlink(copy.c_str()), 0);
  auto text = run_procan({"-p", std::to_string(t.pid())});
  auto json = run_procan({"--json", "-p", std::to_string(t.pid())});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(text.has_line("exe = " + copy + " [deleted: executable was unlinked after exec]")) << text.out;
  auto j = json.json();
  EXPECT_EQ(j["paths"]["exe"], copy);
  EXPECT_EQ(j["paths"]["exe_deleted"], true);
  EXPECT_EQ(j["paths"]["exe_memfd"], false);
}

TEST(ProcanTarget, MemfdExecutableIsFlagged) {
  int mfd = memfd_copy_of("/bin/sleep");
  ASSERT_GE(mfd, 0);
  Target t({}, {"sleep", "60"}, {}, mfd);
  close(mfd);
  ASSERT_TRUE(t.ok()) << t.error();
  auto json = run_procan({"--json", "-p", std::to_string(t.pid())});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = json.json();
  EXPECT_EQ(j["paths"]["exe"], "/memfd:payload");
  EXPECT_EQ(j["paths"]["exe_memfd"], true);
}

TEST(ProcanSelf, MemfdProcanSeesItsOwnMemfdExe) {
  int mfd = memfd_copy_of(procan_path());
  ASSERT_GE(mfd, 0);
  auto text = run_procan({}, {}, mfd);
  close(mfd);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(text.has_line("exe = /memfd:payload [memfd: executable has no file on disk]")) << text.out;
}

TEST(ProcanPermissions, UnreadableFieldsAreUnavailableWithReasonAndExitZero) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to switch to an unprivileged uid";
  // procan as nobody looks at this (root) test process: status and limits
  // are world-readable, cwd/exe/environ/ns need ptrace rights.
  std::string me = std::to_string(getpid());
  auto drop = [] { return setgroups(0, nullptr) == 0 && setresgid(65534, 65534, 65534) == 0 && setresuid(65534, 65534, 65534) == 0; };
  auto text = run_procan({"-p", me}, drop);
  auto json = run_procan({"-p", me, "--json"}, drop);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(text.has_line(fmt::format("cwd = unavailable (EACCES: readlink /proc/{}/cwd: Permission denied)", me)))
      << text.out;
  EXPECT_TRUE(text.has_line("user id  = 0")) << text.out;
  EXPECT_NE(text.err.find("partial result"), std::string::npos) << text.err;
  EXPECT_EQ(std::count(text.err.begin(), text.err.end(), '\n'), 1) << text.err;
  struct rlimit nofile;
  getrlimit(RLIMIT_NOFILE, &nofile);
  EXPECT_TRUE(text.has_line(limit_row("open files", std::to_string(nofile.rlim_cur), std::to_string(nofile.rlim_max))))
      << text.out;
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = json.json();
  EXPECT_EQ(j["complete"], false);
  EXPECT_TRUE(j["paths"]["cwd"].is_null());
  EXPECT_TRUE(j["paths"]["exe"].is_null());
  EXPECT_EQ(j["unavailable"]["paths.cwd"]["errno"], "EACCES");
  EXPECT_EQ(j["unavailable"]["paths.environ"]["errno"], "EACCES");
  EXPECT_EQ(j["credentials"]["uid"]["real"], 0);
}
