// base/fingerprint: a fast 128-bit non-cryptographic fingerprint of byte strings.
//
// Owns: Fingerprint128 and the function that computes it, used to find duplicate rows in
// an export without keeping the rows (16 bytes per key instead of the key itself).
// Must never: be used where an adversary could profit from a collision (keys, MACs,
// pseudonyms, audit hashes): those belong to the crypto module.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>

namespace dcagw::base {

struct Fingerprint128 {
    std::uint64_t high { 0 };
    std::uint64_t low { 0 };
    auto operator<=>(Fingerprint128 const&) const = default;
};

// Incremental: feed pieces with add(); the piece boundaries are part of the fingerprint
// (each piece is length-prefixed), so ("ab","c") and ("a","bc") differ.
class FingerprintBuilder {
public:
    void add(std::string_view piece);
    void add_flag(bool flag);
    // Up to 64 flags at once.
    void add_bits(std::uint64_t bits);
    Fingerprint128 finish() const;

private:
    std::uint64_t m_first { 0x243f6a8885a308d3ull };
    std::uint64_t m_second { 0x13198a2e03707344ull };
    std::uint64_t m_length { 0 };
};

struct Fingerprint128Hash {
    std::size_t operator()(Fingerprint128 const& value) const { return static_cast<std::size_t>(value.low ^ (value.high * 0x9e3779b97f4a7c15ull)); }
};

} // namespace dcagw::base
