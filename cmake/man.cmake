# Man pages: section 3 made from the public headers' doc blocks by
# cmake/manpages.sh, section 7 from docs/man/*.7, written to
# <build>/man/man3 and man7 by the default build and installed under
# ${CMAKE_INSTALL_MANDIR}.  The generator needs only a POSIX sh and awk.
# tests/CMakeLists.txt checks the pages (man_pages_complete,
# man_pages_render) when IOU_MAN_DIR is set.
if(CMAKE_HOST_UNIX)
  set(IOU_MAN_DIR ${PROJECT_BINARY_DIR}/man)
  file(GLOB IOU_MAN_INPUTS CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/include/iou/*.h ${PROJECT_SOURCE_DIR}/docs/man/*.7)
  add_custom_command(OUTPUT ${IOU_MAN_DIR}/stamp
    COMMAND sh ${PROJECT_SOURCE_DIR}/cmake/manpages.sh ${IOU_MAN_DIR} ${PROJECT_VERSION}
    COMMAND ${CMAKE_COMMAND} -E touch ${IOU_MAN_DIR}/stamp
    DEPENDS ${IOU_MAN_INPUTS} ${PROJECT_SOURCE_DIR}/cmake/manpages.sh
      ${PROJECT_SOURCE_DIR}/cmake/docblocks.awk
    COMMENT "Writing the man pages"
    VERBATIM)
  add_custom_target(iou_man ALL DEPENDS ${IOU_MAN_DIR}/stamp)
  install(DIRECTORY ${IOU_MAN_DIR}/man3 ${IOU_MAN_DIR}/man7
    DESTINATION ${CMAKE_INSTALL_MANDIR})
endif()
