#include "gateway/minimise/transforms.hpp"

#include "gateway/base/text.hpp"

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

void append_digits(std::string& out, int value, int width)
{
    char digits[8];
    int count = 0;
    do {
        digits[count++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value > 0 && count < 8);
    for (int pad = count; pad < width; ++pad)
        out.push_back('0');
    while (count > 0)
        out.push_back(digits[--count]);
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
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 == format.size()) {
            out.push_back(format[i]);
            continue;
        }
        char const token = format[++i];
        switch (token) {
        case 'Y': append_digits(out, date.year, 4); break;
        case 'y': append_digits(out, date.year % 100, 2); break;
        case 'm': append_digits(out, date.month, 2); break;
        case 'd': append_digits(out, date.day, 2); break;
        case '%': out.push_back('%'); break;
        default:
            out.push_back('%');
            out.push_back(token);
        }
    }
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
    text.resize(base::utf8_prefix(text, code_points).size());
}

void mask_in_place(std::string& text, std::size_t keep_last, char mask_char)
{
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
