// The CSV (RFC 4180) case export reader. Rows without quotes take a fast path (memchr for
// the record end and the commas); anything quoted goes through a resumable state machine
// that can stop at any byte when the buffer runs out, and that discards the bytes of a
// record over max_record_bytes as it goes, so an unterminated quote cannot grow memory.
#include "gateway/cases/csv_case_reader.hpp"
#include "gateway/base/text.hpp"
#include "gateway/cases/csv_delimiters.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

namespace dcagw::cases::detail {

bool CsvCaseReader::scan(char const* base, std::size_t available, bool end_of_input)
{
    Scan& s = m_scan;
    std::size_t p = s.position;
    while (p < available) {
        switch (s.mode) {
        case Mode::FieldStart:
            s.field_begin = p;
            if (base[p] == '"') {
                s.mode = Mode::Quoted;
                s.doubled_quotes = false;
                ++p;
                break;
            }
            s.mode = Mode::Unquoted;
            [[fallthrough]];
        case Mode::Unquoted: {
            p = static_cast<std::size_t>(find_special(base + p, base + available) - base);
            if (p == available)
                break;
            char const byte = base[p];
            if (byte == '"') {
                note_problem(Problem::UnexpectedQuote);
                ++p;
            } else if (byte == ',') {
                end_field(s.field_begin, p, false, false);
                s.mode = Mode::FieldStart;
                ++p;
            } else {
                std::size_t end = p;
                if (end > s.field_begin && base[end - 1] == '\r')
                    --end;
                end_field(s.field_begin, end, false, false);
                s.content_end = end;
                s.record_end = p + 1;
                s.position = p + 1;
                return true;
            }
            break;
        }
        case Mode::Quoted: {
            auto const* quote = static_cast<char const*>(std::memchr(base + p, '"', available - p));
            if (quote == nullptr) {
                p = available;
                break;
            }
            p = static_cast<std::size_t>(quote - base);
            s.closing_quote = p;
            s.mode = Mode::QuoteInQuoted;
            ++p;
            break;
        }
        case Mode::QuoteInQuoted: {
            char const byte = base[p];
            if (byte == '"') {
                s.doubled_quotes = true;
                s.mode = Mode::Quoted;
                ++p;
            } else if (byte == ',') {
                end_field(s.field_begin + 1, s.closing_quote, true, s.doubled_quotes);
                s.mode = Mode::FieldStart;
                ++p;
            } else if (byte == '\n') {
                end_field(s.field_begin + 1, s.closing_quote, true, s.doubled_quotes);
                s.content_end = p;
                s.record_end = p + 1;
                s.position = p + 1;
                return true;
            } else if (byte == '\r') {
                s.mode = Mode::QuoteThenCarriageReturn;
                ++p;
            } else {
                note_problem(Problem::TextAfterQuote);
                s.mode = Mode::Unquoted;
            }
            break;
        }
        case Mode::QuoteThenCarriageReturn:
            if (base[p] == '\n') {
                end_field(s.field_begin + 1, s.closing_quote, true, s.doubled_quotes);
                s.content_end = p - 1;
                s.record_end = p + 1;
                s.position = p + 1;
                return true;
            }
            note_problem(Problem::TextAfterQuote);
            s.mode = Mode::Unquoted;
            break;
        }
    }
    s.position = p;
    if (!end_of_input)
        return false;
    // The input ends inside this record: the final record needs no line end.
    switch (s.mode) {
    case Mode::FieldStart:
        end_field(p, p, false, false);
        break;
    case Mode::Unquoted: {
        std::size_t end = p;
        if (end > s.field_begin && base[end - 1] == '\r')
            --end;
        end_field(s.field_begin, end, false, false);
        s.content_end = end;
        s.record_end = p;
        return true;
    }
    case Mode::Quoted:
        note_problem(Problem::UnterminatedQuote);
        end_field(s.field_begin + 1, p, true, s.doubled_quotes);
        break;
    case Mode::QuoteInQuoted:
    case Mode::QuoteThenCarriageReturn:
        end_field(s.field_begin + 1, s.closing_quote, true, s.doubled_quotes);
        break;
    }
    s.content_end = p;
    s.record_end = p;
    return true;
}

base::Result<bool> CsvCaseReader::read_raw_record(model::RawRecord* record)
{
    for (;;) {
        if (m_position >= m_buffer.size()) {
            if (m_buffer.at_end_of_input())
                return false;
            auto const refill = TRY(m_buffer.refill(m_position));
            m_position -= refill.shift;
            continue;
        }
        char const* base = m_buffer.data() + m_position;
        std::size_t const available = m_buffer.size() - m_position;
        // Blank lines between records are skipped.
        if (base[0] == '\n') {
            ++m_position;
            continue;
        }
        if (available >= 2 && base[0] == '\r' && base[1] == '\n') {
            m_position += 2;
            continue;
        }
        m_record_line = m_buffer.line_at(m_position);
        m_fields.clear();
        m_scan = Scan {};

        m_record_start = m_position;
        m_filled = false;
        if (record != nullptr) {
            record->location = { display_name(), m_record_line };
            m_scratch.clear();
            m_filled = read_fast(base, available, *record);
        }
        if (!m_filled) {
            m_fields.clear();
            m_scan = Scan {};
            m_scratch.clear();
            while (!scan(m_buffer.data() + m_position, m_buffer.size() - m_position, m_buffer.at_end_of_input())) {
                if (!m_scan.oversize && m_scan.position > m_limits.max_record_bytes + 2) {
                    m_scan.oversize = true;
                    m_fields.clear();
                }
                if (m_scan.oversize) {
                    // Past the limit the bytes are only scanned for the record end, never kept.
                    m_position += m_scan.position;
                    m_scan.position = 0;
                    m_scan.field_begin = 0;
                    m_scan.closing_quote = 0;
                }
                auto const refill = TRY(m_buffer.refill(m_position));
                m_position -= refill.shift;
            }
            if (m_scan.content_end > m_limits.max_record_bytes && !m_scan.oversize) {
                m_scan.oversize = true;
                m_fields.clear();
            }
        }
        m_record_start = m_position;
        m_position += m_scan.record_end;
        bool const blank = !m_scan.oversize && m_scan.field_count == 1 && m_fields.size() == 1 && !m_fields[0].quoted
            && m_fields[0].begin == m_fields[0].end && m_scan.problem == Problem::None;
        if (blank)
            continue;
        return true;
    }
}

std::string_view CsvCaseReader::unescape_field(Field const& field)
{
    char const* base = m_buffer.data() + m_record_start;
    // Only a field with doubled quotes is copied: "" becomes ".
    std::size_t const start = m_scratch.begin();
    std::size_t cursor = field.begin;
    while (cursor < field.end) {
        auto const* quote = static_cast<char const*>(std::memchr(base + cursor, '"', field.end - cursor));
        std::size_t const stop = quote == nullptr ? field.end : static_cast<std::size_t>(quote - base) + 1;
        m_scratch.append(base + cursor, stop - cursor);
        cursor = stop;
        if (quote != nullptr && cursor < field.end && base[cursor] == '"')
            ++cursor;
    }
    return m_scratch.since(start);
}

base::Result<void> CsvCaseReader::read_header()
{
    std::size_t const start = TRY(m_buffer.skip_byte_order_mark());
    m_position = start;
    m_field_capacity = m_limits.max_fields + 1;
    bool const found = TRY(read_raw_record(nullptr));
    auto const fail = [&](std::string text) {
        return base::make_error(base::ErrorCode::InputMalformed, "line " + std::to_string(m_record_line) + ": header row: " + text);
    };
    if (!found)
        return base::make_error(base::ErrorCode::InputMalformed, "the file is empty: a CSV case export starts with a header row");
    if (m_scan.oversize)
        return fail("longer than the limit of " + std::to_string(m_limits.max_record_bytes) + " bytes (max_record_bytes)");
    if (m_scan.field_count > m_limits.max_fields)
        return fail("has " + std::to_string(m_scan.field_count) + " columns, more than the limit of " + std::to_string(m_limits.max_fields) + " (max_fields)");
    if (m_scan.problem != Problem::None)
        return fail("column " + std::to_string(m_scan.problem_field + 1) + " is not quoted correctly");
    std::set<std::string, std::less<>> seen;
    std::array<bool, model::case_field_count> mapped {};
    m_scratch.clear();
    for (std::size_t column = 0; column < m_fields.size(); ++column) {
        std::string_view const name = field_value(m_fields[column]);
        if (!base::is_valid_utf8(name))
            return fail("column " + std::to_string(column + 1) + " has a name that is not valid UTF-8");
        if (!seen.insert(std::string(name)).second)
            return fail("duplicate column '" + printable_name(name) + "'");
        m_column_names.emplace_back(name);
        auto const field = lookup_field(name);
        if (field.has_value()) {
            m_column_field.push_back(static_cast<std::ptrdiff_t>(model::index_of(*field)));
            mapped[model::index_of(*field)] = true;
        } else {
            m_column_field.push_back(unmapped);
            add_warning("unknown column '" + printable_name(name) + "' ignored");
        }
    }
    for (auto const& entry : model::field_table())
        if (entry.required && !mapped[model::index_of(entry.field)])
            return fail("required column '" + std::string(entry.name) + "' is missing");
    m_field_capacity = m_column_names.size() + 1;
    m_slots.assign(m_column_names.size(), nullptr);
    m_present_in_header = mapped;
    for (std::size_t index = 0; index < model::case_field_count; ++index)
        if (!mapped[index])
            m_fields_not_in_header.push_back(index);
    return {};
}

base::Result<ReadOutcome> CsvCaseReader::next_record(model::RawRecord& record, model::Rejection& rejection)
{
    bool const found = TRY(read_raw_record(&record));
    if (!found)
        return ReadOutcome::End;
    auto const reject = [&](std::string_view field, std::string reason) {
        make_rejection(rejection, display_name(), m_record_line, &record, field, std::move(reason));
        return ReadOutcome::Rejected;
    };
    char const* base = m_buffer.data() + m_record_start;
    if (m_filled) {
        if (base::is_valid_utf8(std::string_view(base, m_scan.content_end)))
            return ReadOutcome::Record;
        // Split the row again to name the field that is not UTF-8.
        m_fields.clear();
        m_scan = Scan {};
        scan(base, m_position - m_record_start, true);
    }
    reset_record(record, display_name(), m_record_line);
    if (m_scan.oversize)
        return reject("", "the record is longer than the limit of " + std::to_string(m_limits.max_record_bytes) + " bytes (max_record_bytes)");

    m_scratch.clear();
    std::size_t const columns = std::min(m_fields.size(), m_column_names.size());
    for (std::size_t column = 0; column < columns; ++column) {
        auto const field = m_column_field[column];
        if (field == unmapped)
            continue;
        auto const index = static_cast<std::size_t>(field);
        record.values[index] = field_value(m_fields[column]);
        record.present[index] = true;
    }
    switch (m_scan.problem) {
    case Problem::None:
        break;
    case Problem::UnexpectedQuote:
        return reject(column_name(m_scan.problem_field), "an unquoted field contains a double quote (quote the whole field and double the quote)");
    case Problem::TextAfterQuote:
        return reject(column_name(m_scan.problem_field), "text follows the closing quote of a quoted field");
    case Problem::UnterminatedQuote:
        return reject(column_name(m_scan.problem_field), "a quoted field is not closed before the end of the file");
    }
    if (m_scan.field_count != m_column_names.size())
        return reject("", "row has " + std::to_string(m_scan.field_count) + " fields but the header has " + std::to_string(m_column_names.size()));
    bool const all_valid = base::is_valid_utf8(std::string_view(base, m_scan.content_end));
    for (std::size_t column = 0; column < columns; ++column) {
        Field const& field = m_fields[column];
        if (field.end - field.begin > m_limits.max_field_bytes)
            return reject(m_column_names[column], "the field is longer than the limit of " + std::to_string(m_limits.max_field_bytes) + " bytes (max_field_bytes)");
        if (!all_valid && !base::is_valid_utf8(std::string_view(base + field.begin, field.end - field.begin)))
            return reject(m_column_names[column], "the field is not valid UTF-8");
    }
    return ReadOutcome::Record;
}

base::Result<std::unique_ptr<CaseReader>> open_csv_case_reader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name)
{
    auto reader = std::make_unique<CsvCaseReader>(std::move(source), limits, std::move(display_name));
    TRY(reader->read_header());
    return std::unique_ptr<CaseReader>(std::move(reader));
}

} // namespace dcagw::cases::detail