// Compile-time constants (see proc_build.hpp).  The #define list and its
// number formats (decimal, 0%011o octal for termios masks, hex for levels and
// ioctls) follow socat's procan -c so existing comparisons keep working.
#include "fdscope/proc_build.hpp"

#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <termios.h>
#include <time.h>

#include <fmt/format.h>

#include <cstdint>

#ifndef SOL_DCCP
#define SOL_DCCP 269
#endif
#ifndef SOL_PACKET
#define SOL_PACKET 263
#endif

namespace fdscope {

std::string compiler_description() {
#if defined(__clang__)
  return fmt::format("clang {}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  return fmt::format("gcc {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  return "unknown compiler";
#endif
}

std::vector<BuildConstant> build_constants() {
  return {
      {"__cplusplus", fmt::format("{}", __cplusplus), static_cast<long long>(__cplusplus), false},
      {"SIZE_MAX", fmt::format("{}", SIZE_MAX), -1, false},
      {"P_tmpdir", fmt::format("\"{}\"", P_tmpdir), 0, true},
      {"L_tmpnam", fmt::format("{}", L_tmpnam), L_tmpnam, false},
      {"TMP_MAX", fmt::format("{}", TMP_MAX), TMP_MAX, false},
      {"FD_SETSIZE", fmt::format("{}", FD_SETSIZE), FD_SETSIZE, false},
      {"PIPE_BUF", fmt::format("{}", PIPE_BUF), PIPE_BUF, false},
  };
}

std::vector<TypeSize> type_sizes() {
  return {
      {"char", sizeof(char)},
      {"short", sizeof(short)},
      {"int", sizeof(int)},
      {"long", sizeof(long)},
      {"long long", sizeof(long long)},
      {"size_t", sizeof(size_t)},
      {"struct timespec", sizeof(struct timespec)},
      {"mode_t", sizeof(mode_t)},
      {"pid_t", sizeof(pid_t)},
      {"uid_t", sizeof(uid_t)},
      {"gid_t", sizeof(gid_t)},
      {"time_t", sizeof(time_t)},
      {"off_t", sizeof(off_t)},
      {"socklen_t", sizeof(socklen_t)},
      {"rlim_t", sizeof(rlim_t)},
      {"void *", sizeof(void*)},
  };
}

std::vector<CDefine> c_defines() {
  using F = DefineFormat;
  return {
      {"FD_SETSIZE", FD_SETSIZE, F::decimal},   {"NFDBITS", static_cast<unsigned long long>(NFDBITS), F::decimal},
      {"O_RDONLY", O_RDONLY, F::decimal},       {"O_WRONLY", O_WRONLY, F::decimal},
      {"O_RDWR", O_RDWR, F::decimal},           {"SHUT_RD", SHUT_RD, F::decimal},
      {"SHUT_WR", SHUT_WR, F::decimal},         {"SHUT_RDWR", SHUT_RDWR, F::decimal},
      {"CRDLY", CRDLY, F::octal},               {"CR0", CR0, F::octal},
      {"CR1", CR1, F::octal},                   {"CR2", CR2, F::octal},
      {"CR3", CR3, F::octal},                   {"TABDLY", TABDLY, F::octal},
      {"TAB0", TAB0, F::octal},                 {"TAB1", TAB1, F::octal},
      {"TAB2", TAB2, F::octal},                 {"TAB3", TAB3, F::octal},
      {"CSIZE", CSIZE, F::octal},               {"TIOCEXCL", TIOCEXCL, F::hex},
      {"FOPEN_MAX", FOPEN_MAX, F::decimal},     {"PF_UNIX", PF_UNIX, F::decimal},
      {"PF_INET", PF_INET, F::decimal},         {"PF_INET6", PF_INET6, F::decimal},
      {"PF_APPLETALK", PF_APPLETALK, F::decimal}, {"PF_PACKET", PF_PACKET, F::decimal},
      {"SOCK_STREAM", SOCK_STREAM, F::decimal}, {"SOCK_DGRAM", SOCK_DGRAM, F::decimal},
      {"SOCK_RAW", SOCK_RAW, F::decimal},       {"SOCK_SEQPACKET", SOCK_SEQPACKET, F::decimal},
      {"SOCK_PACKET", SOCK_PACKET, F::decimal}, {"IPPROTO_IP", IPPROTO_IP, F::decimal},
      {"IPPROTO_TCP", IPPROTO_TCP, F::decimal}, {"IPPROTO_UDP", IPPROTO_UDP, F::decimal},
      {"IPPROTO_SCTP", IPPROTO_SCTP, F::decimal}, {"IPPROTO_DCCP", IPPROTO_DCCP, F::decimal},
      {"SOL_SOCKET", SOL_SOCKET, F::hex},       {"SOL_PACKET", SOL_PACKET, F::hex},
      {"SOL_IP", SOL_IP, F::hex},               {"SOL_IPV6", SOL_IPV6, F::hex},
      {"SOL_TCP", SOL_TCP, F::hex},             {"SOL_DCCP", SOL_DCCP, F::hex},
      {"SO_REUSEADDR", SO_REUSEADDR, F::decimal}, {"TCP_MAXSEG", TCP_MAXSEG, F::decimal},
  };
}

std::string format_define(const CDefine& d) {
  switch (d.format) {
    case DefineFormat::octal: return fmt::format("#define {} 0{:011o}", d.name, d.value);
    case DefineFormat::hex: return fmt::format("#define {} 0x{:x}", d.name, d.value);
    case DefineFormat::decimal: break;
  }
  return fmt::format("#define {} {}", d.name, d.value);
}

const char* byte_order() {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return "little endian";
#else
  return "big endian";
#endif
}

}  // namespace fdscope
