#include "gateway/crypto/password.hpp"

#include "gateway/crypto/base64.hpp"
#include "gateway/crypto/secret_buffer.hpp"

#include <sodium.h>

#include <array>
#include <cstring>

namespace dcagw::crypto {

namespace {

// libsodium's "interactive" limits (argon2id, 64 MiB, 2 passes): above OWASP's minimum
// for argon2id (19 MiB, 2 passes), about 0.1 s per login; the console's rate limit and
// lockout, not a slower hash, are what stop an online guesser.
constexpr unsigned long long operations_limit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t memory_limit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
constexpr std::size_t minimum_length = 12;
constexpr std::size_t maximum_bytes = 1024;

} // namespace

base::Result<std::string> hash_password(std::string_view password)
{
    ensure_sodium_initialised();
    if (password.size() < minimum_length)
        return base::Error(base::ErrorCode::Usage, "a password needs at least " + std::to_string(minimum_length) + " characters");
    if (password.size() > maximum_bytes)
        return base::Error(base::ErrorCode::Usage, "a password may have at most " + std::to_string(maximum_bytes) + " bytes");
    std::array<char, crypto_pwhash_STRBYTES> encoded {};
    if (crypto_pwhash_str_alg(encoded.data(), password.data(), password.size(), operations_limit, memory_limit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return base::Error(base::ErrorCode::CryptoFailure, "hashing the password failed (out of memory?)");
    return std::string(encoded.data());
}

bool password_matches(std::string const& stored_hash, std::string_view password)
{
    ensure_sodium_initialised();
    if (password.size() > maximum_bytes || stored_hash.size() >= crypto_pwhash_STRBYTES)
        return false;
    return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string const& stored_hash)
{
    ensure_sodium_initialised();
    return crypto_pwhash_str_needs_rehash(stored_hash.c_str(), operations_limit, memory_limit) != 0;
}

std::string random_token()
{
    ensure_sodium_initialised();
    std::array<std::uint8_t, 32> bytes {};
    randombytes_buf(bytes.data(), bytes.size());
    auto token = encode_base64(bytes, Base64Padding::No);
    for (auto& c : token)
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    sodium_memzero(bytes.data(), bytes.size());
    return token;
}

bool tokens_equal(std::string_view a, std::string_view b)
{
    ensure_sodium_initialised();
    if (a.size() != b.size())
        return false;
    return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace dcagw::crypto
