# transport_bench: a 1 GiB upload over SFTP (vs OpenSSH `sftp -b`) and HTTPS PUT (vs
# `curl -T`) to real servers on 127.0.0.1, started by the integration test harness
# (docs/performance.md). Needs root, like the integration tests.
add_executable(transport_bench ${CMAKE_CURRENT_LIST_DIR}/transport_bench.cpp)
target_link_libraries(transport_bench PRIVATE dcagw_transport)
add_custom_target(bench_transport
  COMMAND bash ${PROJECT_SOURCE_DIR}/tests/integration/servers/run_with_servers.sh $<TARGET_FILE:transport_bench>
  DEPENDS transport_bench
  USES_TERMINAL)
