#include "gateway/crypto/short_hash.hpp"

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

} // namespace dcagw::crypto
