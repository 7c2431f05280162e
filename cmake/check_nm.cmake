# libiou.a must need nothing from outside: `nm -u` may list no symbol.
# Every line it prints counts, whatever its type letter (U, w, v: a weak
# undefined symbol is still one the library expects someone else to
# define), except blank lines, the archive members' names ("x.o:"), and
# the one optional reference the library makes on purpose: a weak
# `environ` (src/loop/env.c reads IOU_BACKEND there when the program has
# one, and /proc/self/environ when it resolves to nothing), reached through
# the GOT, whose _GLOBAL_OFFSET_TABLE_ every link defines itself.
# Usage: cmake -DNM=<nm> -DLIB=<libiou.a> -P check_nm.cmake
if(NOT NM OR NOT LIB)
  message(FATAL_ERROR "usage: cmake -DNM=<nm> -DLIB=<library> -P check_nm.cmake")
endif()
execute_process(COMMAND ${NM} -u ${LIB}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -u ${LIB} failed (${rc}): ${err}")
endif()

string(REPLACE ";" "\\;" out "${out}")
string(REPLACE "\n" ";" lines "${out}")
set(undefined "")
foreach(line IN LISTS lines)
  string(STRIP "${line}" line)
  if(line STREQUAL "" OR line MATCHES ":$" OR line MATCHES "^[wv] environ$"
     OR line MATCHES "^U _GLOBAL_OFFSET_TABLE_$")
    continue()
  endif()
  string(APPEND undefined "  ${line}\n")
endforeach()
if(undefined)
  message(FATAL_ERROR "${LIB} needs symbols from outside (${NM} -u):\n${undefined}")
endif()
message("no undefined symbols in ${LIB}")
