// The IP_TCP option group: TCP-level setsockopt rows with socat's names
// (nodelay, mss, cork, keepalive timers, syncnt, linger2, defer-accept,
// window-clamp, quickack).  All are int (flags: bool) options applied by the
// generic setsockopt path of OpenContext.
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "core/option.hpp"

namespace relay {
namespace {

#define TCP(nm, al, ph, opt) \
  {.name = nm, .aliases = al, .groups = grp::IP_TCP, .phase = Phase::ph, .type = OptType::Int, .level = IPPROTO_TCP, .optname = opt}
#define TCPB(nm, al, ph, opt) \
  {.name = nm, .aliases = al, .groups = grp::IP_TCP, .phase = Phase::ph, .type = OptType::Bool, .level = IPPROTO_TCP, .optname = opt}
#define A(...) \
  { __VA_ARGS__ }

const OptionDesc kTcpOptions[] = {
    TCPB("nodelay", A("tcp-nodelay"), PASTSOCKET, TCP_NODELAY),
    TCP("mss", A("tcp-maxseg", "maxseg"), PASTSOCKET, TCP_MAXSEG),
    TCP("mss-late", A("tcp-maxseg-late", "maxseg-late"), PASTCONNECT, TCP_MAXSEG),
    TCPB("cork", A("tcp-cork"), PASTSOCKET, TCP_CORK),
    TCP("keepidle", A("tcp-keepidle"), PASTSOCKET, TCP_KEEPIDLE),
    TCP("keepintvl", A("tcp-keepintvl"), PASTSOCKET, TCP_KEEPINTVL),
    TCP("keepcnt", A("tcp-keepcnt"), PASTSOCKET, TCP_KEEPCNT),
    TCP("syncnt", A("tcp-syncnt"), PASTSOCKET, TCP_SYNCNT),
    TCP("linger2", A("tcp-linger2"), PASTSOCKET, TCP_LINGER2),
    TCP("defer-accept", A("tcp-defer-accept"), PASTSOCKET, TCP_DEFER_ACCEPT),
    TCP("window-clamp", A("tcp-window-clamp"), PASTSOCKET, TCP_WINDOW_CLAMP),
    TCPB("quickack", A("tcp-quickack"), PASTSOCKET, TCP_QUICKACK),
    TCP("user-timeout", A("tcp-user-timeout"), PASTSOCKET, TCP_USER_TIMEOUT),
};
#undef TCP
#undef TCPB
#undef A

const OptionTableRegistrar kReg(kTcpOptions);

}  // namespace
}  // namespace relay
