# The audit log's benchmarks (docs/performance.md): what audit writing adds to a placement
# run, verification speed and subject-query time on a generated 10,000,000-entry log.
add_executable(audit_bench audit_bench.cpp)
target_link_libraries(audit_bench PRIVATE dcagw_audit)
add_executable(place_bench place_bench.cpp)
target_link_libraries(place_bench PRIVATE dcagw_pipeline dcagw_config)
