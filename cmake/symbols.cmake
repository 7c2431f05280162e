# The exported names of libiou, from cmake/libiou.symbols.
# iou_read_symbols(<var>): the list, comments and blank lines left out.
# iou_version_script(<file>): a linker version script that exports exactly
# those names (version node IOU_<soversion>) and hides everything else.
set(IOU_SYMBOLS_FILE ${CMAKE_CURRENT_LIST_DIR}/libiou.symbols)

function(iou_read_symbols var)
  file(STRINGS ${IOU_SYMBOLS_FILE} lines REGEX "^[A-Za-z_]")
  set(${var} ${lines} PARENT_SCOPE)
endfunction()

function(iou_version_script out)
  iou_read_symbols(names)
  set(text "/* Generated from cmake/libiou.symbols: edit that file. */\n")
  string(APPEND text "IOU_${PROJECT_VERSION_MAJOR} {\nglobal:\n")
  foreach(n IN LISTS names)
    string(APPEND text "\t${n};\n")
  endforeach()
  string(APPEND text "local:\n\t*;\n};\n")
  # Rewritten only when it changes, so the library relinks only then.
  file(CONFIGURE OUTPUT ${out} CONTENT "${text}" @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${IOU_SYMBOLS_FILE})
endfunction()
