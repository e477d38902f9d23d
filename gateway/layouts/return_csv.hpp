// layouts/return_csv: the streaming RFC 4180 record splitter under the return reader.
//
// Owns: splitting a byte stream into records and fields (quotes, doubled quotes, quoted
// line breaks), a UTF-8 BOM at the start, CR before LF, physical line numbers, and the
// per-record limits (record bytes, field count, field bytes), which mark a record bad
// instead of growing memory.
// Must never: keep more than one record in memory, or interpret a field.
#pragma once

#include "gateway/model/config.hpp"

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace dcagw::layouts::detail {

enum class RecordProblem : std::uint8_t {
    None,
    RecordTooLong,     // more than max_record_bytes
    TooManyFields,     // more than max_fields
    FieldTooLong,      // field `problem_field` is longer than max_field_bytes
    BadQuoting,        // a quote inside an unquoted field, text after a closing quote, or no closing quote
};

struct CsvRecord {
    std::vector<std::string> fields;
    std::uint64_t line { 0 };      // physical line the record starts on, 1-based
    RecordProblem problem { RecordProblem::None };
    std::size_t problem_field { 0 };
    bool blank() const { return fields.size() == 1 && fields[0].empty() && problem == RecordProblem::None; }
};

class CsvRecordReader {
public:
    CsvRecordReader(std::istream& input, char delimiter, model::InputLimits const& limits);

    // False at the end of the input. Sets bytes_read() as it goes.
    bool next(CsvRecord& record);
    std::uint64_t bytes_read() const { return m_bytes_read; }
    bool failed() const { return m_failed; }

private:
    int get();
    void add_byte(CsvRecord& record, char c, std::size_t& record_bytes);

    std::istream& m_input;
    char m_delimiter;
    model::InputLimits m_limits;
    std::uint64_t m_line { 1 };
    std::uint64_t m_bytes_read { 0 };
    bool m_at_start { true };
    bool m_failed { false };
    std::vector<char> m_buffer;
    std::size_t m_buffer_position { 0 };
    std::size_t m_buffer_size { 0 };
};

} // namespace dcagw::layouts::detail
