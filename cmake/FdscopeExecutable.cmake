# fdscope_lean_executable(TARGET): how the four programs are linked.
# Each program maps only libc, libm, the loader and the C libraries it
# really uses (libbpf, libelf, libdw, libz): libstdc++ and libgcc are linked
# statically, fmt's compiled part is built in (common/exe/fmt_compiled_in.cpp)
# so libfmt.so (which would pull libstdc++.so back in) drops out under
# --as-needed, and -z now binds every symbol once at start.
# Why: start-up and fork cost.  A relay fork server copies every mapping at
# each fork and its child faults on the pages it touches (with libwrap
# dlopen()ed lazily this took relay from 323 to 280 us of CPU per short
# connection); filan, procan and trace start once per use, and dynamic
# linking of libstdc++ + libfmt was ~0.7 ms of trace's ~8 ms start-up.
# Safe because no C++ shared library is loaded besides (CLI11 is
# header-only, libbpf/libdw/libwrap are C).  Not under the sanitizers, whose
# runtimes bring their own shared C++ parts; the tests keep libfmt.so.
function(fdscope_lean_executable target)
  target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/common/exe/fmt_compiled_in.cpp)
  if(NOT FDSCOPE_SANITIZE)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc LINKER:--as-needed LINKER:-z,now)
  endif()
endfunction()
