# The real `dcagw` binary against the real servers of tests/integration/servers/: the
# bundled example placed, sent to an SFTP agency and an HTTPS agency, listed and collected,
# the failures an operator meets (wrong host key, unknown CA, a folder the agency's user
# may not write), and `dcagw send` killed again and again over SFTP. The same program
# runs as two tests, each with its own freshly started servers.
file(GLOB exchange_cli_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/exchange_cli/*.cpp)
add_executable(integration_exchange_cli ${exchange_cli_tests})
target_link_libraries(integration_exchange_cli PRIVATE dcagw_test_main dcagw_exchange)
target_compile_definitions(integration_exchange_cli PRIVATE
  DCAGW_SOURCE_DIR="${PROJECT_SOURCE_DIR}" DCAGW_BINARY="$<TARGET_FILE:dcagw>")
add_dependencies(integration_exchange_cli dcagw)
foreach(part exchange_cli send_crash_sftp)
  add_test(NAME integration_${part}
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/servers/run_with_servers.sh $<TARGET_FILE:integration_exchange_cli> "[${part}]")
  set_tests_properties(integration_${part} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE)
endforeach()
