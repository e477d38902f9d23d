#include "gateway/base/fingerprint.hpp"

#include <cstring>

namespace dcagw::base {

namespace {

// A 64x64->128 multiply folded back to 64 bits: the mixing step of wyhash-style hashes.
inline std::uint64_t fold_multiply(std::uint64_t left, std::uint64_t right)
{
    __uint128_t const product = static_cast<__uint128_t>(left) * right;
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

constexpr std::uint64_t prime_a = 0xa0761d6478bd642full;
constexpr std::uint64_t prime_b = 0xe7037ed1a0b428dbull;
constexpr std::uint64_t prime_c = 0x8ebc6af09c88c6e3ull;
constexpr std::uint64_t prime_d = 0x589965cc75374cc3ull;

inline void absorb(std::uint64_t& first, std::uint64_t& second, std::uint64_t word)
{
    first = fold_multiply(first ^ word ^ prime_a, prime_b);
    second = fold_multiply(second ^ word ^ prime_c, prime_d) + first;
}

} // namespace

void FingerprintBuilder::add(std::string_view piece)
{
    // A piece of up to 7 bytes is one word whose top byte holds its length + 1 (1..8); a
    // longer one is a length word (top byte 0) followed by its bytes. Either way the
    // sequence of words decodes to exactly one sequence of pieces, and most fields of an
    // export are short, so they cost one mixing step instead of two.
    if (piece.size() < 8) {
        std::uint64_t word = 0;
        if (!piece.empty()) // an empty view may have no data pointer at all
            std::memcpy(&word, piece.data(), piece.size());
        absorb(m_first, m_second, word | (static_cast<std::uint64_t>(piece.size() + 1) << 56));
        m_length += piece.size() + 1;
        return;
    }
    absorb(m_first, m_second, piece.size());
    std::size_t offset = 0;
    while (offset + 8 <= piece.size()) {
        std::uint64_t word;
        std::memcpy(&word, piece.data() + offset, 8);
        absorb(m_first, m_second, word);
        offset += 8;
    }
    if (offset < piece.size()) {
        std::uint64_t word = 0;
        std::memcpy(&word, piece.data() + offset, piece.size() - offset);
        absorb(m_first, m_second, word);
    }
    m_length += piece.size() + 1;
}

void FingerprintBuilder::add_bits(std::uint64_t bits)
{
    absorb(m_first, m_second, bits ^ 0x2545f4914f6cdd1dull);
}

void FingerprintBuilder::add_flag(bool flag)
{
    absorb(m_first, m_second, flag ? 0x9e3779b97f4a7c15ull : 0x7f4a7c159e3779b9ull);
}

Fingerprint128 FingerprintBuilder::finish() const
{
    std::uint64_t first = m_first;
    std::uint64_t second = m_second;
    absorb(first, second, m_length);
    return { fold_multiply(first, prime_c ^ second), fold_multiply(second, prime_a ^ first) };
}

} // namespace dcagw::base
