#include "gateway/layouts/return_csv.hpp"

namespace dcagw::layouts::detail {

namespace {

constexpr std::size_t read_chunk_bytes = 64 * 1024;

enum class State : std::uint8_t { FieldStart, Unquoted, Quoted, QuoteInQuoted };

} // namespace

CsvRecordReader::CsvRecordReader(std::istream& input, char delimiter, model::InputLimits const& limits)
    : m_input(input), m_delimiter(delimiter), m_limits(limits), m_buffer(read_chunk_bytes)
{
}

int CsvRecordReader::get()
{
    if (m_buffer_position == m_buffer_size) {
        if (m_failed || !m_input.good())
            return -1;
        m_input.read(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
        m_buffer_size = static_cast<std::size_t>(m_input.gcount());
        m_buffer_position = 0;
        if (m_input.bad())
            m_failed = true;
        if (m_buffer_size == 0)
            return -1;
        // A UTF-8 byte order mark at the very start is not part of the first column name.
        if (m_at_start) {
            m_at_start = false;
            if (m_buffer_size >= 3 && static_cast<unsigned char>(m_buffer[0]) == 0xef && static_cast<unsigned char>(m_buffer[1]) == 0xbb && static_cast<unsigned char>(m_buffer[2]) == 0xbf)
                m_buffer_position = 3;
            m_bytes_read += m_buffer_position;
            if (m_buffer_position == m_buffer_size)
                return get();
        }
    }
    ++m_bytes_read;
    return static_cast<unsigned char>(m_buffer[m_buffer_position++]);
}

void CsvRecordReader::add_byte(CsvRecord& record, char c, std::size_t& record_bytes)
{
    if (++record_bytes > m_limits.max_record_bytes) {
        record.problem = RecordProblem::RecordTooLong;
        return;
    }
    if (record.problem == RecordProblem::TooManyFields)
        return;
    auto& field = record.fields.back();
    if (field.size() >= m_limits.max_field_bytes) {
        if (record.problem == RecordProblem::None) {
            record.problem = RecordProblem::FieldTooLong;
            record.problem_field = record.fields.size() - 1;
        }
        return;
    }
    field.push_back(c);
}

bool CsvRecordReader::next(CsvRecord& record)
{
    record.fields.assign(1, std::string());
    record.line = m_line;
    record.problem = RecordProblem::None;
    record.problem_field = 0;
    std::size_t record_bytes = 0;
    std::size_t field_count = 1;
    auto state = State::FieldStart;
    bool any = false;
    auto const new_field = [&] {
        state = State::FieldStart;
        ++record_bytes;
        if (++field_count > m_limits.max_fields) {
            if (record.problem != RecordProblem::RecordTooLong)
                record.problem = RecordProblem::TooManyFields;
            return;
        }
        if (record.problem != RecordProblem::TooManyFields && record.problem != RecordProblem::RecordTooLong)
            record.fields.emplace_back();
    };
    auto const bad_quoting = [&] {
        if (record.problem == RecordProblem::None) {
            record.problem = RecordProblem::BadQuoting;
            record.problem_field = record.fields.size() - 1;
        }
    };
    for (;;) {
        int const c = get();
        if (c < 0) {
            if (!any)
                return false;
            if (state == State::Quoted)
                bad_quoting();
            return true;
        }
        any = true;
        char const ch = static_cast<char>(c);
        if (ch == '\n') {
            ++m_line;
            if (state == State::Quoted) {
                add_byte(record, ch, record_bytes);
                continue;
            }
            // CRLF: the CR before the line end belongs to the line end, not the last field.
            if (state != State::QuoteInQuoted && !record.fields.back().empty() && record.fields.back().back() == '\r')
                record.fields.back().pop_back();
            return true;
        }
        switch (state) {
        case State::FieldStart:
            if (ch == '"')
                state = State::Quoted;
            else if (ch == m_delimiter)
                new_field();
            else {
                state = State::Unquoted;
                add_byte(record, ch, record_bytes);
            }
            break;
        case State::Unquoted:
            if (ch == m_delimiter)
                new_field();
            else {
                if (ch == '"')
                    bad_quoting();
                add_byte(record, ch, record_bytes);
            }
            break;
        case State::Quoted:
            if (ch == '"')
                state = State::QuoteInQuoted;
            else
                add_byte(record, ch, record_bytes);
            break;
        case State::QuoteInQuoted:
            if (ch == '"') {
                state = State::Quoted;
                add_byte(record, ch, record_bytes);
            } else if (ch == m_delimiter) {
                new_field();
            } else if (ch != '\r') {
                // CR after a closing quote is the first half of CRLF; anything else is not CSV.
                bad_quoting();
                state = State::Unquoted;
                add_byte(record, ch, record_bytes);
            }
            break;
        }
    }
}

} // namespace dcagw::layouts::detail
