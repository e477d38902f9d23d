// librnp's log lines are recognised by their shape, and only they (crypto/rnp_diagnostics).
#include "gateway/crypto/rnp_diagnostics.hpp"

#include <catch2/catch.hpp>

using dcagw::crypto::detail::is_librnp_log_line;

TEST_CASE("rnp diagnostics: librnp's log lines are recognised, ours and others' are not", "[crypto][pgp]")
{
    CHECK(is_librnp_log_line("[signed_validate_signature() ./src/librepgp/stream-parse.cpp:809] signer's key not found"));
    CHECK(is_librnp_log_line("[rnp_import_keys() /build/rnp/src/lib/rnp.cpp:1527] failed to import key(s)"));
    CHECK_FALSE(is_librnp_log_line("dcagw: error: signature invalid: decrypting s.pgp"));
    CHECK_FALSE(is_librnp_log_line("[note] something else"));
    CHECK_FALSE(is_librnp_log_line("[f() path] no line number"));
    CHECK_FALSE(is_librnp_log_line("[f() path:12x] not a number"));
    CHECK_FALSE(is_librnp_log_line(""));
}
