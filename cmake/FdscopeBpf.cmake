# FdscopeBpf: the build rules every eBPF part of the suite shares (trace's
# tracer, libfdscope's fd-table iterator).  Included once by the top-level
# CMakeLists.txt, before common/ and the programs:
#   * finds clang (BPF target), bpftool, libbpf (pkg-config, imported as
#     PkgConfig::LIBBPF) and the kernel BTF;
#   * FDSCOPE_BPF_FOUND says whether BPF programs can be built; when not,
#     FDSCOPE_BPF_MISSING_TEXT names what is missing, so each user prints one
#     clear "skipped" message and builds without its BPF part;
#   * vmlinux.h is dumped once from the running kernel's BTF into
#     ${CMAKE_BINARY_DIR}/bpf (target fdscope_vmlinux_h), unless
#     FDSCOPE_VMLINUX_H names a pre-generated one;
#   * fdscope_bpf_skeleton(STEM) turns bpf/STEM.bpf.c into STEM.bpf.o and the
#     skeleton header STEM.skel.h in the calling folder's build dir/bpf;
#   * fdscope_bpf_min_btf(STEM) reduces the kernel BTF to the types STEM's
#     CO-RE relocations use (bpftool gen min_core_btf), with a text file
#     naming the kernel it came from: a program can hand it to libbpf
#     (btf_custom_path) instead of parsing the whole 5 MB vmlinux BTF when it
#     runs on that same kernel.
option(FDSCOPE_BPF "Build the BPF parts (trace, filan's BPF fd scan) when the tools are there" ON)
find_program(FDSCOPE_CLANG NAMES clang clang-16 clang-15 clang-14)
find_program(FDSCOPE_BPFTOOL NAMES bpftool PATHS /usr/sbin /usr/local/sbin)
find_package(PkgConfig)
if(PkgConfig_FOUND AND NOT TARGET PkgConfig::LIBBPF)
  pkg_check_modules(LIBBPF IMPORTED_TARGET GLOBAL libbpf)
endif()
set(FDSCOPE_VMLINUX_H "" CACHE FILEPATH "Pre-generated vmlinux.h for the BPF programs (default: dump /sys/kernel/btf/vmlinux)")
set(FDSCOPE_BTF_FILE /sys/kernel/btf/vmlinux)

set(FDSCOPE_BPF_MISSING "")
if(NOT FDSCOPE_BPF)
  list(APPEND FDSCOPE_BPF_MISSING "BPF (disabled with -DFDSCOPE_BPF=OFF)")
endif()
if(NOT FDSCOPE_CLANG)
  list(APPEND FDSCOPE_BPF_MISSING "clang")
endif()
if(NOT FDSCOPE_BPFTOOL)
  list(APPEND FDSCOPE_BPF_MISSING "bpftool")
endif()
if(NOT LIBBPF_FOUND)
  list(APPEND FDSCOPE_BPF_MISSING "libbpf (libbpf-dev)")
endif()
if(NOT FDSCOPE_VMLINUX_H AND NOT EXISTS ${FDSCOPE_BTF_FILE})
  list(APPEND FDSCOPE_BPF_MISSING "kernel BTF (${FDSCOPE_BTF_FILE})")
endif()
list(JOIN FDSCOPE_BPF_MISSING ", " FDSCOPE_BPF_MISSING_TEXT)
if(FDSCOPE_BPF_MISSING)
  set(FDSCOPE_BPF_FOUND OFF)
  return()
endif()
set(FDSCOPE_BPF_FOUND ON)

set(FDSCOPE_BPF_VMLINUX_DIR ${CMAKE_BINARY_DIR}/bpf)
file(MAKE_DIRECTORY ${FDSCOPE_BPF_VMLINUX_DIR})
if(FDSCOPE_VMLINUX_H)
  set(FDSCOPE_BPF_VMLINUX ${FDSCOPE_VMLINUX_H})
  add_custom_target(fdscope_vmlinux_h)
else()
  set(FDSCOPE_BPF_VMLINUX ${FDSCOPE_BPF_VMLINUX_DIR}/vmlinux.h)
  add_custom_command(OUTPUT ${FDSCOPE_BPF_VMLINUX}
    COMMAND ${FDSCOPE_BPFTOOL} btf dump file ${FDSCOPE_BTF_FILE} format c > ${FDSCOPE_BPF_VMLINUX}.tmp
    COMMAND ${CMAKE_COMMAND} -E rename ${FDSCOPE_BPF_VMLINUX}.tmp ${FDSCOPE_BPF_VMLINUX}
    COMMENT "bpf: vmlinux.h from ${FDSCOPE_BTF_FILE}"
    VERBATIM)
  add_custom_target(fdscope_vmlinux_h DEPENDS ${FDSCOPE_BPF_VMLINUX})
endif()

# fdscope_bpf_skeleton(STEM): bpf/STEM.bpf.c (+ bpf/STEM.h) -> STEM.bpf.o ->
# STEM.skel.h in ${CMAKE_CURRENT_BINARY_DIR}/bpf.  Sets FDSCOPE_SKEL_<STEM>
# (the header), FDSCOPE_BPF_OBJ_<STEM> (the object) and FDSCOPE_BPF_OUT_DIR
# in the caller's scope.
function(fdscope_bpf_skeleton stem)
  set(_dir ${CMAKE_CURRENT_BINARY_DIR}/bpf)
  file(MAKE_DIRECTORY ${_dir})
  set(_src ${PROJECT_SOURCE_DIR}/bpf/${stem}.bpf.c)
  set(_obj ${_dir}/${stem}.bpf.o)
  set(_skel ${_dir}/${stem}.skel.h)
  add_custom_command(OUTPUT ${_obj}
    COMMAND ${FDSCOPE_CLANG} -target bpf -g -O2 -D__TARGET_ARCH_x86
            -I${FDSCOPE_BPF_VMLINUX_DIR} -I${PROJECT_SOURCE_DIR}/bpf -I/usr/include/${CMAKE_LIBRARY_ARCHITECTURE}
            -c ${_src} -o ${_obj}
    DEPENDS ${_src} ${PROJECT_SOURCE_DIR}/bpf/${stem}.h ${FDSCOPE_BPF_VMLINUX}
    COMMENT "bpf: clang -target bpf ${stem}.bpf.c"
    VERBATIM)
  add_custom_command(OUTPUT ${_skel}
    COMMAND ${FDSCOPE_BPFTOOL} gen skeleton ${_obj} name ${stem} > ${_skel}.tmp
    COMMAND ${CMAKE_COMMAND} -E rename ${_skel}.tmp ${_skel}
    DEPENDS ${_obj}
    COMMENT "bpf: bpftool gen skeleton ${stem}"
    VERBATIM)
  set(FDSCOPE_SKEL_${stem} ${_skel} PARENT_SCOPE)
  set(FDSCOPE_BPF_OBJ_${stem} ${_obj} PARENT_SCOPE)
  set(FDSCOPE_BPF_OUT_DIR ${_dir} PARENT_SCOPE)
endfunction()

# fdscope_bpf_min_btf(STEM [IDS KIND:NAME ...]): after
# fdscope_bpf_skeleton(STEM), the kernel BTF reduced to what STEM.bpf.o
# relocates against (STEM.min.btf) and the kernel it describes
# (STEM.min.btf.id: `uname -r`, `uname -v`, the BTF file size), followed by
# the type id of each IDS entry (FUNC:bpf_iter_task_file, TYPEDEF:btf_trace_x)
# in that kernel (cmake/btf_ids.awk): a program running on that same kernel
# takes attach ids from there instead of walking the 5 MB BTF.
# Sets FDSCOPE_MIN_BTF_<STEM> and FDSCOPE_MIN_BTF_ID_<STEM>; both empty with a
# pre-generated vmlinux.h (no kernel BTF to reduce).
function(fdscope_bpf_min_btf stem)
  cmake_parse_arguments(PARSE_ARGV 1 _arg "" "" "IDS")
  list(JOIN _arg_IDS " " _ids)
  if(FDSCOPE_VMLINUX_H OR NOT EXISTS ${FDSCOPE_BTF_FILE})
    set(FDSCOPE_MIN_BTF_${stem} "" PARENT_SCOPE)
    set(FDSCOPE_MIN_BTF_ID_${stem} "" PARENT_SCOPE)
    return()
  endif()
  set(_dir ${CMAKE_CURRENT_BINARY_DIR}/bpf)
  set(_obj ${_dir}/${stem}.bpf.o)
  set(_btf ${_dir}/${stem}.min.btf)
  set(_id ${_dir}/${stem}.min.btf.id)
  add_custom_command(OUTPUT ${_btf} ${_id}
    COMMAND ${FDSCOPE_BPFTOOL} gen min_core_btf ${FDSCOPE_BTF_FILE} ${_btf}.tmp ${_obj}
    COMMAND sh -c "{ uname -r; uname -v; stat -L -c %s ${FDSCOPE_BTF_FILE}; ${FDSCOPE_BPFTOOL} btf dump file ${FDSCOPE_BTF_FILE} | awk -v 'want=${_ids}' -f ${PROJECT_SOURCE_DIR}/cmake/btf_ids.awk; } > ${_id}.tmp"
    COMMAND ${CMAKE_COMMAND} -E rename ${_btf}.tmp ${_btf}
    COMMAND ${CMAKE_COMMAND} -E rename ${_id}.tmp ${_id}
    DEPENDS ${_obj} ${PROJECT_SOURCE_DIR}/cmake/btf_ids.awk
    COMMENT "bpf: bpftool gen min_core_btf ${stem}"
    VERBATIM)
  set(FDSCOPE_MIN_BTF_${stem} ${_btf} PARENT_SCOPE)
  set(FDSCOPE_MIN_BTF_ID_${stem} ${_id} PARENT_SCOPE)
endfunction()
