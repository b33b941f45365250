# Checks that one source folder depends only on the folders below it (docs/design.md, "How
# it is built"): every #include of FOLDER's files whose first path component is a top-level
# folder of the source tree must name one of ALLOWED, and every storyreel library LINKED
# (the folder's target's LINK_LIBRARIES) must be storyreel_<one of ALLOWED>.
#
#   cmake -DSOURCE_DIR=... -DFOLDER=pipeline -DALLOWED=pipeline [-DLINKED=a,b] -P include_layering.cmake
#
# ALLOWED and LINKED are comma-separated. Fails listing every offending file:line and library.

cmake_minimum_required(VERSION 3.25)

foreach(required SOURCE_DIR FOLDER ALLOWED)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "include_layering.cmake: -D${required}=... is required")
  endif()
endforeach()
string(REPLACE "," ";" allowed "${ALLOWED}")
string(REPLACE "," ";" linked "${LINKED}")

# The folders a file could include from: every top-level folder of the source tree.
file(GLOB children LIST_DIRECTORIES true RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/*")
set(source_folders)
foreach(child IN LISTS children)
  if(IS_DIRECTORY "${SOURCE_DIR}/${child}" AND NOT child MATCHES "^\\.")
    list(APPEND source_folders "${child}")
  endif()
endforeach()

set(problems)
file(GLOB_RECURSE files RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/${FOLDER}/*.h"
  "${SOURCE_DIR}/${FOLDER}/*.cpp")
if(NOT files)
  message(FATAL_ERROR "include_layering.cmake: no .h or .cpp file under ${SOURCE_DIR}/${FOLDER}")
endif()
foreach(file IN LISTS files)
  file(READ "${SOURCE_DIR}/${file}" content)
  string(REGEX MATCHALL "(^|\n)[ \t]*#[ \t]*include[ \t]*[\"<][^\">\n]*[\">]" includes "${content}")
  foreach(include IN LISTS includes)
    string(REGEX REPLACE "^\n?[ \t]*#[ \t]*include[ \t]*[\"<]([^\">\n]*)[\">]$" "\\1" header "${include}")
    string(REGEX REPLACE "^(\\.\\.?/)+" "" header_from_root "${header}")
    string(REGEX MATCH "^[^/]+/" first "${header_from_root}")
    string(REGEX REPLACE "/$" "" first "${first}")
    if(first STREQUAL "" OR NOT first IN_LIST source_folders OR first IN_LIST allowed)
      continue()
    endif()
    string(FIND "${content}" "${include}" offset)
    string(SUBSTRING "${content}" 0 ${offset} before)
    string(REGEX MATCHALL "\n" newlines "${before}")
    list(LENGTH newlines line)
    if(NOT include MATCHES "^\n")
      math(EXPR line "${line} + 1")
    else()
      math(EXPR line "${line} + 2")
    endif()
    list(APPEND problems "  ${file}:${line}: includes ${header} (from ${first}/)")
  endforeach()
endforeach()

foreach(library IN LISTS linked)
  string(REGEX MATCHALL "storyreel_[A-Za-z0-9_]+" names "${library}")
  foreach(name IN LISTS names)
    string(REGEX REPLACE "^storyreel_" "" folder "${name}")
    if(NOT folder IN_LIST allowed)
      list(APPEND problems "  the ${FOLDER} library links ${name}")
    endif()
  endforeach()
endforeach()

if(problems)
  list(LENGTH problems count)
  string(REPLACE ";" "\n" listed "${problems}")
  message(FATAL_ERROR "${FOLDER}/ may depend only on ${ALLOWED}, and ${count} dependency(ies) "
    "go elsewhere:\n${listed}\nMove the code down, or have what it needs from above injected "
    "(as pipeline/build.h's BuildRequest takes the source reader and the editorial cut).")
endif()
list(LENGTH files count)
message(STATUS "${FOLDER}/: ${count} files include and link only ${ALLOWED}")
