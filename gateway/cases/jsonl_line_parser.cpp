// The JSON value decoding of the JSON Lines reader: strings with their escapes decoded to
// UTF-8 into the scratch, and numbers checked against the JSON grammar. Must never decide
// what a value means for a case (jsonl_case_reader.cpp does), or write past the scratch.
#include "gateway/cases/jsonl_line_parser.hpp"

#include <cstdint>

namespace dcagw::cases::detail {

namespace {

int hex_value(char byte)
{
    if (byte >= '0' && byte <= '9')
        return byte - '0';
    if (byte >= 'a' && byte <= 'f')
        return byte - 'a' + 10;
    if (byte >= 'A' && byte <= 'F')
        return byte - 'A' + 10;
    return -1;
}

void append_utf8(Scratch& scratch, std::uint32_t code_point)
{
    char bytes[4];
    std::size_t count;
    if (code_point < 0x80) {
        bytes[0] = static_cast<char>(code_point);
        count = 1;
    } else if (code_point < 0x800) {
        bytes[0] = static_cast<char>(0xC0 | (code_point >> 6));
        bytes[1] = static_cast<char>(0x80 | (code_point & 0x3F));
        count = 2;
    } else if (code_point < 0x10000) {
        bytes[0] = static_cast<char>(0xE0 | (code_point >> 12));
        bytes[1] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        bytes[2] = static_cast<char>(0x80 | (code_point & 0x3F));
        count = 3;
    } else {
        bytes[0] = static_cast<char>(0xF0 | (code_point >> 18));
        bytes[1] = static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        bytes[2] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        bytes[3] = static_cast<char>(0x80 | (code_point & 0x3F));
        count = 4;
    }
    scratch.append(bytes, count);
}

} // namespace

bool JsonLineParser::read_string(std::string_view& value, std::string& reason)
{
    ++m_position; // opening quote
    std::size_t const start = m_position;
    std::size_t cursor = start;
    bool escaped = false;
    while (cursor < m_line.size()) {
        auto const byte = static_cast<unsigned char>(m_line[cursor]);
        if (byte == '"')
            break;
        if (byte == '\\') {
            escaped = true;
            cursor += 2;
            continue;
        }
        if (byte < 0x20) {
            reason = "a string contains an unescaped control character";
            return false;
        }
        ++cursor;
    }
    if (cursor >= m_line.size()) {
        reason = "a string is not closed";
        return false;
    }
    m_position = cursor + 1;
    if (!escaped) {
        value = m_line.substr(start, cursor - start);
        return true;
    }
    std::size_t const out = m_scratch.begin();
    for (std::size_t i = start; i < cursor; ++i) {
        char const byte = m_line[i];
        if (byte != '\\') {
            m_scratch.append(byte);
            continue;
        }
        char const kind = m_line[++i];
        switch (kind) {
        case '"': m_scratch.append('"'); break;
        case '\\': m_scratch.append('\\'); break;
        case '/': m_scratch.append('/'); break;
        case 'b': m_scratch.append('\b'); break;
        case 'f': m_scratch.append('\f'); break;
        case 'n': m_scratch.append('\n'); break;
        case 'r': m_scratch.append('\r'); break;
        case 't': m_scratch.append('\t'); break;
        case 'u': {
            auto const read_hex4 = [&](std::size_t at, std::uint32_t& unit) {
                if (at + 4 > cursor)
                    return false;
                unit = 0;
                for (std::size_t k = 0; k < 4; ++k) {
                    int const digit = hex_value(m_line[at + k]);
                    if (digit < 0)
                        return false;
                    unit = unit * 16 + static_cast<std::uint32_t>(digit);
                }
                return true;
            };
            std::uint32_t unit = 0;
            if (!read_hex4(i + 1, unit)) {
                reason = "a \\u escape needs four hexadecimal digits";
                return false;
            }
            i += 4;
            if (unit >= 0xDC00 && unit <= 0xDFFF) {
                reason = "a \\u escape is an unpaired low surrogate";
                return false;
            }
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                std::uint32_t low = 0;
                if (i + 2 >= cursor || m_line[i + 1] != '\\' || m_line[i + 2] != 'u' || !read_hex4(i + 3, low) || low < 0xDC00 || low > 0xDFFF) {
                    reason = "a \\u escape is a high surrogate without its low surrogate";
                    return false;
                }
                i += 6;
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            }
            append_utf8(m_scratch, unit);
            break;
        }
        default:
            reason = "a string contains an unknown escape";
            return false;
        }
    }
    value = m_scratch.since(out);
    return true;
}

bool JsonLineParser::read_number(std::string_view& value, bool& integer)
{
    std::size_t const start = m_position;
    auto const digits = [&] {
        std::size_t const first = m_position;
        while (m_position < m_line.size() && m_line[m_position] >= '0' && m_line[m_position] <= '9')
            ++m_position;
        return m_position - first;
    };
    integer = true;
    if (m_position < m_line.size() && m_line[m_position] == '-')
        ++m_position;
    std::size_t const integer_start = m_position;
    std::size_t const integer_digits = digits();
    if (integer_digits == 0 || (integer_digits > 1 && m_line[integer_start] == '0'))
        return false;
    if (m_position < m_line.size() && m_line[m_position] == '.') {
        integer = false;
        ++m_position;
        if (digits() == 0)
            return false;
    }
    if (m_position < m_line.size() && (m_line[m_position] == 'e' || m_line[m_position] == 'E')) {
        integer = false;
        ++m_position;
        if (m_position < m_line.size() && (m_line[m_position] == '+' || m_line[m_position] == '-'))
            ++m_position;
        if (digits() == 0)
            return false;
    }
    value = m_line.substr(start, m_position - start);
    return true;
}

} // namespace dcagw::cases::detail
