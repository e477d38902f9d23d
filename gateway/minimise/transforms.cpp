#include "gateway/minimise/transforms.hpp"

#include "gateway/base/text.hpp"

#include <algorithm>
#include <cstddef>

namespace dcagw::minimise {

namespace {

char to_upper(char c)
{
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

char to_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Writes `value` as exactly `width` digits (1-4) at `at`. Dates are 1800-9999
// (base::Date::parse), so nothing here needs more than four.
char* put_digits(char* at, int value, int width)
{
    for (int position = width - 1; position >= 0; --position) {
        at[position] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return at + width;
}

bool is_word_separator(char c)
{
    return c == ' ' || c == '-' || c == '\'';
}

} // namespace

bool is_valid_date_format(std::string_view format)
{
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%')
            continue;
        if (i + 1 == format.size())
            return false;
        char const token = format[++i];
        if (token != 'Y' && token != 'm' && token != 'd' && token != 'y' && token != '%')
            return false;
    }
    return true;
}

void append_formatted_date(std::string& out, base::Date date, std::string_view format)
{
    // Built in a small stack buffer and appended once; a format longer than the buffer
    // allows (never seen in practice) is written in pieces.
    char buffer[64];
    char* at = buffer;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (at > buffer + sizeof buffer - 4) {
            out.append(buffer, static_cast<std::size_t>(at - buffer));
            at = buffer;
        }
        if (format[i] != '%' || i + 1 == format.size()) {
            *at++ = format[i];
            continue;
        }
        char const token = format[++i];
        switch (token) {
        case 'Y': at = put_digits(at, date.year, 4); break;
        case 'y': at = put_digits(at, date.year % 100, 2); break;
        case 'm': at = put_digits(at, date.month, 2); break;
        case 'd': at = put_digits(at, date.day, 2); break;
        case '%': *at++ = '%'; break;
        default:
            *at++ = '%';
            *at++ = token;
        }
    }
    out.append(buffer, static_cast<std::size_t>(at - buffer));
}

void append_pounds(std::string& out, std::int64_t pence)
{
    // Same text as base::pence_to_pounds (tested), without building a temporary string.
    bool const negative = pence < 0;
    // Unsigned, so that INT64_MIN does not overflow on negation.
    std::uint64_t magnitude = negative ? (~static_cast<std::uint64_t>(pence) + 1) : static_cast<std::uint64_t>(pence);
    char buffer[32];
    char* at = buffer + sizeof buffer;
    std::uint64_t const remainder = magnitude % 100;
    *--at = static_cast<char>('0' + remainder % 10);
    *--at = static_cast<char>('0' + remainder / 10);
    *--at = '.';
    magnitude /= 100;
    do {
        *--at = static_cast<char>('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude > 0);
    if (negative)
        *--at = '-';
    out.append(at, static_cast<std::size_t>(buffer + sizeof buffer - at));
}

void upper_in_place(std::string& text)
{
    for (auto& c : text)
        c = to_upper(c);
}

void lower_in_place(std::string& text)
{
    for (auto& c : text)
        c = to_lower(c);
}

void title_in_place(std::string& text)
{
    bool word_start = true;
    for (auto& c : text) {
        if (is_word_separator(c)) {
            word_start = true;
            continue;
        }
        c = word_start ? to_upper(c) : to_lower(c);
        word_start = false;
    }
}

void truncate_in_place(std::string& text, std::size_t code_points)
{
    // A code point is at least one byte: text no longer in bytes is already short enough.
    if (text.size() <= code_points)
        return;
    text.resize(base::utf8_prefix(text, code_points).size());
}

void mask_in_place(std::string& text, std::size_t keep_last, char mask_char)
{
    unsigned char high_bits = 0;
    for (char c : text)
        high_bits |= static_cast<unsigned char>(c) & 0x80;
    if (high_bits == 0) {
        // All ASCII (phone numbers, references): one byte per code point.
        if (text.size() > keep_last)
            std::fill(text.begin(), text.end() - static_cast<std::ptrdiff_t>(keep_last), mask_char);
        return;
    }
    std::size_t const length = base::utf8_length(text);
    if (length <= keep_last)
        return;
    std::size_t const masked = length - keep_last;
    std::size_t const masked_bytes = base::utf8_prefix(text, masked).size();
    // Each masked code point is at least one byte and becomes exactly one, so the string
    // only shrinks and replace() reuses its buffer.
    text.replace(0, masked_bytes, masked, mask_char);
}

} // namespace dcagw::minimise
