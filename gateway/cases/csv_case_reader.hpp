// cases/csv_case_reader: the CSV (RFC 4180) case export reader's class, shared by its two
// source files (csv_case_reader.cpp: header, state machine, checks; csv_fast_path.cpp:
// the unquoted-row fast path). Internal to cases: callers use open_case_reader().
//
// Owns: one CSV stream's parsing state.
// Must never: hold more than max_record_bytes of one record, or let a malformed record
// stop the records after it.
#pragma once

#include "gateway/cases/case_reader.hpp"
#include "gateway/cases/case_reader_buffer.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::cases::detail {

class CsvCaseReader final : public CaseReader {
public:
    // m_column_field value of a column that maps to no canonical field.
    static constexpr std::ptrdiff_t unmapped = -1;

    CsvCaseReader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name)
        : CaseReader(std::move(display_name))
        , m_limits(limits)
        , m_buffer(std::move(source), limits)
        , m_scratch(limits.max_record_bytes)
    {
    }

    base::Result<void> read_header();

private:
    base::Result<ReadOutcome> next_record(model::RawRecord& record, model::Rejection& rejection) override;
    // Offsets are relative to the record start, so they survive a refill.
    struct Field {
        std::size_t begin;
        std::size_t end;
        bool quoted;
        bool doubled_quotes;
    };
    enum class Mode : std::uint8_t { FieldStart, Unquoted, Quoted, QuoteInQuoted, QuoteThenCarriageReturn };
    enum class Problem : std::uint8_t { None, UnexpectedQuote, TextAfterQuote, UnterminatedQuote };
    struct Scan {
        std::size_t position { 0 };
        Mode mode { Mode::FieldStart };
        std::size_t field_begin { 0 };
        std::size_t closing_quote { 0 };
        bool doubled_quotes { false };
        std::size_t field_count { 0 };
        Problem problem { Problem::None };
        std::size_t problem_field { 0 };
        bool oversize { false };
        std::size_t content_end { 0 };
        std::size_t record_end { 0 };
    };

    // Reads the next record. With `record`, a well-formed row is stored straight into it
    // (m_filled); otherwise m_fields describes the row for the checks in next().
    base::Result<bool> read_raw_record(model::RawRecord* record);
    bool read_fast(char const* base, std::size_t available, model::RawRecord& record);
    bool scan(char const* base, std::size_t available, bool end_of_input);
    void end_field(std::size_t begin, std::size_t end, bool quoted, bool doubled_quotes)
    {
        ++m_scan.field_count;
        if (!m_scan.oversize && m_fields.size() < m_field_capacity)
            m_fields.push_back(Field { begin, end, quoted, doubled_quotes });
    }
    void note_problem(Problem problem)
    {
        if (m_scan.problem == Problem::None) {
            m_scan.problem = problem;
            m_scan.problem_field = m_scan.field_count;
        }
    }
    std::string_view field_value(Field const& field)
    {
        if (!field.doubled_quotes)
            return { m_buffer.data() + m_record_start + field.begin, field.end - field.begin };
        return unescape_field(field);
    }
    std::string_view unescape_field(Field const& field);
    std::string column_name(std::size_t column) const
    {
        return column < m_column_names.size() ? m_column_names[column] : "column " + std::to_string(column + 1);
    }

    model::InputLimits m_limits;
    InputBuffer m_buffer;
    Scratch m_scratch;
    std::size_t m_position { 0 };
    std::size_t m_record_start { 0 };
    std::uint64_t m_record_line { 0 };
    Scan m_scan;
    bool m_filled { false };
    // Where read_fast() stores each column: the record's value, or a sink for columns
    // that map to no canonical field. Rebuilt when the caller passes another record.
    std::vector<std::string_view*> m_slots;
    model::RawRecord const* m_slots_for { nullptr };
    std::string_view m_unmapped_slot;
    std::array<bool, model::case_field_count> m_present_in_header {};
    std::vector<std::size_t> m_fields_not_in_header;
    std::vector<Field> m_fields;
    std::size_t m_field_capacity { 0 };
    std::vector<std::string> m_column_names;
    std::vector<std::ptrdiff_t> m_column_field;
};

} // namespace dcagw::cases::detail
