// fmt's compiled part (what libfmt.so holds: format-inl.h's functions and
// the instantiations the headers declare extern), built into each program
// from the system's fmt headers by fdscope_lean_executable()
// (cmake/FdscopeExecutable.cmake), so the programs do not load libfmt.so,
// which needs libstdc++.so: with libstdc++ and libgcc linked statically, a
// program maps only libc, libm, the loader and the C libraries it uses.
// With these definitions in the executable, the linker (--as-needed) finds
// no use for libfmt.so on the link line and leaves it out of the NEEDED
// list.  Only the four executables compile this file; libfdscope and the
// tests use libfmt.so as before.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

#ifndef FMT_STATIC_THOUSANDS_SEPARATOR
template FMT_API locale_ref::locale_ref(const std::locale& loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;
#endif

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API void buffer<char>::append(const char*, const char*);
template FMT_API void vformat_to(buffer<char>&, string_view, basic_format_args<FMT_BUFFER_CONTEXT(char)>,
                                 locale_ref);

}  // namespace detail
FMT_END_NAMESPACE
