// Fuzz target: crypto's key file parsers: our secret key files (both types, from text and
// from a file), age recipients, identities and identity files, and Bech32 itself. What
// parses prints back (a recipient, a Bech32 string re-encoded in its case).
#include "gateway/crypto/age.hpp"
#include "gateway/crypto/bech32.hpp"
#include "gateway/crypto/key_file.hpp"

#include "fuzz_file.hpp"

#include <span>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw;
    std::string_view const text = fuzz::as_text(data, size);
    std::span<std::uint8_t const> const bytes(data, size);
    for (auto const type : { crypto::SecretKeyType::Pseudonym, crypto::SecretKeyType::Ed25519 }) {
        if (auto secret = crypto::parse_secret_key_text(bytes, type); secret.ok())
            fuzz::require(secret.value().size() == crypto::secret_key_size(type));
    }
    auto const file = fuzz::fuzz_folder().write("secret.key", text);
    (void)crypto::load_secret_key_file(file, crypto::SecretKeyType::Ed25519);
    (void)crypto::AgeIdentity::load_file(file);
    if (auto recipient = crypto::AgeRecipient::parse(text); recipient.ok())
        fuzz::require(crypto::AgeRecipient::parse(recipient.value().to_string()).ok());
    (void)crypto::AgeIdentity::parse(text);
    (void)crypto::AgeIdentity::parse_file_text(text);
    // The encoder takes the standard's 1..83 character prefix; the decoder allows longer.
    if (auto decoded = crypto::decode_bech32(text); decoded.has_value() && decoded->human_readable_part.size() <= 83) {
        auto const again = crypto::encode_bech32(decoded->human_readable_part, decoded->data, decoded->text_case);
        fuzz::require(again == text);
    }
    return 0;
}
