#include "gateway/base/text.hpp"

#include <charconv>
#include <cstring>
#include <limits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dcagw::base {

std::string_view trim(std::string_view text)
{
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

std::string to_upper_ascii(std::string_view text)
{
    std::string out(text);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string to_lower_ascii(std::string_view text)
{
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Checked by the ranges of RFC 3629's table (so overlongs, surrogates and code points past
// U+10FFFF fail), with an ASCII fast path: case exports are mostly ASCII.
bool is_valid_utf8(std::string_view text)
{
    auto const* bytes = reinterpret_cast<unsigned char const*>(text.data());
    std::size_t const size = text.size();
    std::size_t i = 0;
    auto const continuation = [&](std::size_t at, unsigned char low = 0x80, unsigned char high = 0xBF) {
        return at < size && bytes[at] >= low && bytes[at] <= high;
    };
    while (i < size) {
#if defined(__SSE2__)
        // Sixteen bytes at a time: the high bits say where the next non-ASCII byte is.
        if (i + 16 <= size) {
            auto const mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes + i))));
            if (mask == 0) {
                i += 16;
                continue;
            }
            i += static_cast<std::size_t>(__builtin_ctz(mask));
        }
#endif
        if (i + 8 <= size) {
            std::uint64_t word;
            std::memcpy(&word, bytes + i, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned char const lead = bytes[i];
        if (lead < 0x80) {
            ++i;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            if (!continuation(i + 1))
                return false;
            i += 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            // E0 excludes overlongs, ED excludes the UTF-16 surrogates.
            unsigned char const low = lead == 0xE0 ? 0xA0 : 0x80;
            unsigned char const high = lead == 0xED ? 0x9F : 0xBF;
            if (!continuation(i + 1, low, high) || !continuation(i + 2))
                return false;
            i += 3;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            // F0 excludes overlongs, F4 caps at U+10FFFF.
            unsigned char const low = lead == 0xF0 ? 0x90 : 0x80;
            unsigned char const high = lead == 0xF4 ? 0x8F : 0xBF;
            if (!continuation(i + 1, low, high) || !continuation(i + 2) || !continuation(i + 3))
                return false;
            i += 4;
        } else {
            return false;
        }
    }
    return true;
}

std::size_t utf8_length(std::string_view text)
{
    std::size_t count = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++count;
    return count;
}

std::string_view utf8_prefix(std::string_view text, std::size_t count)
{
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            if (seen == count)
                return text.substr(0, i);
            ++seen;
        }
    }
    return text;
}

std::optional<std::int64_t> parse_int64(std::string_view text)
{
    if (text.empty() || text.front() == '+')
        return std::nullopt;
    std::int64_t value = 0;
    auto const* end = text.data() + text.size();
    auto [position, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc() || position != end)
        return std::nullopt;
    return value;
}

void append_csv_field(std::string& out, std::string_view text, char delimiter)
{
    bool needs_quotes = !text.empty() && (text.front() == ' ' || text.back() == ' ');
    for (char c : text) {
        if (c == delimiter || c == '"' || c == '\r' || c == '\n') {
            needs_quotes = true;
            break;
        }
    }
    if (!needs_quotes) {
        out.append(text);
        return;
    }
    out.push_back('"');
    for (char c : text) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

void append_json_string(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    for (char c : text) {
        auto const byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
            if (byte < 0x20) {
                out.append("\\u00");
                out.push_back(hex[byte >> 4]);
                out.push_back(hex[byte & 0xF]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

void append_xml_escaped(std::string& out, std::string_view text)
{
    for (char c : text) {
        switch (c) {
        case '&': out.append("&amp;"); break;
        case '<': out.append("&lt;"); break;
        case '>': out.append("&gt;"); break;
        case '"': out.append("&quot;"); break;
        case '\'': out.append("&apos;"); break;
        case '\r': out.append("&#13;"); break;
        default: out.push_back(c);
        }
    }
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> pieces;
    std::size_t start = 0;
    while (true) {
        auto const position = text.find(separator, start);
        if (position == std::string_view::npos) {
            pieces.push_back(text.substr(start));
            return pieces;
        }
        pieces.push_back(text.substr(start, position - start));
        start = position + 1;
    }
}

std::string pence_to_pounds(std::int64_t pence)
{
    bool const negative = pence < 0;
    // Work in unsigned so that INT64_MIN does not overflow on negation.
    std::uint64_t magnitude = negative ? (~static_cast<std::uint64_t>(pence) + 1) : static_cast<std::uint64_t>(pence);
    std::string out;
    if (negative)
        out.push_back('-');
    out.append(std::to_string(magnitude / 100));
    out.push_back('.');
    auto const remainder = magnitude % 100;
    out.push_back(static_cast<char>('0' + remainder / 10));
    out.push_back(static_cast<char>('0' + remainder % 10));
    return out;
}

void append_length_prefixed(std::string& out, std::string_view piece)
{
    auto const length = piece.size();
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((length >> shift) & 0xff));
    out.append(piece);
}

} // namespace dcagw::base
