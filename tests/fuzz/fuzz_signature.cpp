// Fuzz target: crypto/signature's parsers of outside text: a signature file, a public key
// line and a .pub file; and verification of the input as a signature over fixed content.
// A public key that parses prints back the same; a signature that parses names its key.
#include "gateway/crypto/signature.hpp"

#include "fuzz_file.hpp"

#include <array>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw;
    std::string_view const text = fuzz::as_text(data, size);
    if (auto key = crypto::Ed25519PublicKey::parse(text); key.ok())
        fuzz::require(key.value().to_text() == text);
    if (auto signature = crypto::parse_signature_text(text); signature.ok()) {
        std::array<std::uint8_t, 3> const content { 'a', 'b', 'c' };
        (void)crypto::verify_bytes(signature.value().key, std::span(content), text);
        (void)crypto::verify_raw(signature.value().key, std::span(content), signature.value().signature);
    }
    auto const file = fuzz::fuzz_folder().write("key.pub", text);
    (void)crypto::Ed25519PublicKey::load(file);
    return 0;
}
