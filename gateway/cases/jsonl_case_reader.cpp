// The JSON Lines case export reader: one flat JSON object per line. A small strict parser
// of exactly that shape (no nesting, no duplicate keys, no trailing commas, escapes
// decoded to UTF-8) is faster and narrower than a general JSON library, and refuses
// anything a case export has no reason to contain.
//
// This file owns the lines and the mapping: finding each line in the read buffer (the
// record size limit, blank lines, CRLF), and turning one object's keys and values into a
// RawRecord (known and unknown keys, duplicates, which JSON types a field accepts, the
// field count and size limits). The JSON scanning and value decoding are in
// jsonl_line_parser; this file must never decode a JSON string or number itself.
#include "gateway/cases/case_reader.hpp"
#include "gateway/base/text.hpp"
#include "gateway/cases/case_reader_buffer.hpp"
#include "gateway/cases/jsonl_line_parser.hpp"

#include <cstring>
#include <vector>

namespace dcagw::cases::detail {

namespace {

struct LineProblem {
    std::string field;
    std::string reason;
};

class JsonLinesCaseReader final : public CaseReader {
public:
    JsonLinesCaseReader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name)
        : CaseReader(std::move(display_name))
        , m_limits(limits)
        , m_buffer(std::move(source), limits)
        , m_scratch(limits.max_record_bytes)
    {
    }

    base::Result<void> start()
    {
        m_position = TRY(m_buffer.skip_byte_order_mark());
        return {};
    }

private:
    base::Result<ReadOutcome> next_record(model::RawRecord& record, model::Rejection& rejection) override;
    bool parse(std::string_view line, model::RawRecord& record, LineProblem& problem);

    model::InputLimits m_limits;
    InputBuffer m_buffer;
    Scratch m_scratch;
    std::size_t m_position { 0 };
    bool m_skipping { false };
    bool m_seen_line { false };  // a line that is not blank (a record or a rejection)
    std::vector<std::string_view> m_unknown_keys;
};

bool JsonLinesCaseReader::parse(std::string_view line, model::RawRecord& record, LineProblem& problem)
{
    JsonLineParser parser(line, m_scratch);
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
            if (!base::is_valid_utf8(key))
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
                if (is_string && !base::is_valid_utf8(value))
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
            // An empty file (nothing but blank lines) is refused as a whole, as an empty
            // CSV or XML file is (docs/input-formats.md): it is never "0 rows, success".
            if (m_buffer.at_end_of_input() && !m_seen_line)
                return base::make_error(base::ErrorCode::InputMalformed, "the file is empty: a JSON Lines case export holds one JSON object per line");
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
        reset_record(record, display_name(), line_number);
        if (content > m_limits.max_record_bytes) {
            m_seen_line = true;
            m_position += length;
            m_skipping = newline == nullptr;
            if (newline != nullptr)
                ++m_position;
            make_rejection(rejection, display_name(), line_number, nullptr, "",
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
        m_seen_line = true;
        m_scratch.clear();
        LineProblem problem;
        if (!parse(line, record, problem)) {
            make_rejection(rejection, display_name(), line_number, &record, problem.field, std::move(problem.reason));
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

} // namespace dcagw::cases::detail
