// Renderers for FdInfo records.  The library never prints: each function
// returns text (or writes JSON into a JsonWriter) and filan decides where it
// goes.  Three forms, all walking the same tables (sockopt, tcp_info,
// termios, open flags) so that a fact is worded the same everywhere:
//
//  text   socat filan's default layout: a header line, then per fd
//         "%4d: type\tdevice\tinode\tmode\tlinks\tuid\tgid\trdev\tsize\t
//         blksize\tblocks\tatime\tmtime\tctime\tcloexec\tflags\tsigown\tsigio"
//         followed by tab-separated kind-specific details (path, socket
//         family/type/protocol, addresses, state, queues, options,
//         TCP_INFO with units, termios, decoded anon-inode facts) and
//         "poll: IN(FIONREAD=n),OUT".  Values that could not be read are "?".
//  short  filan -s: "%5d " + socat's short form ("file /x", "pipe ",
//         "unix <anon>", "tcp 127.0.0.1:80 127.0.0.1:4000", "tty /dev/pts/0")
//         so scripts written for socat's filan keep working; kinds socat
//         did not know print their kind name ("eventfd count=0").  A
//         socket without a peer prints the family's any-address
//         ("0.0.0.0:0", "[::]:0") where socat printed uninitialised memory.
//  Short  filan -S: socat's improved form ("unix <local>-<peer> stream",
//         "tcp 127.0.0.1:80-127.0.0.1:4000 (stream) ESTABLISHED") with the
//         fdscope kind names (fifo, pty-master, memfd, ...).
//  JSON   one object per fd, keys documented in man/filan.1 (FdInfo members
//         with the same names); absent facts have no key.
#pragma once

#include <string>

#include "fdscope/fd_info.hpp"
#include "fdscope/json.hpp"

namespace fdscope {

struct RenderOptions {
  bool raw = false;  // -r: times as seconds since the epoch, devices as numbers
};

std::string render_text_header(const RenderOptions& opts = {});
std::string render_text(const FdInfo& info, const RenderOptions& opts = {});  // ends in '\n'
// The same line appended to `out` (no string per line: filan renders
// thousands into one buffer).
void render_text_to(std::string& out, const FdInfo& info, const RenderOptions& opts = {});
std::string render_short(const FdInfo& info);            // -s, ends in '\n'
std::string render_short_improved(const FdInfo& info);   // -S, ends in '\n'
void render_json(JsonWriter& w, const FdInfo& info);

// Pieces reused by the renderers and tests.
std::string_view socat_type_name(const FdInfo& info);   // "file", "pipe", "chrdev", "socket", "eventfd"
std::string poll_text(short revents, std::optional<int> nread);  // "IN(FIONREAD=3),OUT"
std::string facts_text(const std::vector<Fact>& facts, char sep = '\t');  // "count=5\tid=1"
// The kind-specific summary used by -s/-S for kinds socat does not know.
std::string kind_summary(const FdInfo& info);

}  // namespace fdscope
