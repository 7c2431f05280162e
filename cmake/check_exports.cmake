# Every prep helper is a real symbol of the shared library, for FFI users:
# `nm -D --defined-only libiou.so` must list at least MIN iou_prep_* names.
# Usage: cmake -DNM=<nm> -DLIB=<libiou.so> -DMIN=<n> -P check_exports.cmake
execute_process(COMMAND ${NM} -D --defined-only ${LIB}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed: ${err}")
endif()
string(REGEX MATCHALL " T iou_prep_[a-z0-9_]+" preps "${out}")
list(LENGTH preps n)
message("${n} iou_prep_* symbols exported (at least ${MIN} wanted)")
if(n LESS MIN)
  message(FATAL_ERROR "too few")
endif()
