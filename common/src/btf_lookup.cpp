// Kernel BTF without libbpf's parse (see btf_lookup.hpp): a walk over the raw
// type headers for a few names, and the build-time reduced BTF handed over
// as a memfd when it describes the running kernel.
//
// The walk reads only what it needs of raw BTF (linux/btf.h): the header,
// then each type's 12-byte header and the size of what follows it (which
// depends on the kind); a type whose kind is asked for has its name compared
// in the string table.  Type ids count from 1 in file order.
#include "fdscope/btf_lookup.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "fdscope/io.hpp"

namespace fdscope {
namespace {

struct BtfHeader {
  uint16_t magic;
  uint8_t version, flags;
  uint32_t hdr_len, type_off, type_len, str_off, str_len;
};
struct BtfType {
  uint32_t name_off, info, size_or_type;
};
enum : unsigned {
  kBtfInt = 1, kBtfArray = 3, kBtfStruct = 4, kBtfUnion = 5, kBtfEnum = 6,
  kBtfFuncProto = 13, kBtfVar = 14, kBtfDatasec = 15, kBtfDeclTag = 17, kBtfEnum64 = 19,
};

// Bytes that follow a type's 12-byte header.
size_t btf_extra(unsigned kind, unsigned vlen) {
  switch (kind) {
    case kBtfInt: case kBtfVar: case kBtfDeclTag: return 4;
    case kBtfArray: return 12;
    case kBtfStruct: case kBtfUnion: case kBtfDatasec: case kBtfEnum64: return 12 * size_t(vlen);
    case kBtfEnum: case kBtfFuncProto: return 8 * size_t(vlen);
    default: return 0;  // PTR, FWD, TYPEDEF, qualifiers, FUNC, FLOAT, TYPE_TAG
  }
}

}  // namespace

Result<std::vector<uint32_t>> btf_type_ids(std::string_view data, std::span<const BtfName> names) {
  BtfHeader h;
  if (data.size() < sizeof h) return plain_error("kernel BTF: truncated");
  std::memcpy(&h, data.data(), sizeof h);
  if (h.magic != 0xeB9F) return plain_error("kernel BTF: bad magic");
  size_t types = size_t(h.hdr_len) + h.type_off, strs = size_t(h.hdr_len) + h.str_off;
  if (types + h.type_len > data.size() || strs + h.str_len > data.size())
    return plain_error("kernel BTF: truncated");
  std::vector<uint32_t> ids(names.size(), 0);
  unsigned kinds = 0;  // bit per kind asked for
  for (const BtfName& n : names) kinds |= 1u << static_cast<unsigned>(n.kind);
  const char* table = data.data() + strs;
  const size_t table_len = h.str_len;
  size_t left = names.size();
  const char* p = data.data() + types;
  const char* end = p + h.type_len;
  uint32_t id = 1;
  while (left > 0 && p + sizeof(BtfType) <= end) {
    BtfType t;
    std::memcpy(&t, p, sizeof t);
    unsigned kind = (t.info >> 24) & 0x1f, vlen = t.info & 0xffff;
    if ((kinds >> kind) & 1 && t.name_off < table_len) {
      const char* s = table + t.name_off;
      size_t room = table_len - t.name_off;
      for (size_t i = 0; i < names.size(); ++i) {
        const BtfName& n = names[i];
        if (ids[i] || static_cast<unsigned>(n.kind) != kind || n.name.size() >= room) continue;
        if (s[0] == n.name[0] && std::memcmp(s, n.name.data(), n.name.size()) == 0 && s[n.name.size()] == '\0') {
          ids[i] = id;
          --left;
        }
      }
    }
    p += sizeof t + btf_extra(kind, vlen);
    ++id;
  }
  return ids;
}

// The sysfs file can be mapped on recent kernels (6.16+); older ones are
// read (a page per read() call there).
Result<std::vector<uint32_t>> vmlinux_btf_type_ids(std::span<const BtfName> names) {
  UniqueFd fd(::open(kVmlinuxBtfPath, O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return sys_error(fmt::format("open {}", kVmlinuxBtfPath));
  struct stat st;
  if (::fstat(fd.get(), &st) < 0 || st.st_size <= 0) return sys_error(fmt::format("stat {}", kVmlinuxBtfPath));
  size_t size = static_cast<size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (map != MAP_FAILED) {
    auto ids = btf_type_ids(std::string_view(static_cast<const char*>(map), size), names);
    ::munmap(map, size);
    return ids;
  }
  std::string data(size, '\0');
  size_t got = 0;
  while (got < size) {
    ssize_t n = retry_eintr([&] { return ::pread(fd.get(), data.data() + got, size - got, static_cast<off_t>(got)); });
    if (n < 0) return sys_error(fmt::format("read {}", kVmlinuxBtfPath));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  return btf_type_ids(data, names);
}

bool built_for_this_kernel(std::string_view made_for) {
  utsname u;
  struct stat st;
  if (::uname(&u) < 0 || ::stat(kVmlinuxBtfPath, &st) < 0) return false;
  return made_for.starts_with(fmt::format("{}\n{}\n{}\n", u.release, u.version, st.st_size));
}

std::optional<std::vector<uint32_t>> recorded_btf_type_ids(std::string_view made_for,
                                                          std::span<const BtfName> names) {
  if (!built_for_this_kernel(made_for)) return std::nullopt;
  std::vector<uint32_t> ids;
  for (const BtfName& n : names) {
    // A line "KIND NAME ID" after the kernel's three.
    const std::string key = fmt::format("\n{} {} ", static_cast<unsigned>(n.kind), n.name);
    size_t at = made_for.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    uint32_t id = 0;
    const char* from = made_for.data() + at + key.size();
    auto [end, ec] = std::from_chars(from, made_for.data() + made_for.size(), id);
    if (ec != std::errc() || id == 0 || end == made_for.data() + made_for.size() || *end != '\n') return std::nullopt;
    ids.push_back(id);
  }
  return ids;
}

UniqueFd reduced_btf_memfd(std::string_view btf, std::string_view made_for, const char* name) {
  if (btf.empty() || !built_for_this_kernel(made_for)) return {};
  UniqueFd m(::memfd_create(name, MFD_CLOEXEC));
  if (!m.valid()) return {};
  if (!write_all(m.get(), btf)) return {};
  return m;
}

}  // namespace fdscope
