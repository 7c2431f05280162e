# riscv64 Linux with clang --target and lld; the glibc of Debian's
# libc6-dev-riscv64-cross serves programs that use a libc (the library and
# the nolibc programs need none).  lld before 15 cannot link glibc's crt
# objects (no RISC-V relaxation), so a newer ld.lld is preferred when there.
# Programs run under qemu-riscv64, where io_uring is absent (-ENOSYS).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET riscv64-linux-gnu)
find_program(IOU_RISCV_LLD NAMES ld.lld-16 ld.lld-15 ld.lld REQUIRED)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=${IOU_RISCV_LLD}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-fuse-ld=${IOU_RISCV_LLD}")
find_program(IOU_LLVM_AR NAMES llvm-ar REQUIRED)
find_program(IOU_LLVM_NM NAMES llvm-nm REQUIRED)
find_program(IOU_LLVM_STRIP NAMES llvm-strip REQUIRED)
find_program(IOU_LLVM_OBJCOPY NAMES llvm-objcopy REQUIRED)
set(CMAKE_AR ${IOU_LLVM_AR} CACHE FILEPATH "")
set(CMAKE_NM ${IOU_LLVM_NM} CACHE FILEPATH "")
set(CMAKE_STRIP ${IOU_LLVM_STRIP} CACHE FILEPATH "")
set(CMAKE_OBJCOPY ${IOU_LLVM_OBJCOPY} CACHE FILEPATH "")
set(CMAKE_FIND_ROOT_PATH /usr/riscv64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-riscv64 -L /usr/riscv64-linux-gnu)
