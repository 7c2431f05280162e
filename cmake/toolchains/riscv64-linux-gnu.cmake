# riscv64 Linux with clang --target and lld.  Programs run under
# qemu-riscv64 (ctest uses CMAKE_CROSSCOMPILING_EMULATOR), where io_uring is
# absent: io_uring_setup answers -ENOSYS.
#
# No riscv64 libc is needed: the library is freestanding, libiou.so links
# with -nostdlib (when IOU_SANITIZE is empty) and the nolibc programs bring
# their own _start.  CMake's own checks therefore build static libraries,
# never programs (a program would need crt1.o and libc).  When Debian's
# libc6-dev-riscv64-cross (+ gcc-riscv64-linux-gnu for crtbegin/libgcc) is
# installed, programs that use a libc (examples) link against it too.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET riscv64-linux-gnu)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# lld 15 and later implement RISC-V linker relaxation (R_RISCV_ALIGN); with
# lld 14 (Debian 12's default) objects must be compiled with -mno-relax,
# which is fine for ours but not for glibc's crt objects: prefer a newer lld.
find_program(IOU_RISCV_LLD NAMES ld.lld-19 ld.lld-18 ld.lld-17 ld.lld-16 ld.lld-15 ld.lld REQUIRED)
execute_process(COMMAND ${IOU_RISCV_LLD} --version OUTPUT_VARIABLE _iou_lld_version)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=${IOU_RISCV_LLD}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-fuse-ld=${IOU_RISCV_LLD}")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-fuse-ld=${IOU_RISCV_LLD}")
if(_iou_lld_version MATCHES "LLD ([0-9]+)\\." AND CMAKE_MATCH_1 LESS 15)
  set(CMAKE_C_FLAGS_INIT "-mno-relax")
endif()

find_program(IOU_LLVM_AR NAMES llvm-ar llvm-ar-16 llvm-ar-14 REQUIRED)
find_program(IOU_LLVM_RANLIB NAMES llvm-ranlib llvm-ranlib-16 llvm-ranlib-14 REQUIRED)
find_program(IOU_LLVM_NM NAMES llvm-nm llvm-nm-16 llvm-nm-14 REQUIRED)
find_program(IOU_LLVM_STRIP NAMES llvm-strip llvm-strip-16 llvm-strip-14 REQUIRED)
find_program(IOU_LLVM_OBJCOPY NAMES llvm-objcopy llvm-objcopy-16 llvm-objcopy-14 REQUIRED)
set(CMAKE_AR ${IOU_LLVM_AR} CACHE FILEPATH "")
set(CMAKE_RANLIB ${IOU_LLVM_RANLIB} CACHE FILEPATH "")
set(CMAKE_NM ${IOU_LLVM_NM} CACHE FILEPATH "")
set(CMAKE_STRIP ${IOU_LLVM_STRIP} CACHE FILEPATH "")
set(CMAKE_OBJCOPY ${IOU_LLVM_OBJCOPY} CACHE FILEPATH "")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
if(EXISTS /usr/riscv64-linux-gnu/lib/crt1.o)
  set(CMAKE_FIND_ROOT_PATH /usr/riscv64-linux-gnu)
  set(CMAKE_CROSSCOMPILING_EMULATOR qemu-riscv64 -L /usr/riscv64-linux-gnu)
else()
  # Nothing to find for the target: no host library may leak in.
  set(CMAKE_FIND_ROOT_PATH /nonexistent-riscv64-sysroot)
  set(CMAKE_CROSSCOMPILING_EMULATOR qemu-riscv64)
endif()
