# Run iou-probe and hold it to the coverage bar: one line per opcode of
# abi.h (63 for Linux 6.18), none of them without a helper.
# Usage: cmake -DPROBE=<path> [-DEMULATOR=<cmd>] -P check_probe.cmake
execute_process(COMMAND ${EMULATOR} ${PROBE}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 2)
  message("SKIP: io_uring unavailable here: ${out}")
  return()
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "iou-probe failed (${rc}): ${out}${err}")
endif()
string(REGEX MATCHALL "IORING_OP_[A-Z0-9_]+ kernel=[a-z]+ helper=[a-z0-9_]+" ops "${out}")
list(LENGTH ops n)
string(REGEX MATCHALL "helper=none" none "${out}")
list(LENGTH none n_none)
message("iou-probe: ${n} opcodes, ${n_none} without a helper")
if(NOT n EQUAL 63 OR NOT n_none EQUAL 0)
  message(FATAL_ERROR "expected 63 opcodes, all with a helper")
endif()
