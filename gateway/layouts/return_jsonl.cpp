// layouts/return_jsonl: JSON Lines return files (docs/returns.md, "JSON Lines returns").
//
// Each non-blank line is one flat JSON object whose keys are the layout's column names.
// A value is a string (base/json_string: escapes decoded, raw bytes must be UTF-8), a
// number (kept as written, so "12.50" and 12.50 read alike and 12.5 is refused where
// pounds need two decimals) or null (an empty value). A missing key is an empty value, so a
// required column that is missing quarantines the line through the line builder; a key
// the layout does not declare, a key given twice, a nested value, true/false or broken
// JSON quarantine the line too. JSON Lines has no header row: the line numbers count from
// the first line. Lines are bounded by max_record_bytes (the rest of an over-long line is
// skipped unkept), values by max_field_bytes, keys per line by max_fields.
#include "gateway/base/json_string.hpp"
#include "gateway/layouts/return_formats.hpp"
#include "gateway/layouts/return_lines.hpp"

#include <optional>

namespace dcagw::layouts::detail {

namespace {

constexpr std::size_t read_chunk_bytes = 64 * 1024;

// Splits the input into lines without keeping more than one, bounded.
class JsonLineSplitter {
public:
    JsonLineSplitter(std::istream& input, std::size_t max_line_bytes) : m_input(input), m_max_line_bytes(max_line_bytes), m_buffer(read_chunk_bytes) {}

    // False at the end of the input. `too_long` says the line passed the bound (then
    // `line` holds only its start).
    bool next(std::string& line, std::uint64_t& line_number, bool& too_long)
    {
        line.clear();
        too_long = false;
        bool any = false;
        for (int c = get(); c >= 0; c = get()) {
            any = true;
            if (c == '\n') {
                finish(line);
                line_number = m_line++;
                return true;
            }
            if (line.size() >= m_max_line_bytes)
                too_long = true;
            else
                line.push_back(static_cast<char>(c));
        }
        if (!any)
            return false;
        finish(line);
        line_number = m_line++;
        return true;
    }
    std::uint64_t bytes_read() const { return m_bytes_read; }
    bool failed() const { return m_failed; }

private:
    static void finish(std::string& line)
    {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
    }
    int get()
    {
        if (m_position == m_size) {
            if (m_failed || !m_input.good())
                return -1;
            m_input.read(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
            m_size = static_cast<std::size_t>(m_input.gcount());
            m_position = 0;
            if (m_input.bad())
                m_failed = true;
            if (m_size == 0)
                return -1;
            // A UTF-8 byte order mark at the very start, as for CSV returns.
            if (m_at_start) {
                m_at_start = false;
                if (m_size >= 3 && static_cast<unsigned char>(m_buffer[0]) == 0xef && static_cast<unsigned char>(m_buffer[1]) == 0xbb && static_cast<unsigned char>(m_buffer[2]) == 0xbf)
                    m_position = 3;
                m_bytes_read += m_position;
                if (m_position == m_size)
                    return get();
            }
        }
        ++m_bytes_read;
        return static_cast<unsigned char>(m_buffer[m_position++]);
    }

    std::istream& m_input;
    std::size_t m_max_line_bytes;
    std::vector<char> m_buffer;
    std::size_t m_position { 0 };
    std::size_t m_size { 0 };
    std::uint64_t m_line { 1 };
    std::uint64_t m_bytes_read { 0 };
    bool m_at_start { true };
    bool m_failed { false };
};

// Reads one line's object into `values` (one per column, empty when missing).
class LineObjectParser {
public:
    LineObjectParser(model::ReturnLayout const& layout, model::InputLimits const& limits, std::string_view line)
        : m_layout(layout), m_limits(limits), m_line(line) {}

    std::optional<LineProblem> parse(std::vector<std::string>& values)
    {
        values.assign(m_layout.columns.size(), {});
        m_seen.assign(m_layout.columns.size(), false);
        skip_space();
        if (!take('{'))
            return problem({}, "line is not a JSON object");
        skip_space();
        if (!take('}')) {
            for (std::size_t key_number = 1;; ++key_number) {
                if (key_number > m_limits.max_fields)
                    return problem({}, "line has more than " + std::to_string(m_limits.max_fields) + " keys");
                if (auto bad = member(key_number, values))
                    return bad;
                skip_space();
                if (take('}'))
                    break;
                if (!take(','))
                    return problem({}, "line is not well-formed JSON (expected ',' or '}' after key " + std::to_string(key_number) + ")");
                skip_space();
            }
        }
        skip_space();
        if (m_position != m_line.size())
            return problem({}, "line has text after its JSON object");
        return std::nullopt;
    }

private:
    static LineProblem problem(std::string column, std::string reason) { return LineProblem { std::move(column), std::move(reason) }; }
    void skip_space()
    {
        while (m_position < m_line.size() && base::is_json_space(m_line[m_position]))
            ++m_position;
    }
    bool take(char c)
    {
        if (m_position < m_line.size() && m_line[m_position] == c) {
            ++m_position;
            return true;
        }
        return false;
    }
    // A string at the current position (after its opening quote is checked).
    base::JsonStringProblem string_value(std::string& value)
    {
        auto const read = base::read_json_string(m_line.substr(m_position + 1), value, base::RawBytes::MustBeUtf8, m_limits.max_field_bytes);
        m_position += 1 + read.consumed;
        return read.problem;
    }

    std::optional<LineProblem> member(std::size_t key_number, std::vector<std::string>& values)
    {
        auto const key_text = "key " + std::to_string(key_number);
        if (m_position >= m_line.size() || m_line[m_position] != '"')
            return problem({}, "line is not well-formed JSON (" + key_text + " is not a string)");
        if (auto const bad = string_value(m_key); bad != base::JsonStringProblem::None)
            return problem({}, key_text + ": " + std::string(base::describe(bad)));
        // The key is not shown: it is the sender's text, and a broken line may carry a
        // value where a key should be.
        std::size_t column = 0;
        while (column < m_layout.columns.size() && m_layout.columns[column].name != m_key)
            ++column;
        if (column == m_layout.columns.size())
            return problem({}, key_text + " is not a column of layout '" + m_layout.name + "'");
        auto const& name = m_layout.columns[column].name;
        if (m_seen[column])
            return problem(name, "appears twice on the line");
        m_seen[column] = true;
        skip_space();
        if (!take(':'))
            return problem(name, "line is not well-formed JSON (no ':' after the key)");
        skip_space();
        return value(name, values[column]);
    }

    std::optional<LineProblem> value(std::string const& name, std::string& value)
    {
        if (m_position >= m_line.size())
            return problem(name, "has no value");
        char const first = m_line[m_position];
        if (first == '"') {
            auto const bad = string_value(value);
            if (bad == base::JsonStringProblem::TooLong)
                return problem(name, "field is longer than " + std::to_string(m_limits.max_field_bytes) + " bytes");
            if (bad != base::JsonStringProblem::None)
                return problem(name, std::string(base::describe(bad)));
            return std::nullopt;
        }
        if (first == '-' || (first >= '0' && first <= '9')) {
            auto const number = base::find_json_number(m_line, m_position);
            if (!number)
                return problem(name, "is not a well-formed JSON number");
            if (number->end - m_position > m_limits.max_field_bytes)
                return problem(name, "field is longer than " + std::to_string(m_limits.max_field_bytes) + " bytes");
            value.assign(m_line.substr(m_position, number->end - m_position));
            m_position = number->end;
            return std::nullopt;
        }
        if (m_line.substr(m_position, 4) == "null") {
            m_position += 4;
            return std::nullopt;
        }
        return problem(name, "is not a JSON string, number or null");
    }

    model::ReturnLayout const& m_layout;
    model::InputLimits const& m_limits;
    std::string_view m_line;
    std::size_t m_position { 0 };
    std::string m_key;
    std::vector<bool> m_seen;
};

bool blank(std::string_view line)
{
    for (char const c : line)
        if (!base::is_json_space(c))
            return false;
    return true;
}

} // namespace

base::Result<ReturnReadCounts> read_jsonl_stream(model::ReturnLayout const& layout, std::istream& input, ReturnReadOptions const& options, ReturnSink& sink)
{
    JsonLineSplitter splitter(input, options.limits.max_record_bytes);
    std::string line;
    std::uint64_t line_number = 0;
    bool too_long = false;
    std::vector<std::string> values;
    ReturnReadCounts counts;
    while (splitter.next(line, line_number, too_long)) {
        if (splitter.bytes_read() > options.limits.max_file_bytes)
            return file_too_large(options);
        if (too_long) {
            TRY(sink.reject(make_rejection(options, line_number, {}, "line is longer than " + std::to_string(options.limits.max_record_bytes) + " bytes")));
            ++counts.lines_rejected;
            continue;
        }
        if (blank(line))
            continue;
        if (auto bad = LineObjectParser(layout, options.limits, line).parse(values)) {
            TRY(sink.reject(make_rejection(options, line_number, std::move(bad->column), std::move(bad->reason))));
            ++counts.lines_rejected;
            continue;
        }
        TRY(deliver_line(layout, values, line_number, options, sink, counts));
    }
    if (splitter.failed())
        return base::make_error(base::ErrorCode::FileUnreadable, options.file_label + ": reading failed after " + std::to_string(splitter.bytes_read()) + " bytes");
    return counts;
}

} // namespace dcagw::layouts::detail
