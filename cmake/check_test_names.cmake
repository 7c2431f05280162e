# The suites' naming rule (docs/design.md, "Tests"): in tests/test_<x>.c
# every case is test_<x>_<behaviour>.  Cases are the functions
# "static void test_...(void **state)" and those the LOOP_TEST (loop_fast.h:
# test_loop_fast_<name>) and SYNC_TEST (loop_sync.h: test_loop_sync_<name>)
# macros make.
# And every tests/test_<x>.c is a suite tests/CMakeLists.txt lists by
# name, so that none is left unbuilt.
# Usage: cmake -DDIR=<tests dir> -P check_test_names.cmake
file(GLOB suites ${DIR}/test_*.c)
file(READ ${DIR}/CMakeLists.txt listed)
set(bad "")
set(n 0)
foreach(f IN LISTS suites)
  get_filename_component(stem ${f} NAME_WE)
  if(NOT listed MATCHES "(iou_add_test|iou_add_loop_test|add_executable)\\(${stem} ")
    string(APPEND bad "  ${stem}.c: not a suite in ${DIR}/CMakeLists.txt\n")
  endif()
  file(STRINGS ${f} lines REGEX "^(static void test_[a-z0-9_]+\\(void \\*\\*|(LOOP|SYNC)_TEST\\()")
  foreach(l IN LISTS lines)
    if(l MATCHES "^static void (test_[a-z0-9_]+)\\(")
      set(name ${CMAKE_MATCH_1})
    elseif(l MATCHES "^LOOP_TEST\\(([a-z0-9_]+)")
      set(name test_loop_fast_${CMAKE_MATCH_1})
    elseif(l MATCHES "^SYNC_TEST\\(([a-z0-9_]+)")
      set(name test_loop_sync_${CMAKE_MATCH_1})
    endif()
    math(EXPR n "${n} + 1")
    string(FIND "${name}" "${stem}_" at)
    if(NOT at EQUAL 0)
      string(APPEND bad "  ${stem}.c: ${name}\n")
    endif()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "suites not listed, or cases not named after their file (test_<file>_<behaviour>):\n${bad}")
endif()
message(STATUS "${n} cases, each named after its file")
