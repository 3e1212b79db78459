// Test harness for procan integration tests: run the built procan in a child
// after a setup function has changed that child's conditions (so procan
// analyses itself under them), or start a target process under such
// conditions and point procan -p at it.  Output is captured in memfds;
// every wait is bounded so a hung child fails the test instead of CI.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace procan_test {

// Returns false (with errno set) when the setup failed; the child then exits 99.
using ChildSetup = std::function<bool()>;

struct ProcanRun {
  pid_t pid = -1;      // the procan process
  int exit_code = -1;  // -1 when killed by a signal
  std::string out, err;
  nlohmann::json json() const { return nlohmann::json::parse(out); }
  bool has_line(const std::string& line) const;  // an exact whole line of out
};

std::string procan_path();

// procan ARGS in a child that first runs setup().  exec_fd >= 0: the
// procan binary is executed from that fd (fexecve), e.g. a memfd copy.
ProcanRun run_procan(const std::vector<std::string>& args, const ChildSetup& setup = {}, int exec_fd = -1);

// A memfd holding a copy of the file at path (for fexecve), or -1.
int memfd_copy_of(const std::string& path);

// A process started under setup() that has completed exec of argv (it is
// waited for via a close-on-exec pipe) and is killed and reaped on
// destruction.  env empty = inherit.
class Target {
 public:
  explicit Target(const ChildSetup& setup = {}, std::vector<std::string> argv = {"/bin/sleep", "60"},
                  std::vector<std::string> env = {}, int exec_fd = -1);
  ~Target();
  Target(const Target&) = delete;
  Target& operator=(const Target&) = delete;
  pid_t pid() const { return pid_; }
  bool ok() const { return pid_ > 0 && error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  pid_t pid_ = -1;
  std::string error_;
};

// A fresh temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace procan_test
