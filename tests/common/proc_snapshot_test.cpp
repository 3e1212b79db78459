// Snapshot of a fixture process tree (common/src/proc_snapshot.cpp and both
// renderers): the test writes a fake proc root with the kernel's file formats
// and symlinks, so every field has a known expected value, including an
// unreadable one that must come out as unavailable, never as a value.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "fdscope/proc_render_json.hpp"
#include "fdscope/proc_render_text.hpp"
#include "fdscope/proc_snapshot.hpp"

using namespace fdscope;
namespace fs = std::filesystem;
using namespace std::string_literals;

namespace {

class FixtureProc : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fdscope-procfix-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    write("4242/stat",
          "4242 (my app) S 100 4242 4242 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 555 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0\n");
    write("4242/status",
          "Name:\tmy app\nUmask:\t0027\nUid:\t1000\t1001\t1002\t1001\nGid:\t2000\t2000\t2000\t2000\n"
          "Groups:\t4 1234 \nCapInh:\t0000000000000000\nCapPrm:\t0000000000003000\n"
          "CapEff:\t0000000000001000\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n"
          "NoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n");
    write("4242/limits",
          "Limit                     Soft Limit           Hard Limit           Units     \n"
          "Max cpu time              unlimited            unlimited            seconds   \n"
          "Max file size             1048576              2097152              bytes     \n"
          "Max open files            100                  200                  files     \n");
    write("4242/cgroup", "4:memory:/svc\n0::/system.slice/app.service\n");
    write("4242/cmdline", "/opt/app\0--flag\0two words\0"s);
    write("4242/environ", "A=1\0B=2\0C=3\0"s);
    write("4242/attr/current", "app-profile (enforce)\n");
    write("4242/attr/apparmor/current", "app-profile (enforce)\n");
    write("sys/kernel/security/lsm", "capability,apparmor");
    link("4242/cwd", "/srv/data");
    link("4242/root", "/");
    link("4242/exe", "/opt/app (deleted)");
    for (const char* fd : {"0", "1", "2", "7"}) link(std::string("4242/fd/") + fd, "/dev/null");
    for (const char* t : {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children",
                          "user", "uts"}) {
      std::string base = std::string(t).substr(0, std::string(t).find("_for_children"));
      bool net = std::string(t) == "net", mnt = std::string(t) == "mnt";
      link(std::string("1/ns/") + t, base + ":[40265318" + (net ? "33" : mnt ? "32" : "00") + "]");
      link(std::string("100/ns/") + t, base + ":[40265318" + (net ? "33" : mnt ? "99" : "00") + "]");
      link(std::string("4242/ns/") + t, base + ":[40265318" + (net ? "77" : mnt ? "99" : "00") + "]");
    }
    write("100/stat", "100 (bash) S 1 100 100 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 50 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
    write("1/stat", "1 (init) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
    opt_.proc_root = root_;
    opt_.sys_root = root_ + "/sys";
    opt_.interfaces = false;
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& rel, const std::string& content) {
    fs::path p = fs::path(root_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }
  void link(const std::string& rel, const std::string& target) {
    fs::path p = fs::path(root_) / rel;
    fs::create_directories(p.parent_path());
    fs::create_symlink(target, p);
  }

  std::string root_;
  SnapshotOptions opt_;
};

}  // namespace

TEST_F(FixtureProc, EveryFieldComesFromTheFixture) {
  auto s = take_snapshot(4242, opt_);
  ASSERT_TRUE(s.ok()) << s.error().message();
  ASSERT_TRUE(s->ids.ok()) << s->ids.error().message();
  EXPECT_EQ(s->ids->stat.comm, "my app");
  EXPECT_EQ(s->ids->stat.ppid, 100);
  EXPECT_FALSE(s->ids->has_ctty);
  EXPECT_EQ(*s->ids->fg_pgid[0], -1);
  ASSERT_TRUE(s->creds.ok());
  EXPECT_EQ(s->creds->uid.saved, 1002u);
  EXPECT_EQ(*s->umask, 027u);
  EXPECT_TRUE(*s->no_new_privs);
  EXPECT_EQ(s->seccomp->filters, 1u);
  ASSERT_TRUE(s->lsm.ok()) << s->lsm.error().message();
  EXPECT_EQ(s->lsm->module, "apparmor");
  EXPECT_EQ(*s->lsm->label, "app-profile (enforce)");
  EXPECT_EQ(s->lsm->active, (std::vector<std::string>{"capability", "apparmor"}));
  ASSERT_TRUE(s->exe.ok());
  EXPECT_TRUE(s->exe->deleted);
  EXPECT_EQ(s->exe->path, "/opt/app");
  EXPECT_EQ(*s->cwd, "/srv/data");
  EXPECT_EQ(*s->cmdline, (std::vector<std::string>{"/opt/app", "--flag", "two words"}));
  EXPECT_EQ(s->environ->count, 3u);
  EXPECT_EQ(*s->open_fds, 4u);
  EXPECT_EQ(s->nofile_soft(), 100u);
  ASSERT_EQ(s->chain.entries.size(), 3u);
  EXPECT_EQ(s->chain.entries[1].comm, "bash");
  EXPECT_EQ(s->chain.entries[2].pid, 1);
  EXPECT_FALSE(s->chain.stopped.has_value());
  EXPECT_TRUE(s->unavailable().empty());
}

TEST_F(FixtureProc, NamespacesComparedWithPid1AndParent) {
  auto s = take_snapshot(4242, opt_);
  ASSERT_TRUE(s.ok());
  for (const auto& ns : s->namespaces) {
    ASSERT_TRUE(ns.inode.ok()) << ns.type;
    bool diff1 = *ns.inode != *ns.pid1_inode, diffp = *ns.inode != *ns.parent_inode;
    if (ns.type == "net") {
      EXPECT_TRUE(diff1);
      EXPECT_TRUE(diffp);
    } else if (ns.type == "mnt") {
      EXPECT_TRUE(diff1);
      EXPECT_FALSE(diffp);
    } else {
      EXPECT_FALSE(diff1) << ns.type;
    }
  }
}

TEST_F(FixtureProc, TextRenderingKeepsSocatLinesAndFixesUnits) {
  auto s = take_snapshot(4242, opt_);
  ASSERT_TRUE(s.ok());
  std::string t = render_process_text(*s);
  EXPECT_NE(t.find("process id = 4242\n"), std::string::npos) << t;
  EXPECT_NE(t.find("process parent id = 100\n"), std::string::npos);
  EXPECT_NE(t.find("controlling terminal: -\n"), std::string::npos);
  EXPECT_NE(t.find("saved set-user id  = 1002\n"), std::string::npos);
  EXPECT_NE(t.find("umask = 027\n"), std::string::npos);
  EXPECT_NE(t.find("file size (bytes)                        1048576                 2097152\n"), std::string::npos) << t;
  EXPECT_NE(t.find("cpu time (seconds)                     unlimited               unlimited\n"), std::string::npos);
  EXPECT_NE(t.find("data seg size (bytes)   unavailable (not listed in"), std::string::npos);
  EXPECT_NE(t.find("supplementary groups = 4 1234\n"), std::string::npos);
  EXPECT_NE(t.find("effective   (CapEff) = 0x0000000000001000 cap_net_admin\n"), std::string::npos) << t;
  EXPECT_NE(t.find("seccomp = filter\nseccomp filters = 1\n"), std::string::npos);
  EXPECT_NE(t.find("LSM = apparmor\nLSM label = \"app-profile (enforce)\"\n"), std::string::npos) << t;
  EXPECT_NE(t.find("net                 4026531877  differs  differs\n"), std::string::npos) << t;
  EXPECT_NE(t.find("cgroup v2 = /system.slice/app.service\n"), std::string::npos);
  EXPECT_NE(t.find("cgroup v1 memory (4) = /svc\n"), std::string::npos);
  EXPECT_NE(t.find("exe = /opt/app [deleted"), std::string::npos);
  EXPECT_NE(t.find("cmdline = /opt/app --flag \"two words\"\n"), std::string::npos);
  EXPECT_NE(t.find("open fds = 4 of 100"), std::string::npos);
}

TEST_F(FixtureProc, JsonHasStableKeysAndNullForUnlimited) {
  auto s = take_snapshot(4242, opt_);
  ASSERT_TRUE(s.ok());
  auto j = nlohmann::json::parse(render_process_json(*s));
  EXPECT_EQ(j["pid"], 4242);
  EXPECT_EQ(j["complete"], true);
  EXPECT_EQ(j["ids"]["ppid"], 100);
  EXPECT_EQ(j["credentials"]["uid"]["saved"], 1002);
  EXPECT_EQ(j["credentials"]["groups"], nlohmann::json::array({4, 1234}));
  EXPECT_EQ(j["credentials"]["umask"], "0027");
  EXPECT_EQ(j["limits"]["fsize"]["soft"], 1048576);
  EXPECT_EQ(j["limits"]["fsize"]["unit"], "bytes");
  EXPECT_TRUE(j["limits"]["cpu"]["soft"].is_null());
  EXPECT_EQ(j["limits"]["cpu"]["soft_unlimited"], true);
  EXPECT_EQ(j["limits"]["data"]["present"], false);
  EXPECT_EQ(j["capabilities"]["permitted"]["names"], nlohmann::json::array({"cap_net_admin", "cap_net_raw"}));
  EXPECT_EQ(j["security"]["no_new_privs"], true);
  EXPECT_EQ(j["security"]["seccomp"], "filter");
  EXPECT_EQ(j["security"]["seccomp_filters"], 1);
  EXPECT_EQ(j["security"]["lsm"]["module"], "apparmor");
  EXPECT_EQ(j["namespaces"]["net"]["differs_from_pid1"], true);
  EXPECT_EQ(j["namespaces"]["mnt"]["differs_from_parent"], false);
  EXPECT_EQ(j["namespaces"]["uts"]["differs_from_pid1"], false);
  EXPECT_EQ(j["cgroups"][1]["version"], 2);
  EXPECT_EQ(j["paths"]["exe_deleted"], true);
  EXPECT_EQ(j["paths"]["cmdline"][2], "two words");
  EXPECT_EQ(j["paths"]["environ_count"], 3);
  EXPECT_EQ(j["fds"]["open"], 4);
  EXPECT_EQ(j["parent_chain"].size(), 3u);
  EXPECT_TRUE(j["unavailable"].empty());
}

TEST_F(FixtureProc, UnreadableFieldIsUnavailableWithReasonNotAValue) {
  fs::remove(fs::path(root_) / "4242/environ");
  fs::create_directories(fs::path(root_) / "4242/environ");  // read() -> EISDIR
  fs::remove(fs::path(root_) / "4242/cwd");                  // readlink -> ENOENT
  auto s = take_snapshot(4242, opt_);
  ASSERT_TRUE(s.ok());
  ASSERT_FALSE(s->environ.ok());
  EXPECT_EQ(s->environ.error().err, EISDIR);
  std::string t = render_process_text(*s);
  EXPECT_NE(t.find("environment = unavailable (EISDIR: read " + root_ + "/4242/environ: Is a directory)"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("cwd = unavailable (ENOENT: "), std::string::npos);
  auto j = nlohmann::json::parse(render_process_json(*s));
  EXPECT_EQ(j["complete"], false);
  EXPECT_TRUE(j["paths"]["environ_count"].is_null());
  EXPECT_TRUE(j["paths"]["cwd"].is_null());
  EXPECT_EQ(j["unavailable"]["paths.environ"]["errno"], "EISDIR");
  EXPECT_EQ(j["unavailable"]["paths.cwd"]["errno"], "ENOENT");
}

TEST(ProcSnapshotLive, NoLsmIsStatedPlainly) {
  // A fixture cannot make read() return EINVAL; use the live process, whose
  // kernel here has no labelling LSM, when that is the case.
  auto self = take_snapshot(0, SnapshotOptions{"/proc", "/sys", "/dev", false});
  ASSERT_TRUE(self.ok());
  if (!self->lsm.ok() || self->lsm->module != "none") GTEST_SKIP() << "an LSM labels processes on this machine";
  std::string t = render_process_text(*self);
  EXPECT_NE(t.find("LSM = none loaded"), std::string::npos);
  auto j = nlohmann::json::parse(render_process_json(*self));
  EXPECT_EQ(j["security"]["lsm"]["module"], "none");
  EXPECT_TRUE(j["security"]["lsm"]["label"].is_null());
}

TEST_F(FixtureProc, MissingPidIsNoSuchProcess) {
  auto s = take_snapshot(999, opt_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().err, ESRCH);
}
