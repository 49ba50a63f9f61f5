# SPDX-License-Identifier: MIT OR Apache-2.0
# format-check: fails when any C/C++ source is not clang-format clean.
# format: rewrites them in place.
find_program(CLANG_FORMAT clang-format)
if(CLANG_FORMAT)
  file(GLOB_RECURSE PF_FORMAT_FILES CONFIGURE_DEPENDS
       ${CMAKE_SOURCE_DIR}/src/*.cpp ${CMAKE_SOURCE_DIR}/src/*.h
       ${CMAKE_SOURCE_DIR}/include/*.h ${CMAKE_SOURCE_DIR}/tests/*.c
       ${CMAKE_SOURCE_DIR}/tests/*.cpp ${CMAKE_SOURCE_DIR}/tests/*.h
       ${CMAKE_SOURCE_DIR}/tools/*.cpp ${CMAKE_SOURCE_DIR}/tools/*.h
       ${CMAKE_SOURCE_DIR}/bench/*.cpp ${CMAKE_SOURCE_DIR}/bench/*.h ${CMAKE_SOURCE_DIR}/clients/*.cpp
       ${CMAKE_SOURCE_DIR}/clients/*.h)
  add_custom_target(format-check
    COMMAND ${CLANG_FORMAT} --dry-run -Werror ${PF_FORMAT_FILES}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "clang-format check of ${CMAKE_SOURCE_DIR}" VERBATIM)
  add_custom_target(format
    COMMAND ${CLANG_FORMAT} -i ${PF_FORMAT_FILES}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} VERBATIM)
endif()
