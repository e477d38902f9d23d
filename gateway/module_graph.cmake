# The module graph check (docs/architecture.md, "Module graph").
#
# Every `#include "gateway/<module>/..."` in a module's sources must name the module itself
# or a module it declares in DEPENDS, and every declared dependency must be included by at
# least one of its files. A module may rely only on what it declares directly, never on what
# arrives transitively, so the declared graph is the real one. Dependencies must also be
# declared earlier in gateway/CMakeLists.txt's module order, which keeps the graph acyclic.
#
# Runs at configure time (a violation stops the build) and as the ctest test module_graph
# (`cmake -DGRAPH_FILE=... -DSOURCE_DIR=... -P module_graph.cmake`), so an include added
# after configuration is caught by the next build's test run as well.

if(CMAKE_SCRIPT_MODE_FILE)
  cmake_minimum_required(VERSION 3.25) # IN_LIST and the other policies of the main build
endif()

function(dcagw_module_graph_violations graph_file source_dir out_variable)
  file(STRINGS ${graph_file} lines)
  set(known "")
  set(problems "")
  foreach(line IN LISTS lines)
    string(REGEX MATCH "^([a-z_]+):(.*)$" _ "${line}")
    set(module ${CMAKE_MATCH_1})
    string(STRIP "${CMAKE_MATCH_2}" declared)
    separate_arguments(declared)
    foreach(dependency IN LISTS declared)
      if(NOT dependency IN_LIST known)
        list(APPEND problems "${module} depends on ${dependency}, which is not an earlier module")
      endif()
    endforeach()
    file(GLOB files ${source_dir}/gateway/${module}/*.cpp ${source_dir}/gateway/${module}/*.hpp)
    set(used "")
    foreach(path IN LISTS files)
      file(STRINGS ${path} includes REGEX "^#include \"gateway/[a-z_]+/")
      foreach(include IN LISTS includes)
        string(REGEX MATCH "gateway/([a-z_]+)/" _ "${include}")
        set(target ${CMAKE_MATCH_1})
        if(target STREQUAL module)
          continue()
        endif()
        list(APPEND used ${target})
        if(NOT target IN_LIST declared)
          file(RELATIVE_PATH relative ${source_dir} ${path})
          list(APPEND problems "${relative} includes gateway/${target}/ but ${module} does not declare DEPENDS ${target}")
        endif()
      endforeach()
    endforeach()
    foreach(dependency IN LISTS declared)
      if(NOT dependency IN_LIST used)
        list(APPEND problems "${module} declares DEPENDS ${dependency} but none of its files includes gateway/${dependency}/")
      endif()
    endforeach()
    list(APPEND known ${module})
  endforeach()
  set(${out_variable} "${problems}" PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE)
  dcagw_module_graph_violations(${GRAPH_FILE} ${SOURCE_DIR} problems)
  if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "module graph violated:\n  ${text}")
  endif()
  message(STATUS "module graph holds")
endif()
