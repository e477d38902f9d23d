# age interoperability with the Debian `age` and `age-keygen` commands (/usr/bin/age):
# files we encrypt must open with `age -d`, and files `age -r`/`age -R` makes must open
# with ours (see tests/integration/test_age_interop.cpp).
add_executable(integration_age_interop ${CMAKE_CURRENT_LIST_DIR}/test_age_interop.cpp)
target_link_libraries(integration_age_interop PRIVATE dcagw_test_main dcagw_crypto)
target_compile_definitions(integration_age_interop PRIVATE
  DCAGW_SOURCE_DIR="${PROJECT_SOURCE_DIR}" DCAGW_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
add_test(NAME integration_age_interop COMMAND integration_age_interop)
