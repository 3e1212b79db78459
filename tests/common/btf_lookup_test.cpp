// btf_lookup: the raw BTF walk finds ids by name and kind (a synthetic BTF
// blob with every header size the walk has to step over, and the running
// kernel's BTF checked against bpftool's own dump), and the reduced BTF is
// offered only for the kernel it was made for.
#include "fdscope/btf_lookup.hpp"
#include "fdscope/io.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

using namespace fdscope;

namespace {

// A raw BTF blob built type by type.
struct BtfBuilder {
  std::string types;
  std::string strings{'\0'};
  uint32_t str(const std::string& s) {
    uint32_t off = static_cast<uint32_t>(strings.size());
    strings += s;
    strings += '\0';
    return off;
  }
  void word(uint32_t w) { types.append(reinterpret_cast<const char*>(&w), 4); }
  void type(uint32_t name_off, unsigned kind, unsigned vlen, uint32_t extra_words) {
    word(name_off);
    word((kind << 24) | vlen);
    word(0);
    for (uint32_t i = 0; i < extra_words; ++i) word(0);
  }
  std::string blob() const {
    struct {
      uint16_t magic = 0xeB9F;
      uint8_t version = 1, flags = 0;
      uint32_t hdr_len = 24, type_off = 0, type_len, str_off, str_len;
    } h;
    h.type_len = static_cast<uint32_t>(types.size());
    h.str_off = h.type_len;
    h.str_len = static_cast<uint32_t>(strings.size());
    std::string out(reinterpret_cast<const char*>(&h), sizeof h);
    return out + types + strings;
  }
};

}  // namespace

TEST(BtfLookup, FindsNamesByKindAcrossEveryHeaderSize) {
  BtfBuilder b;
  b.type(b.str("int"), 1, 0, 1);                     // 1 INT (+4 bytes)
  b.type(b.str("task_struct"), 4, 3, 9);             // 2 STRUCT, 3 members
  b.type(b.str("sys_enter"), 12, 0, 0);              // 3 FUNC with a prefix-sharing name
  b.type(0, 13, 2, 4);                               // 4 FUNC_PROTO, 2 params
  b.type(b.str("btf_trace_sys_enter"), 8, 0, 0);     // 5 TYPEDEF
  b.type(b.str("e"), 6, 2, 4);                       // 6 ENUM, 2 values
  b.type(b.str("a"), 3, 0, 3);                       // 7 ARRAY
  b.type(b.str("bpf_iter_task_file"), 12, 0, 0);     // 8 FUNC
  b.type(b.str("btf_trace_sys_enter_x"), 8, 0, 0);   // 9 TYPEDEF, longer name
  b.type(b.str("btf_trace_sys_exit"), 8, 0, 0);      // 10 TYPEDEF
  std::string blob = b.blob();
  const BtfName names[] = {
      {"btf_trace_sys_exit", BtfKind::Typedef},
      {"bpf_iter_task_file", BtfKind::Func},
      {"btf_trace_sys_enter", BtfKind::Typedef},
      {"sys_enter", BtfKind::Typedef},  // there only as a FUNC
      {"int", BtfKind::Func},           // there only as an INT
      {"missing", BtfKind::Func},
  };
  auto ids = btf_type_ids(blob, names);
  ASSERT_TRUE(ids.ok()) << ids.error().message();
  EXPECT_EQ(*ids, (std::vector<uint32_t>{10, 8, 5, 0, 0, 0}));
}

TEST(BtfLookup, RejectsWhatIsNotBtf) {
  const BtfName name{"x", BtfKind::Func};
  EXPECT_FALSE(btf_type_ids("short", std::span(&name, 1)).ok());
  BtfBuilder b;
  b.type(b.str("x"), 12, 0, 0);
  std::string blob = b.blob();
  std::string bad = blob;
  bad[0] = 0;
  EXPECT_FALSE(btf_type_ids(bad, std::span(&name, 1)).ok());
  EXPECT_FALSE(btf_type_ids(blob.substr(0, blob.size() - 1), std::span(&name, 1)).ok());
  auto ok = btf_type_ids(blob, std::span(&name, 1));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[0], 1u);
}

// The ids the walk finds in the running kernel's BTF are bpftool's.
TEST(BtfLookup, KernelIdsMatchBpftool) {
  if (::access(kVmlinuxBtfPath, R_OK) != 0) GTEST_SKIP() << "no " << kVmlinuxBtfPath;
  if (::access("/usr/sbin/bpftool", X_OK) != 0) GTEST_SKIP() << "no bpftool";
  const BtfName names[] = {
      {"btf_trace_sys_enter", BtfKind::Typedef},
      {"btf_trace_sched_process_exit", BtfKind::Typedef},
      {"bpf_iter_task_file", BtfKind::Func},
      {"fdscope_no_such_type", BtfKind::Func},
  };
  auto ids = vmlinux_btf_type_ids(names);
  ASSERT_TRUE(ids.ok()) << ids.error().message();
  FILE* p = ::popen(
      "/usr/sbin/bpftool btf dump file /sys/kernel/btf/vmlinux 2>/dev/null | "
      "grep -E \"^\\[[0-9]+\\] (TYPEDEF 'btf_trace_sys_enter'|TYPEDEF "
      "'btf_trace_sched_process_exit'|FUNC 'bpf_iter_task_file') \"",
      "r");
  ASSERT_NE(p, nullptr);
  char line[512];
  int seen = 0;
  while (std::fgets(line, sizeof line, p)) {
    unsigned id = 0;
    char kind[32], name[128];
    ASSERT_EQ(std::sscanf(line, "[%u] %31s '%127[^']'", &id, kind, name), 3) << line;
    for (size_t i = 0; i < 3; ++i)
      if (names[i].name == name) {
        EXPECT_EQ((*ids)[i], id) << name;
        ++seen;
      }
  }
  ::pclose(p);
  EXPECT_EQ(seen, 3);
  EXPECT_EQ((*ids)[3], 0u);
}

TEST(BtfLookup, ReducedBtfOnlyForTheKernelItWasMadeFor) {
  struct stat st;
  utsname u;
  if (::stat(kVmlinuxBtfPath, &st) != 0) GTEST_SKIP() << "no " << kVmlinuxBtfPath;
  ASSERT_EQ(::uname(&u), 0);
  std::string here = fmt::format("{}\n{}\n{}\n", u.release, u.version, st.st_size);
  UniqueFd m = reduced_btf_memfd("BTF bytes", here, "test.min.btf");
  ASSERT_TRUE(m.valid());
  char buf[32] = {};
  EXPECT_EQ(::pread(m.get(), buf, sizeof buf, 0), 9);
  EXPECT_STREQ(buf, "BTF bytes");
  std::string other = fmt::format("{}\n{}\n{}\n", u.release, u.version, st.st_size + 1);
  EXPECT_FALSE(reduced_btf_memfd("BTF bytes", other, "test.min.btf").valid());
  EXPECT_FALSE(reduced_btf_memfd("", here, "test.min.btf").valid());
}

TEST(BtfLookup, RecordedIdsOnlyForTheKernelTheyWereMadeFor) {
  struct stat st;
  utsname u;
  if (::stat(kVmlinuxBtfPath, &st) != 0) GTEST_SKIP() << "no " << kVmlinuxBtfPath;
  ASSERT_EQ(::uname(&u), 0);
  std::string here = fmt::format("{}\n{}\n{}\n", u.release, u.version, st.st_size);
  const BtfName names[] = {{"btf_trace_sys_enter", BtfKind::Typedef}, {"bpf_iter_task_file", BtfKind::Func}};
  std::string made = here + "12 bpf_iter_task_file 64261\n8 btf_trace_sys_enter 11324\n";
  auto ids = recorded_btf_type_ids(made, names);
  ASSERT_TRUE(ids);
  EXPECT_EQ(*ids, (std::vector<uint32_t>{11324, 64261}));  // in the order asked
  EXPECT_TRUE(built_for_this_kernel(made));
  // Another kernel, a name of another kind, a name not recorded, a bad id:
  // no ids, the caller walks the BTF.
  std::string other = fmt::format("{}\n{}\n{}\n", u.release, u.version, st.st_size + 1);
  EXPECT_FALSE(recorded_btf_type_ids(other + "12 bpf_iter_task_file 64261\n8 btf_trace_sys_enter 11324\n", names));
  EXPECT_FALSE(recorded_btf_type_ids(here + "8 bpf_iter_task_file 64261\n8 btf_trace_sys_enter 11324\n", names));
  EXPECT_FALSE(recorded_btf_type_ids(here + "12 bpf_iter_task_file 64261\n", names));
  EXPECT_FALSE(recorded_btf_type_ids(here + "12 bpf_iter_task_file x\n8 btf_trace_sys_enter 11324\n", names));
  EXPECT_FALSE(recorded_btf_type_ids(here + "12 bpf_iter_task_file 64261", names));  // no line end
}

// The ids this build recorded for filan -p's iterator (cmake/btf_ids.awk
// over bpftool's dump) are the ones the walk finds in the running kernel.
TEST(BtfLookup, BuildRecordedIdsAreTheKernels) {
  std::string file = std::string(FDSCOPE_BIN_DIR) + "/../common/bpf/fd_iter.min.btf.id";
  auto made = read_file(file);
  if (!made) GTEST_SKIP() << "no " << file << " (built without the BPF toolchain or kernel BTF)";
  if (!built_for_this_kernel(*made)) GTEST_SKIP() << "built on another kernel";
  const BtfName name{"bpf_iter_task_file", BtfKind::Func};
  auto recorded = recorded_btf_type_ids(*made, std::span(&name, 1));
  ASSERT_TRUE(recorded) << *made;
  auto walked = vmlinux_btf_type_ids(std::span(&name, 1));
  ASSERT_TRUE(walked) << walked.error().message();
  EXPECT_EQ(*recorded, *walked);
}
