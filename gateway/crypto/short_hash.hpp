// crypto/short_hash: a keyed 64-bit hash (SipHash-2-4, libsodium's crypto_shorthash) for
// compact index keys, e.g. the audit log's per-subject index.
//
// Owns: the keyed hash and its 16-byte key.
// Must never: be used as a MAC, a pseudonym or a content hash: 64 bits only keep an index
// small and its keys unpredictable to whoever chooses the inputs; callers confirm a match
// against the stored value.
#pragma once

#include "gateway/base/result.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace dcagw::crypto {

class ShortHashKey {
public:
    static constexpr std::size_t key_size = 16;
    // The key's 16 raw bytes.
    static base::Result<ShortHashKey> from_bytes(std::string_view bytes);
    std::uint64_t hash(std::string_view input) const;

private:
    explicit ShortHashKey(std::array<std::uint8_t, key_size> const& key) : m_key(key) {}
    std::array<std::uint8_t, key_size> m_key;
};

// An order-independent digest of a multiset of short byte strings (e.g. the audit subject
// index's entries), for comparing a stored set with the set it must equal without sorting
// either: the sum, in two 64-bit lanes, of each element's SipHash-2-4-128 under a key made
// fresh and random for one comparison. Whoever edited the stored set never saw the key, so
// cannot make a different set with the same sum (the multiset hash "MSet-Add-Hash").
class SetDigestKey {
public:
    // A fresh random key (libsodium's randombytes).
    static SetDigestKey random();

    struct Digest {
        std::uint64_t low { 0 };
        std::uint64_t high { 0 };
        std::int64_t count { 0 };
        friend bool operator==(Digest const&, Digest const&) = default;
    };
    void add(Digest& digest, std::string_view element) const;

private:
    SetDigestKey() = default;
    std::array<std::uint8_t, 16> m_key {};
};

} // namespace dcagw::crypto
