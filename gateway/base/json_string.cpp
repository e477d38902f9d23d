// The JSON string decoder: two steps (find the end, then decode) so that a reader can
// take a string without escapes as a view and decode only the ones that need it.
#include "gateway/base/json_string.hpp"

#include "gateway/base/text.hpp"

namespace dcagw::base {

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

// Reads the four hexadecimal digits of a \u escape at body[at..at+4).
bool read_hex4(std::string_view body, std::size_t at, std::uint32_t& unit)
{
    if (at > body.size() || body.size() - at < 4)
        return false;
    unit = 0;
    for (std::size_t k = 0; k < 4; ++k) {
        int const digit = hex_value(body[at + k]);
        if (digit < 0)
            return false;
        unit = unit * 16 + static_cast<std::uint32_t>(digit);
    }
    return true;
}

std::size_t write_utf8(char* out, std::uint32_t code_point)
{
    if (code_point < 0x80) {
        out[0] = static_cast<char>(code_point);
        return 1;
    }
    if (code_point < 0x800) {
        out[0] = static_cast<char>(0xC0 | (code_point >> 6));
        out[1] = static_cast<char>(0x80 | (code_point & 0x3F));
        return 2;
    }
    if (code_point < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (code_point >> 12));
        out[1] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (code_point & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (code_point >> 18));
    out[1] = static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 4;
}

// Decodes the \u escape whose backslash is at body[at] (a surrogate pair takes two), into
// out; advances `at` past it.
JsonStringProblem decode_unicode_escape(std::string_view body, std::size_t& at, char* out, std::size_t& written)
{
    std::uint32_t unit = 0;
    if (!read_hex4(body, at + 2, unit))
        return JsonStringProblem::BadUnicodeEscape;
    at += 6;
    if (unit >= 0xDC00 && unit <= 0xDFFF)
        return JsonStringProblem::LoneLowSurrogate;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
        if (body.size() - at < 2 || body[at] != '\\' || body[at + 1] != 'u')
            return JsonStringProblem::LoneHighSurrogate;
        std::uint32_t low = 0;
        if (!read_hex4(body, at + 2, low))
            return JsonStringProblem::BadUnicodeEscape;
        if (low < 0xDC00 || low > 0xDFFF)
            return JsonStringProblem::BadSurrogatePair;
        at += 6;
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    written += write_utf8(out + written, unit);
    return JsonStringProblem::None;
}

char simple_escape(char kind)
{
    switch (kind) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return 0;
    }
}

} // namespace

std::string_view describe(JsonStringProblem problem)
{
    switch (problem) {
    case JsonStringProblem::None: return "no problem";
    case JsonStringProblem::Unterminated: return "a string is not closed";
    case JsonStringProblem::ControlCharacter: return "a string contains an unescaped control character";
    case JsonStringProblem::UnknownEscape: return "a string contains an unknown escape";
    case JsonStringProblem::BadUnicodeEscape: return "a \\u escape needs four hexadecimal digits";
    case JsonStringProblem::LoneLowSurrogate: return "a \\u escape is an unpaired low surrogate";
    case JsonStringProblem::LoneHighSurrogate: return "a \\u escape is a high surrogate without its low surrogate";
    case JsonStringProblem::BadSurrogatePair: return "a \\u escape is a high surrogate followed by something other than a low surrogate";
    case JsonStringProblem::InvalidUtf8: return "a string is not valid UTF-8";
    case JsonStringProblem::TooLong: return "a string is longer than its limit";
    }
    return "an unknown string problem";
}

JsonStringExtent find_json_string_end(std::string_view text)
{
    JsonStringExtent extent;
    std::size_t cursor = 0;
    while (cursor < text.size()) {
        auto const byte = static_cast<unsigned char>(text[cursor]);
        if (byte == '"') {
            extent.end = cursor;
            return extent;
        }
        if (byte == '\\') {
            extent.has_escapes = true;
            cursor += 2; // the escaped byte is checked when decoding
            continue;
        }
        if (byte < 0x20) {
            extent.problem = JsonStringProblem::ControlCharacter;
            extent.end = cursor;
            return extent;
        }
        ++cursor;
    }
    extent.problem = JsonStringProblem::Unterminated;
    extent.end = text.size();
    return extent;
}

JsonStringDecoded decode_json_string_body(std::string_view body, char* out, RawBytes raw)
{
    JsonStringDecoded decoded;
    // Escapes are ASCII and decode to whole UTF-8 sequences, so the raw bytes are UTF-8
    // exactly when the body is.
    if (raw == RawBytes::MustBeUtf8 && !is_valid_utf8(body)) {
        decoded.problem = JsonStringProblem::InvalidUtf8;
        return decoded;
    }
    std::size_t at = 0;
    while (at < body.size()) {
        char const byte = body[at];
        if (byte != '\\') {
            out[decoded.size++] = byte;
            ++at;
            continue;
        }
        decoded.offset = at;
        if (at + 1 >= body.size()) {
            decoded.problem = JsonStringProblem::Unterminated;
            return decoded;
        }
        char const kind = body[at + 1];
        if (kind == 'u') {
            decoded.problem = decode_unicode_escape(body, at, out, decoded.size);
            if (decoded.problem != JsonStringProblem::None)
                return decoded;
            continue;
        }
        char const simple = simple_escape(kind);
        if (simple == 0) {
            decoded.problem = JsonStringProblem::UnknownEscape;
            return decoded;
        }
        out[decoded.size++] = simple;
        at += 2;
    }
    decoded.offset = at;
    return decoded;
}

JsonStringRead read_json_string(std::string_view text, std::string& value, RawBytes raw, std::size_t max_bytes)
{
    JsonStringRead read;
    auto const extent = find_json_string_end(text);
    if (extent.problem != JsonStringProblem::None) {
        read.problem = extent.problem;
        read.consumed = extent.end;
        return read;
    }
    std::string_view const body = text.substr(0, extent.end);
    value.resize(body.size());
    auto const decoded = decode_json_string_body(body, value.data(), raw);
    value.resize(decoded.size);
    read.problem = decoded.problem;
    if (read.problem == JsonStringProblem::None && decoded.size > max_bytes)
        read.problem = JsonStringProblem::TooLong;
    read.consumed = read.problem == JsonStringProblem::None ? extent.end + 1 : decoded.offset;
    return read;
}

std::optional<JsonNumber> find_json_number(std::string_view text, std::size_t position)
{
    auto const digits_from = [&](std::size_t at) {
        while (at < text.size() && text[at] >= '0' && text[at] <= '9')
            ++at;
        return at;
    };
    JsonNumber number;
    if (position < text.size() && text[position] == '-')
        ++position;
    std::size_t const integer_end = digits_from(position);
    if (integer_end == position || (integer_end - position > 1 && text[position] == '0'))
        return std::nullopt;
    position = integer_end;
    if (position < text.size() && text[position] == '.') {
        number.integer = false;
        std::size_t const end = digits_from(position + 1);
        if (end == position + 1)
            return std::nullopt;
        position = end;
    }
    if (position < text.size() && (text[position] == 'e' || text[position] == 'E')) {
        number.integer = false;
        ++position;
        if (position < text.size() && (text[position] == '+' || text[position] == '-'))
            ++position;
        std::size_t const end = digits_from(position);
        if (end == position)
            return std::nullopt;
        position = end;
    }
    number.end = position;
    return number;
}

} // namespace dcagw::base
