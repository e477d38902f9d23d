// The JSON Lines case export reader: one flat JSON object per line. A small strict parser
// of exactly that shape (no nesting, no duplicate keys, no trailing commas, escapes
// decoded to UTF-8) is faster and narrower than a general JSON library, and refuses
// anything a case export has no reason to contain.
#include "gateway/codec/case_reader.hpp"
#include "gateway/codec/case_reader_buffer.hpp"

#include <cstring>
#include <vector>

namespace dcagw::codec::detail {

namespace {

struct LineProblem {
    std::string field;
    std::string reason;
};

bool is_json_space(char byte)
{
    return byte == ' ' || byte == '\t' || byte == '\r' || byte == '\n';
}

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

// Parses one line. Values are views into the line, or into the scratch when unescaped
// (an escape is never shorter than what it decodes to, so the scratch cannot overflow).
class LineParser {
public:
    LineParser(std::string_view line, Scratch& scratch) : m_line(line), m_scratch(scratch) {}

    std::size_t position() const { return m_position; }
    bool at_end() const { return m_position >= m_line.size(); }
    char peek() const { return m_line[m_position]; }
    void advance() { ++m_position; }
    void skip_space()
    {
        while (m_position < m_line.size() && is_json_space(m_line[m_position]))
            ++m_position;
    }

    // Reads a string whose opening quote is at the current position. Empty optional and
    // a reason on failure.
    bool read_string(std::string_view& value, std::string& reason);
    // Reads a JSON number; `integer` tells whether it had no fraction or exponent.
    bool read_number(std::string_view& value, bool& integer);
    bool read_literal(std::string_view literal)
    {
        if (m_line.substr(m_position, literal.size()) != literal)
            return false;
        m_position += literal.size();
        return true;
    }

private:
    std::string_view m_line;
    Scratch& m_scratch;
    std::size_t m_position { 0 };
};

bool LineParser::read_string(std::string_view& value, std::string& reason)
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

bool LineParser::read_number(std::string_view& value, bool& integer)
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

class JsonLinesCaseReader final : public CaseReader {
public:
    JsonLinesCaseReader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name)
        : m_limits(limits)
        , m_display_name(std::move(display_name))
        , m_buffer(std::move(source), limits)
        , m_scratch(limits.max_record_bytes)
    {
    }

    base::Result<void> start()
    {
        m_position = TRY(m_buffer.skip_byte_order_mark());
        return {};
    }
    base::Result<ReadOutcome> next(model::RawRecord& record, model::Rejection& rejection) override
    {
        auto result = next_record(record, rejection);
        if (result.is_error())
            return result.release_error().with_context("reading " + m_display_name);
        return result;
    }

private:
    base::Result<ReadOutcome> next_record(model::RawRecord& record, model::Rejection& rejection);
    bool parse(std::string_view line, model::RawRecord& record, LineProblem& problem);

    model::InputLimits m_limits;
    std::string m_display_name;
    InputBuffer m_buffer;
    Scratch m_scratch;
    std::size_t m_position { 0 };
    bool m_skipping { false };
    std::vector<std::string_view> m_unknown_keys;
};

bool JsonLinesCaseReader::parse(std::string_view line, model::RawRecord& record, LineProblem& problem)
{
    LineParser parser(line, m_scratch);
    m_unknown_keys.clear();
    auto const fail = [&](std::string field, std::string reason) {
        problem.field = std::move(field);
        problem.reason = std::move(reason);
        return false;
    };
    parser.skip_space();
    if (parser.at_end() || parser.peek() != '{')
        return fail("", "the line is not a JSON object");
    parser.advance();
    parser.skip_space();
    if (!parser.at_end() && parser.peek() == '}') {
        parser.advance();
    } else {
        std::size_t keys = 0;
        for (;;) {
            if (parser.at_end() || parser.peek() != '"')
                return fail("", keys == 0 ? "a JSON object key must be a string" : "a comma must be followed by a key (no trailing commas)");
            std::string_view key;
            std::string reason;
            if (!parser.read_string(key, reason))
                return fail("", "invalid JSON: " + reason);
            if (++keys > m_limits.max_fields)
                return fail("", "the object has more than " + std::to_string(m_limits.max_fields) + " keys (max_fields)");
            if (!is_valid_utf8_fast(key))
                return fail("", "a key is not valid UTF-8");
            parser.skip_space();
            if (parser.at_end() || parser.peek() != ':')
                return fail("", "invalid JSON: a key must be followed by ':'");
            parser.advance();
            parser.skip_space();
            if (parser.at_end())
                return fail("", "invalid JSON: a value is missing");
            auto const field = lookup_field(key);
            std::string const shown = field.has_value() ? std::string(key) : printable_name(key);
            std::string_view value;
            bool is_string = false;
            char const first = parser.peek();
            if (first == '"') {
                if (!parser.read_string(value, reason))
                    return fail(shown, "invalid JSON: " + reason);
                is_string = true;
            } else if (first == '-' || (first >= '0' && first <= '9')) {
                bool integer = false;
                if (!parser.read_number(value, integer))
                    return fail(shown, "invalid JSON: a malformed number");
                if (field.has_value()) {
                    if (model::info(*field).kind != model::FieldKind::Pence)
                        return fail(shown, "the value must be a string (numbers are accepted only for pence fields)");
                    if (!integer)
                        return fail(shown, "an amount in pence must be a whole number");
                }
            } else if (first == '{' || first == '[') {
                return fail(shown, "nested objects and arrays are not allowed in a case record");
            } else if (parser.read_literal("true") || parser.read_literal("false")) {
                if (field.has_value())
                    return fail(shown, "the value must be a string, not a boolean (use \"Y\" or \"N\")");
            } else if (parser.read_literal("null")) {
                if (field.has_value())
                    return fail(shown, "the value must be a string, not null (leave the key out instead)");
            } else {
                return fail(shown, "invalid JSON: a value is not a string, number, boolean or null");
            }
            if (field.has_value()) {
                auto const index = model::index_of(*field);
                if (record.present[index])
                    return fail(shown, "duplicate key");
                record.values[index] = value;
                record.present[index] = true;
                if (value.size() > m_limits.max_field_bytes)
                    return fail(shown, "the field is longer than the limit of " + std::to_string(m_limits.max_field_bytes) + " bytes (max_field_bytes)");
                if (is_string && !is_valid_utf8_fast(value))
                    return fail(shown, "the field is not valid UTF-8");
            } else {
                for (auto const& seen : m_unknown_keys)
                    if (seen == key)
                        return fail(shown, "duplicate key");
                m_unknown_keys.push_back(key);
                add_warning("unknown key '" + shown + "' ignored");
            }
            parser.skip_space();
            if (parser.at_end())
                return fail("", "invalid JSON: the object is not closed");
            if (parser.peek() == '}') {
                parser.advance();
                break;
            }
            if (parser.peek() != ',')
                return fail("", "invalid JSON: expected ',' or '}' after a value");
            parser.advance();
            parser.skip_space();
        }
    }
    parser.skip_space();
    if (!parser.at_end())
        return fail("", "text follows the JSON object on the same line");
    return true;
}

base::Result<ReadOutcome> JsonLinesCaseReader::next_record(model::RawRecord& record, model::Rejection& rejection)
{
    for (;;) {
        if (m_position >= m_buffer.size()) {
            if (m_buffer.at_end_of_input())
                return ReadOutcome::End;
            auto const refill = TRY(m_buffer.refill(m_position));
            m_position -= refill.shift;
            continue;
        }
        char const* base = m_buffer.data() + m_position;
        std::size_t const available = m_buffer.size() - m_position;
        auto const* newline = static_cast<char const*>(std::memchr(base, '\n', available));
        if (m_skipping) {
            // The rest of an over-long line: dropped unread up to its end.
            if (newline == nullptr) {
                m_position = m_buffer.size();
                continue;
            }
            m_position += static_cast<std::size_t>(newline - base) + 1;
            m_skipping = false;
            continue;
        }
        std::uint64_t const line_number = m_buffer.line_at(m_position);
        std::size_t length;
        if (newline != nullptr) {
            length = static_cast<std::size_t>(newline - base);
        } else if (m_buffer.at_end_of_input()) {
            length = available;
        } else if (available <= m_limits.max_record_bytes + 1) {
            auto const refill = TRY(m_buffer.refill(m_position));
            m_position -= refill.shift;
            continue;
        } else {
            length = available;
        }
        std::size_t const content = length > 0 && base[length - 1] == '\r' ? length - 1 : length;
        reset_record(record, m_display_name, line_number);
        if (content > m_limits.max_record_bytes) {
            m_position += length;
            m_skipping = newline == nullptr;
            if (newline != nullptr)
                ++m_position;
            make_rejection(rejection, m_display_name, line_number, nullptr, "",
                "the line is longer than the limit of " + std::to_string(m_limits.max_record_bytes) + " bytes (max_record_bytes)");
            return ReadOutcome::Rejected;
        }
        m_position += length + (newline != nullptr ? 1 : 0);
        std::string_view const line(base, content);
        std::size_t first = 0;
        while (first < line.size() && is_json_space(line[first]))
            ++first;
        if (first == line.size())
            continue; // blank line
        m_scratch.clear();
        LineProblem problem;
        if (!parse(line, record, problem)) {
            make_rejection(rejection, m_display_name, line_number, &record, problem.field, std::move(problem.reason));
            return ReadOutcome::Rejected;
        }
        return ReadOutcome::Record;
    }
}

} // namespace

base::Result<std::unique_ptr<CaseReader>> open_jsonl_case_reader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name)
{
    auto reader = std::make_unique<JsonLinesCaseReader>(std::move(source), limits, std::move(display_name));
    TRY(reader->start());
    return std::unique_ptr<CaseReader>(std::move(reader));
}

} // namespace dcagw::codec::detail
