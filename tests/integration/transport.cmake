# Transport against real servers: an OpenSSH sshd (internal-sftp, chroot, key-only) and an
# nginx (WebDAV over TLS, a test CA, one listener requiring a client certificate), both
# started on 127.0.0.1 by tests/integration/servers/run_with_servers.sh and stopped by PID.
file(GLOB transport_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/transport/*.cpp)
add_executable(integration_transport ${transport_tests})
target_link_libraries(integration_transport PRIVATE dcagw_test_main dcagw_transport)
add_test(NAME integration_transport
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/servers/run_with_servers.sh $<TARGET_FILE:integration_transport>)
set_tests_properties(integration_transport PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 RUN_SERIAL TRUE)
