// procan: analyses a process (itself, or -p PID) and prints socat procan's
// report plus credentials, capabilities, seccomp, namespaces, cgroups, paths,
// fds and the parent chain, as text or --json.  This file only parses the
// command line, calls the process model in common/ and maps failures to exit
// codes: 0 ok (also for a partial result, which is stated on stderr), 1
// runtime error, 2 usage error.
#include <sys/auxv.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <string>

#include "fdscope/io.hpp"
#include "fdscope/proc_render_json.hpp"
#include "fdscope/proc_render_text.hpp"
#include "fdscope/proc_snapshot.hpp"
#include "fdscope/proc_text.hpp"
#include "fdscope/result.hpp"
#include "fdscope/version.hpp"

#if defined(__SANITIZE_ADDRESS__)
// Sanitizer builds only: a process started with real != effective ids is a
// "secure" exec and not dumpable, so LeakSanitizer can neither read its
// options from /proc/self/environ nor stop the process to scan it, and aborts
// at exit.  procan is run that way on purpose (tests of other uids), so leak
// checking is off exactly when LeakSanitizer could not work anyway.
extern "C" const char* __lsan_default_options() {
  return getauxval(AT_SECURE) ? "detect_leaks=0" : "";
}
#endif

namespace {

using namespace fdscope;

void say(int fd, const std::string& s) { (void)write_all(fd, s); }

int fail(int code, const std::string& msg) {
  say(2, "procan: " + msg + "\n");
  return code;
}

// A pid argument must be a positive decimal number; anything else is a usage
// error that names the argument.
bool parse_pid(const std::string& text, pid_t& out) {
  auto n = parse_i64(text);
  if (!n || *n <= 0 || *n > 4194304) return false;
  out = static_cast<pid_t>(*n);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"procan: analyse a process (ids, credentials, limits, capabilities, seccomp,\n"
               "namespaces, cgroups, paths, fds, parent chain), socat procan compatible"};
  app.set_help_flag("-h,--help", "print this help and exit");
  std::string pid_text;
  bool json = false, pretty = false, cdefs = false, version = false;
  std::string proc_root = "/proc";
  app.add_option("-p,--pid", pid_text, "analyse process PID instead of procan itself")->type_name("PID");
  app.add_flag("--json", json, "print one JSON document with stable keys (see procan(1))");
  app.add_flag("--pretty", pretty, "indent the JSON output");
  app.add_flag("-c", cdefs, "print only the compile-time section (type sizes, #defines)");
  app.add_option("--proc-root", proc_root, "read processes from DIR instead of /proc (test fixtures)")
      ->type_name("DIR");
  app.add_flag("-V,--version", version, "print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(kExitUsage, std::string(e.what()) + " (try procan --help)");
  }
  if (version) {
    say(1, fmt::format("procan (fdscope) {}\n", kVersion));
    return kExitOk;
  }
  if (cdefs) {
    if (app.count("--pid") > 0) return fail(kExitUsage, "-c prints compile-time facts only; it takes no -p");
    say(1, json ? render_compile_time_json(pretty) + "\n" : render_compile_time_text());
    return kExitOk;
  }
  pid_t pid = 0;
  bool have_pid = app.count("--pid") > 0;
  if (have_pid && !parse_pid(pid_text, pid))
    return fail(kExitUsage, fmt::format("-p: invalid pid \"{}\" (expected a positive number)", pid_text));
  if (pid == 0 && proc_root != "/proc") return fail(kExitUsage, "--proc-root needs -p PID");
  if (pid == ::getpid()) pid = 0;

  SnapshotOptions opt;
  opt.proc_root = proc_root;
  opt.interfaces = proc_root == "/proc";
  auto snap = take_snapshot(pid, opt);
  if (!snap) return fail(kExitError, snap.error().message());

  std::string out = json ? render_process_json(*snap, pretty) + "\n" : render_process_text(*snap);
  if (auto w = write_all(1, out); !w) return fail(kExitError, w.error().message());
  auto missing = snap->unavailable();
  if (!missing.empty())
    say(2, fmt::format("procan: pid {}: partial result, {} field(s) unavailable (first: {}: {}){}\n", snap->pid,
                       missing.size(), missing.front().first, missing.front().second.message(),
                       json ? "; see \"unavailable\"" : ""));
  return kExitOk;
}
