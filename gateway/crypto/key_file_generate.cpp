#include "gateway/crypto/key_file_generate.hpp"

#include "gateway/base/file.hpp"
#include "gateway/crypto/age.hpp"
#include "gateway/crypto/key_file.hpp"
#include "gateway/crypto/signature.hpp"

#include <sodium.h>

namespace dcagw::crypto {

base::Result<GeneratedKeyType> parse_generated_key_type(std::string_view text)
{
    if (text == "age")
        return GeneratedKeyType::Age;
    if (text == "ed25519")
        return GeneratedKeyType::Ed25519;
    if (text == "pseudonym")
        return GeneratedKeyType::Pseudonym;
    return base::make_error(base::ErrorCode::Usage, "unknown key type '" + std::string(text.substr(0, 32)) + "'; expected age, ed25519 or pseudonym");
}

base::Result<std::string> generate_key(GeneratedKeyType type, std::filesystem::path const& secret_path)
{
    switch (type) {
    case GeneratedKeyType::Pseudonym:
        TRY(generate_secret_key_file(secret_path, SecretKeyType::Pseudonym));
        return std::string();
    case GeneratedKeyType::Ed25519: {
        ensure_sodium_initialised();
        SecretBuffer seed(crypto_sign_SEEDBYTES);
        randombytes_buf(seed.data(), seed.size());
        auto const key = TRY(Ed25519SigningKey::from_seed(seed.bytes()));
        TRY(write_secret_key_file(secret_path, SecretKeyType::Ed25519, seed.bytes()));
        return key.public_key().to_text();
    }
    case GeneratedKeyType::Age: {
        // The age helper's generator gives age-keygen's layout; the text is secret, so it
        // is written at once and wiped.
        auto generated = generate_age_identity_file_text();
        auto file = base::AtomicFile::create(secret_path, base::Overwrite::No);
        auto written = file.is_error() ? base::Result<void>(file.release_error()) : file.value().write(std::string_view(generated.identity_file_text));
        if (written.ok())
            written = file.value().commit();
        sodium_memzero(generated.identity_file_text.data(), generated.identity_file_text.size());
        TRY(std::move(written));
        return generated.recipient;
    }
    }
    return base::make_error(base::ErrorCode::Internal, "unknown key type");
}

base::Result<void> write_ed25519_public_key_file(std::filesystem::path const& path, std::string_view public_text)
{
    TRY(Ed25519PublicKey::parse(public_text));
    auto file = TRY(base::AtomicFile::create(path, base::Overwrite::No));
    TRY(file.write(std::string_view("# dcagw ed25519 public key (safe to share)\n")));
    TRY(file.write(public_text));
    TRY(file.write(std::string_view("\n")));
    TRY(file.commit());
    return {};
}

} // namespace dcagw::crypto
