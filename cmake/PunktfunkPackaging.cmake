# SPDX-License-Identifier: MIT OR Apache-2.0
# `cmake --install` layout and the .deb (`cmake --build build --target package`):
# the programs, the C ABI's shared library and header, the systemd user unit,
# the udev rule and module list for uinput gamepads, the desktop file KWin
# grants its interfaces by, and the docs.
include(GNUInstallDirs)

foreach(program punktfunk-host punktfunk-ctl punktfunk-client)
  if(TARGET ${program})
    install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
if(TARGET punktfunk_core_shared)
  install(TARGETS punktfunk_core_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()
install(FILES include/punktfunk_core.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES packaging/systemd/punktfunk-host.service DESTINATION lib/systemd/user)
install(FILES packaging/udev/60-punktfunk-uinput.rules DESTINATION lib/udev/rules.d)
install(FILES packaging/modules-load-punktfunk.conf DESTINATION lib/modules-load.d
        RENAME punktfunk.conf)
# The desktop file KWin reads to grant the host its screencast and fake input:
# Exec must be the installed program's path, known only at install time.
install(CODE "
  set(PF_HOST_EXEC \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/punktfunk-host\")
  configure_file(\"${CMAKE_CURRENT_SOURCE_DIR}/packaging/punktfunk-host.desktop.in\"
                 \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/applications/punktfunk-host.desktop\"
                 @ONLY)
")
install(FILES README.md LICENSE-MIT LICENSE-APACHE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME punktfunk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "punktfunk developers <dev@punktfunk.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "low-latency desktop and game streaming host (GameStream and punktfunk/1)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)  # debug info stays in the build tree
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends from the linked libraries (dpkg-shlibdeps)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS 
    "xvfb, pipewire, wireplumber, avahi-daemon, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mutter")
include(CPack)
