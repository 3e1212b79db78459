// Test helper shared by the relay test layers (addr/, engine/, core/): run
// the relay binary with arguments and stdin data, collect stdout, stderr and
// the exit status, with a hard timeout; plus a private temporary directory
// and random data.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace relay_test {

struct Run {
  int status = -1;  // exit code, or 128+signal
  std::string out;
  std::string err;
  bool timed_out = false;
};

std::string relay_path();
// `during`, if given, runs in its own thread with relay's pid while relay
// runs and its output is drained (to connect to it, signal it, ...).
Run run_relay(const std::vector<std::string>& args, const std::string& input = {}, double timeout = 20,
              const std::function<void(pid_t)>& during = {});
std::string random_bytes(size_t n, unsigned seed);
std::string sha256_hex(const std::string& data);  // via sha256sum(1)
std::string read_file(const std::string& path);

// mkdtemp under /tmp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace relay_test
