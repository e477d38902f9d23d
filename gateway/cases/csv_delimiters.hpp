// cases/csv_delimiters: finding the CSV reader's special bytes (',', '\n', '"') a block
// at a time. Internal to the CSV reader.
//
// Owns: the SSE2 scanning helpers and their portable fallbacks.
// Must never: read past `end` except within the 64 bytes the caller guarantees are
// addressable (the input buffer keeps that padding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dcagw::cases::detail {

// Positions of ',', '\n' and '"' in the 16 bytes at `bytes`, as a bit mask. Scanning a
// block at a time and walking the set bits is what makes the common row cheap: the cost
// is per delimiter, not per byte.
inline std::uint32_t special_mask(char const* bytes)
{
#if defined(__SSE2__)
    __m128i const block = _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes));
    __m128i const found = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8(',')), _mm_cmpeq_epi8(block, _mm_set1_epi8('\n'))),
        _mm_cmpeq_epi8(block, _mm_set1_epi8('"')));
    return static_cast<std::uint32_t>(_mm_movemask_epi8(found));
#else
    std::uint32_t mask = 0;
    for (int i = 0; i < 16; ++i)
        if (bytes[i] == ',' || bytes[i] == '\n' || bytes[i] == '"')
            mask |= 1u << i;
    return mask;
#endif
}

struct DelimiterMasks {
    std::uint64_t commas;
    std::uint64_t newlines;
    std::uint64_t quotes;
};

// Positions of ',', '\n' and '"' in the 64 bytes at `bytes`, one bit per byte.
inline DelimiterMasks delimiter_masks(char const* bytes)
{
#if defined(__SSE2__)
    __m128i const comma = _mm_set1_epi8(',');
    __m128i const newline = _mm_set1_epi8('\n');
    __m128i const quote = _mm_set1_epi8('"');
    __m128i const b0 = _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes));
    __m128i const b1 = _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes + 16));
    __m128i const b2 = _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes + 32));
    __m128i const b3 = _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes + 48));
    auto const mask = [](__m128i a, __m128i b, __m128i c, __m128i d, __m128i needle) {
        auto const bits = [&](__m128i block) { return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, needle)))); };
        return bits(a) | bits(b) << 16 | bits(c) << 32 | bits(d) << 48;
    };
    return { mask(b0, b1, b2, b3, comma), mask(b0, b1, b2, b3, newline), mask(b0, b1, b2, b3, quote) };
#else
    DelimiterMasks masks { 0, 0, 0 };
    for (int i = 0; i < 64; ++i) {
        std::uint64_t const bit = std::uint64_t { 1 } << i;
        masks.commas |= bytes[i] == ',' ? bit : 0;
        masks.newlines |= bytes[i] == '\n' ? bit : 0;
        masks.quotes |= bytes[i] == '"' ? bit : 0;
    }
    return masks;
#endif
}

// The first ',', '\n' or '"' in [cursor, end), or end.
inline char const* find_special(char const* cursor, char const* end)
{
    while (end - cursor >= 16) {
        std::uint32_t const mask = special_mask(cursor);
        if (mask != 0)
            return cursor + __builtin_ctz(mask);
        cursor += 16;
    }
    while (cursor < end && *cursor != ',' && *cursor != '\n' && *cursor != '"')
        ++cursor;
    return cursor;
}

} // namespace dcagw::cases::detail
