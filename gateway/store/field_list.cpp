#include "gateway/store/field_list.hpp"

#include "gateway/base/json_string.hpp"
#include "gateway/base/text.hpp"

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
        auto const read = base::read_json_string(m_text.substr(m_position), value, base::RawBytes::MustBeUtf8, field_list_max_bytes);
        m_position += read.consumed;
        if (read.problem != base::JsonStringProblem::None)
            return fail(base::describe(read.problem));
        return value;
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
