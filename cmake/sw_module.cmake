# sw_add_module(NAME [DEPS module...] [LIBS target...])
#   One static library per module under src/NAME (all .cpp files below it), target sw_NAME.
#   DEPS are other Shieldwall modules (PUBLIC: the layering of ARCHITECTURE.md §5 is the link graph);
#   LIBS are third-party targets.
function(sw_add_module name)
  cmake_parse_arguments(M "" "" "DEPS;LIBS;PRIVATE_LIBS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(sw_${name} STATIC ${srcs})
  target_include_directories(sw_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  set(deps)
  foreach(d IN LISTS M_DEPS)
    list(APPEND deps sw_${d})
  endforeach()
  target_link_libraries(sw_${name} PUBLIC ${deps} ${M_LIBS} PRIVATE ${M_PRIVATE_LIBS})
  sw_warnings(sw_${name})
endfunction()

function(sw_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false positives inside simdjson's inlined result types (simdjson issue #1926).
    target_compile_options(${target} PRIVATE -Wno-dangling-pointer -Wno-maybe-uninitialized)
  endif()
  if(SW_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# sw_add_test(NAME SOURCES... DEPS module...) — one GoogleTest binary, registered with ctest.
function(sw_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS;LIBS;LABELS" ${ARGN})
  if(NOT T_SOURCES)
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  set(deps)
  foreach(d IN LISTS T_DEPS)
    list(APPEND deps sw_${d})
  endforeach()
  target_link_libraries(${name} PRIVATE ${deps} ${T_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE
    SW_SHARED_DATA_DEFAULT="${SW_SHARED_DATA_DEFAULT}"
    SW_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    SW_BINARY_DIR="${PROJECT_BINARY_DIR}")
  sw_warnings(${name})
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${T_LABELS}")
endfunction()
