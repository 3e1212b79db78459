// Shared by the trace tests that run the real binary on a child and read
// its text lines (fd_names_test, vector_lines_test, struct_lines_test):
// a fresh temporary directory, `trace -o DIR/trace.out ARGS` under a 60 s
// timeout, the output read back, the directory removed.
#pragma once

#include <stdlib.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

struct TraceLines {
  std::string dir;   // the temporary directory the run used (removed by now)
  std::string cmd;   // the command line, for failure messages
  int status = -1;   // std::system's result (0 = trace and the child succeeded)
  std::string text;  // what trace wrote
};

// args(dir) gives what follows `trace -o FILE` (options, "--", the child and
// its arguments, which may name dir).  tag names the directory.
inline TraceLines trace_lines(const std::string& tag, const std::function<std::string(const std::string&)>& args) {
  TraceLines r;
  std::string tmpl = "/tmp/" + tag + "-XXXXXX";
  if (!mkdtemp(tmpl.data())) return r;
  r.dir = tmpl;
  const std::string out = r.dir + "/trace.out";
  r.cmd = "timeout 60 " + std::string(FDSCOPE_BIN_DIR) + "/trace -o " + out + " " + args(r.dir);
  r.status = std::system(r.cmd.c_str());
  std::ifstream f(out);
  std::stringstream ss;
  ss << f.rdbuf();
  r.text = ss.str();
  (void)!std::system(("rm -rf '" + r.dir + "'").c_str());
  return r;
}
