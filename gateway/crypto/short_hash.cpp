#include "gateway/crypto/short_hash.hpp"

#include "gateway/crypto/secret_buffer.hpp"

#include <sodium.h>

#include <cstring>

namespace dcagw::crypto {

static_assert(crypto_shorthash_KEYBYTES == ShortHashKey::key_size && crypto_shorthash_BYTES == 8);

base::Result<ShortHashKey> ShortHashKey::from_bytes(std::string_view bytes)
{
    if (bytes.size() != key_size)
        return base::make_error(base::ErrorCode::KeyInvalid, "a short-hash key is 16 bytes, not " + std::to_string(bytes.size()));
    std::array<std::uint8_t, key_size> key {};
    std::memcpy(key.data(), bytes.data(), key_size);
    return ShortHashKey(key);
}

std::uint64_t ShortHashKey::hash(std::string_view input) const
{
    std::uint8_t out[crypto_shorthash_BYTES];
    crypto_shorthash(out, reinterpret_cast<unsigned char const*>(input.data()), input.size(), m_key.data());
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | out[i]; // little-endian, as SipHash defines its output
    return value;
}

static_assert(crypto_shorthash_siphashx24_KEYBYTES == 16 && crypto_shorthash_siphashx24_BYTES == 16);

SetDigestKey SetDigestKey::random()
{
    ensure_sodium_initialised();
    SetDigestKey key;
    randombytes_buf(key.m_key.data(), key.m_key.size());
    return key;
}

void SetDigestKey::add(Digest& digest, std::string_view element) const
{
    std::uint8_t out[crypto_shorthash_siphashx24_BYTES];
    crypto_shorthash_siphashx24(out, reinterpret_cast<unsigned char const*>(element.data()), element.size(), m_key.data());
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    for (int i = 7; i >= 0; --i) {
        low = (low << 8) | out[i];
        high = (high << 8) | out[8 + i];
    }
    digest.low += low;   // mod 2^64: unsigned arithmetic wraps
    digest.high += high;
    ++digest.count;
}

} // namespace dcagw::crypto
