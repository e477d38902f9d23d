// Fuzz target: audit/export's verify_export, a folder a third party hands back. The input
// is the export file; the harness signs it with a fixed key and puts that key beside it,
// so the fuzzer reaches the parser behind the signature check (the signature's own text
// has its target, fuzz_signature). Verification may find problems; it must never crash.
#include "gateway/audit/export.hpp"
#include "gateway/crypto/signature.hpp"

#include "fuzz_file.hpp"
#include "tests/support/signing_keys.hpp"

#include <span>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw;
    auto const& folder = fuzz::fuzz_folder();
    static auto const key = test::signing_key_from_seed_byte(7);
    folder.write(audit::export_file_name, fuzz::as_text(data, size));
    auto signature = crypto::sign_bytes(key, std::span<std::uint8_t const>(data, size));
    fuzz::require(signature.ok());
    folder.write(audit::export_signature_name, signature.value());
    folder.write(audit::export_public_key_name, key.public_key().to_text() + "\n");
    auto const report = audit::verify_export(folder.path(), key.public_key());
    (void)report;
    return 0;
}
