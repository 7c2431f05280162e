# Install rules: headers, libraries, the CMake package iou::iou /
# iou::static / iou::liburing, and iou.pc and iou-liburing.pc for
# pkg-config.
#
# IOU_INSTALL_TARGETS (from the top-level CMakeLists.txt): iou_static, plus
# iou_shared when BUILD_SHARED_LIBS.  They reach the helper INTERFACE
# targets (iou_sanitize, iou_warnings) only through $<BUILD_INTERFACE:...>,
# so those stay out of the export set; a plain link to one of them would
# make install(EXPORT) fail at generate time ("requires target ... that is
# not in any export set").
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/iou
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
# liburing's headers in a directory of their own: only a program that asks
# for iou-liburing sees them, and a real liburing install stays untouched.
if(TARGET iou_liburing)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/iou-liburing
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
endif()
install(TARGETS ${IOU_INSTALL_TARGETS} EXPORT iouTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT iouTargets NAMESPACE iou::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/iou)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/iouConfig.cmake.in
  ${PROJECT_BINARY_DIR}/iouConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/iou)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/iouConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/iouConfig.cmake ${PROJECT_BINARY_DIR}/iouConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/iou)

# pkg-config: the prefix is found from the .pc file's own place, so the
# package works wherever `cmake --install --prefix` put it (unless a
# directory was given as an absolute path: then the paths are absolute).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(IOU_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(IOU_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(IOU_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH IOU_PC_UP "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
  string(REGEX REPLACE "/$" "" IOU_PC_UP "${IOU_PC_UP}")
  set(IOU_PC_PREFIX "\${pcfiledir}/${IOU_PC_UP}")
  set(IOU_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(IOU_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/iou.pc.in ${PROJECT_BINARY_DIR}/iou.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/iou.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(TARGET iou_liburing)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/iou-liburing.pc.in
    ${PROJECT_BINARY_DIR}/iou-liburing.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/iou-liburing.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
