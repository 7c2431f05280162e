# libiou.a must need nothing from outside: `nm -u` may list no symbol (it
# prints the archive member's name, which is not a symbol).
# Usage: cmake -DNM=<nm> -DLIB=<libiou.a> -P check_nm.cmake
execute_process(COMMAND ${NM} -u ${LIB} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -u ${LIB} failed: ${err}")
endif()
string(REGEX MATCHALL "[ \t]+U [^\n]+" undefined "${out}")
if(undefined)
  message(FATAL_ERROR "libiou.a needs symbols from outside:\n${undefined}")
endif()
message("no undefined symbols in ${LIB}")
