# A -nostdlib program (nolibc_nop): at most MAX_BYTES once stripped, static
# (no PT_INTERP program header), and it runs: exit 0.  Under an emulator
# (qemu-user in a cross build has no io_uring: -ENOSYS) exit 2, "io_uring
# refused", is accepted too.
# Usage: cmake -DSTRIP=<strip> -DEXE=<program> -DMAX_BYTES=<n>
#              [-DEMULATOR=<command;args...>] -P check_nolibc.cmake
if(NOT STRIP OR NOT EXE OR NOT MAX_BYTES)
  message(FATAL_ERROR "usage: cmake -DSTRIP=<strip> -DEXE=<program> -DMAX_BYTES=<n> [-DEMULATOR=<cmd>] -P check_nolibc.cmake")
endif()
get_filename_component(name ${EXE} NAME)

# Size: of a stripped copy; the program itself keeps its symbols.
set(copy ${EXE}.stripped)
file(REMOVE ${copy})
execute_process(COMMAND ${STRIP} -o ${copy} ${EXE} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${STRIP} -o ${copy} ${EXE} failed (${rc}): ${err}")
endif()
file(SIZE ${copy} size)
message("${name} stripped: ${size} bytes (limit ${MAX_BYTES})")
if(size GREATER MAX_BYTES)
  message(FATAL_ERROR "${name} is too large: ${size} > ${MAX_BYTES} bytes stripped")
endif()

# Static: read the ELF program headers ourselves (no readelf for the target
# needed), for either class and byte order.
file(READ ${copy} hdr LIMIT 64 HEX)
string(SUBSTRING "${hdr}" 0 8 magic)
if(NOT magic STREQUAL "7f454c46")
  message(FATAL_ERROR "${copy} is not an ELF file")
endif()
string(SUBSTRING "${hdr}" 8 2 ei_class)
string(SUBSTRING "${hdr}" 10 2 ei_data)

# elf_field(<var> <hex> <byte offset> <bytes>): an unsigned field of <hex>.
function(elf_field var hex off len)
  math(EXPR o "${off} * 2")
  math(EXPR l "${len} * 2")
  string(SUBSTRING "${hex}" ${o} ${l} bytes)
  if(ei_data STREQUAL "01") # little endian: reverse the bytes
    set(be "")
    while(l GREATER 0)
      math(EXPR l "${l} - 2")
      string(SUBSTRING "${bytes}" ${l} 2 b)
      string(APPEND be "${b}")
    endwhile()
    set(bytes "${be}")
  endif()
  math(EXPR v "0x${bytes}" OUTPUT_FORMAT DECIMAL)
  set(${var} ${v} PARENT_SCOPE)
endfunction()

if(ei_class STREQUAL "02") # ELF64
  elf_field(phoff "${hdr}" 32 8)
  elf_field(phentsize "${hdr}" 54 2)
  elf_field(phnum "${hdr}" 56 2)
elseif(ei_class STREQUAL "01") # ELF32
  elf_field(phoff "${hdr}" 28 4)
  elf_field(phentsize "${hdr}" 42 2)
  elf_field(phnum "${hdr}" 44 2)
else()
  message(FATAL_ERROR "${copy}: unknown ELF class ${ei_class}")
endif()
if(phnum EQUAL 0 OR phentsize LESS 8)
  message(FATAL_ERROR "${copy}: no program headers: not an executable")
endif()
math(EXPR phbytes "${phentsize} * ${phnum}")
file(READ ${copy} ph OFFSET ${phoff} LIMIT ${phbytes} HEX)
string(LENGTH "${ph}" got)
math(EXPR want "${phbytes} * 2")
if(NOT got EQUAL want)
  message(FATAL_ERROR "${copy}: program headers cut short")
endif()
set(i 0)
while(i LESS phnum)
  math(EXPR at "${i} * ${phentsize}")
  elf_field(p_type "${ph}" ${at} 4)
  if(p_type EQUAL 3) # PT_INTERP
    message(FATAL_ERROR "${name} has a program interpreter: it is not static")
  endif()
  math(EXPR i "${i} + 1")
endwhile()
message("${name} is static: ${phnum} program headers, no PT_INTERP")

# Run it.
if(EMULATOR)
  string(REPLACE ";" " " emulator_cmd "${EMULATOR}")
  message("running: ${emulator_cmd} ${EXE}")
endif()
execute_process(COMMAND ${EMULATOR} ${EXE} RESULT_VARIABLE rc TIMEOUT 60)
message("${name} exit status: ${rc}")
if(rc STREQUAL "0")
  return()
endif()
if(EMULATOR AND rc STREQUAL "2")
  message("${name}: io_uring refused under the emulator (exit 2): accepted")
  return()
endif()
message(FATAL_ERROR "${name} failed: exit status ${rc}")
