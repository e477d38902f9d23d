# OpenPGP interoperability with GnuPG: the test makes throwaway keys in a temporary
# GNUPGHOME and checks both directions (see tests/integration/pgp_test_interop.cpp).
add_executable(integration_pgp_interop ${CMAKE_CURRENT_LIST_DIR}/pgp_test_interop.cpp)
target_link_libraries(integration_pgp_interop PRIVATE dcagw_test_main dcagw_crypto)
target_compile_definitions(integration_pgp_interop PRIVATE
  DCAGW_SOURCE_DIR="${PROJECT_SOURCE_DIR}" DCAGW_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
add_test(NAME integration_pgp_interop COMMAND integration_pgp_interop)
