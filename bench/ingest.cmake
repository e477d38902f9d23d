# The returns ingest benchmark (docs/performance.md, "Returns ingest"): 1,000,000 payment
# lines in 1,000 files against 1,000,000 placements, with a sqlite3 CLI yardstick.
add_executable(ingest_bench ingest_bench.cpp)
target_link_libraries(ingest_bench PRIVATE dcagw_ingest dcagw_config dcagw_crypto dcagw_store)
target_compile_definitions(ingest_bench PRIVATE DCAGW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_custom_target(bench_ingest
  COMMAND ${CMAKE_COMMAND} -E env DCAGW_BUILD=${PROJECT_BINARY_DIR} bash ${CMAKE_CURRENT_SOURCE_DIR}/run_ingest_bench.sh
  DEPENDS ingest_bench
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  USES_TERMINAL)
