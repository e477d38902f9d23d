#include "gateway/store/field_list.hpp"

#include "gateway/base/text.hpp"

#include <cstdint>

namespace dcagw::store::detail {

using base::ErrorCode;
using base::make_error;

base::Result<std::string> encode_field_list(std::vector<std::string> const& fields)
{
    if (fields.size() > field_list_max_fields)
        return make_error(ErrorCode::InputTooLarge, "a field set has " + std::to_string(fields.size()) + " fields; at most "
            + std::to_string(field_list_max_fields) + " are stored");
    std::string json = "[";
    for (std::size_t index = 0; index < fields.size(); ++index) {
        if (!base::is_valid_utf8(fields[index]))
            return make_error(ErrorCode::RecordInvalid, "field name " + std::to_string(index + 1) + " of a field set is not valid UTF-8");
        if (index > 0)
            json.push_back(',');
        base::append_json_string(json, fields[index]);
    }
    json.push_back(']');
    if (json.size() > field_list_max_bytes)
        return make_error(ErrorCode::InputTooLarge, "a field set's names take more than " + std::to_string(field_list_max_bytes) + " bytes");
    return json;
}

namespace {

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text) {}

    base::Result<std::vector<std::string>> parse_array()
    {
        std::vector<std::string> fields;
        skip_space();
        if (!consume('['))
            return fail("expected '['");
        skip_space();
        if (consume(']'))
            return finish(std::move(fields));
        for (;;) {
            if (fields.size() == field_list_max_fields)
                return fail("too many fields");
            skip_space();
            fields.push_back(TRY(parse_string()));
            skip_space();
            if (consume(']'))
                return finish(std::move(fields));
            if (!consume(','))
                return fail("expected ',' or ']'");
        }
    }

private:
    base::Result<std::vector<std::string>> finish(std::vector<std::string> fields)
    {
        skip_space();
        if (m_position != m_text.size())
            return fail("text after the array");
        return fields;
    }

    base::Result<std::string> parse_string()
    {
        if (!consume('"'))
            return fail("expected a string");
        std::string value;
        while (m_position < m_text.size()) {
            char const c = m_text[m_position++];
            if (c == '"') {
                if (!base::is_valid_utf8(value))
                    return fail("a field name is not valid UTF-8");
                return value;
            }
            if (static_cast<unsigned char>(c) < 0x20)
                return fail("control character inside a string");
            if (c != '\\') {
                value.push_back(c);
                continue;
            }
            if (m_position >= m_text.size())
                break;
            char const escape = m_text[m_position++];
            switch (escape) {
            case '"': value.push_back('"'); break;
            case '\\': value.push_back('\\'); break;
            case '/': value.push_back('/'); break;
            case 'b': value.push_back('\b'); break;
            case 'f': value.push_back('\f'); break;
            case 'n': value.push_back('\n'); break;
            case 'r': value.push_back('\r'); break;
            case 't': value.push_back('\t'); break;
            case 'u': TRY(parse_unicode_escape(value)); break;
            default: return fail("unknown escape");
            }
        }
        return fail("unterminated string");
    }

    base::Result<std::uint32_t> parse_hex4()
    {
        if (m_text.size() - m_position < 4)
            return fail("short \\u escape");
        std::uint32_t value = 0;
        for (int digit = 0; digit < 4; ++digit) {
            char const c = m_text[m_position++];
            value <<= 4;
            if (c >= '0' && c <= '9')
                value |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f')
                value |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                value |= static_cast<std::uint32_t>(c - 'A' + 10);
            else
                return fail("bad hex digit in \\u escape");
        }
        return value;
    }

    base::Result<void> parse_unicode_escape(std::string& out)
    {
        std::uint32_t code_point = TRY(parse_hex4());
        if (code_point >= 0xDC00 && code_point <= 0xDFFF)
            return fail("lone low surrogate");
        if (code_point >= 0xD800 && code_point <= 0xDBFF) {
            if (!consume('\\') || !consume('u'))
                return fail("high surrogate without its pair");
            std::uint32_t const low = TRY(parse_hex4());
            if (low < 0xDC00 || low > 0xDFFF)
                return fail("high surrogate without its pair");
            code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
        }
        if (code_point < 0x80) {
            out.push_back(static_cast<char>(code_point));
        } else if (code_point < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
            out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
        } else if (code_point < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
            out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
            out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
        }
        return {};
    }

    void skip_space()
    {
        while (m_position < m_text.size()
            && (m_text[m_position] == ' ' || m_text[m_position] == '\n' || m_text[m_position] == '\r' || m_text[m_position] == '\t'))
            ++m_position;
    }

    bool consume(char expected)
    {
        if (m_position < m_text.size() && m_text[m_position] == expected) {
            ++m_position;
            return true;
        }
        return false;
    }

    base::Error fail(std::string_view what) const
    {
        return make_error(ErrorCode::StoreCorrupt,
            "stored field list is not a JSON array of strings: " + std::string(what) + " at byte " + std::to_string(m_position));
    }

    std::string_view m_text;
    std::size_t m_position { 0 };
};

} // namespace

base::Result<std::vector<std::string>> parse_field_list(std::string_view json)
{
    if (json.size() > field_list_max_bytes)
        return make_error(ErrorCode::StoreCorrupt, "stored field list is longer than " + std::to_string(field_list_max_bytes) + " bytes");
    return Parser(json).parse_array();
}

} // namespace dcagw::store::detail
