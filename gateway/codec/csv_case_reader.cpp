// The CSV (RFC 4180) case export reader. Rows without quotes take a fast path (memchr for
// the record end and the commas); anything quoted goes through a resumable state machine
// that can stop at any byte when the buffer runs out, and that discards the bytes of a
// record over max_record_bytes as it goes, so an unterminated quote cannot grow memory.
#include "gateway/codec/case_reader.hpp"
#include "gateway/codec/case_reader_buffer.hpp"

#include <algorithm>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <set>
#include <vector>

namespace dcagw::codec::detail {

namespace {

constexpr std::ptrdiff_t unmapped = -1;

// Positions of ',', '\n' and '"' in the 16 bytes at `bytes`, as a bit mask. Scanning a
// block at a time and walking the set bits is what makes the common row cheap: the cost
// is per delimiter, not per byte.
inline std::uint32_t special_mask(char const* bytes)
{
#if defined(__SSE2__)
    __m128i const block = _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes));
    __m128i const found = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8(',')), _mm_cmpeq_epi8(block, _mm_set1_epi8('\n'))),
        _mm_cmpeq_epi8(block, _mm_set1_epi8('"')));
    return static_cast<std::uint32_t>(_mm_movemask_epi8(found));
#else
    std::uint32_t mask = 0;
    for (int i = 0; i < 16; ++i)
        if (bytes[i] == ',' || bytes[i] == '\n' || bytes[i] == '"')
            mask |= 1u << i;
    return mask;
#endif
}

struct DelimiterMasks {
    std::uint64_t commas;
    std::uint64_t newlines;
    std::uint64_t quotes;
};

// Positions of ',', '\n' and '"' in the 64 bytes at `bytes`, one bit per byte.
inline DelimiterMasks delimiter_masks(char const* bytes)
{
#if defined(__SSE2__)
    __m128i const comma = _mm_set1_epi8(',');
    __m128i const newline = _mm_set1_epi8('\n');
    __m128i const quote = _mm_set1_epi8('"');
    __m128i const b0 = _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes));
    __m128i const b1 = _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes + 16));
    __m128i const b2 = _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes + 32));
    __m128i const b3 = _mm_loadu_si128(reinterpret_cast<__m128i const*>(bytes + 48));
    auto const mask = [](__m128i a, __m128i b, __m128i c, __m128i d, __m128i needle) {
        auto const bits = [&](__m128i block) { return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, needle)))); };
        return bits(a) | bits(b) << 16 | bits(c) << 32 | bits(d) << 48;
    };
    return { mask(b0, b1, b2, b3, comma), mask(b0, b1, b2, b3, newline), mask(b0, b1, b2, b3, quote) };
#else
    DelimiterMasks masks { 0, 0, 0 };
    for (int i = 0; i < 64; ++i) {
        std::uint64_t const bit = std::uint64_t { 1 } << i;
        masks.commas |= bytes[i] == ',' ? bit : 0;
        masks.newlines |= bytes[i] == '\n' ? bit : 0;
        masks.quotes |= bytes[i] == '"' ? bit : 0;
    }
    return masks;
#endif
}

// The first ',', '\n' or '"' in [cursor, end), or end.
inline char const* find_special(char const* cursor, char const* end)
{
    while (end - cursor >= 16) {
        std::uint32_t const mask = special_mask(cursor);
        if (mask != 0)
            return cursor + __builtin_ctz(mask);
        cursor += 16;
    }
    while (cursor < end && *cursor != ',' && *cursor != '\n' && *cursor != '"')
        ++cursor;
    return cursor;
}

class CsvCaseReader final : public CaseReader {
public:
    CsvCaseReader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name)
        : m_limits(limits)
        , m_display_name(std::move(display_name))
        , m_buffer(std::move(source), limits)
        , m_scratch(limits.max_record_bytes)
    {
    }

    base::Result<void> read_header();
    base::Result<ReadOutcome> next(model::RawRecord& record, model::Rejection& rejection) override
    {
        auto result = next_record(record, rejection);
        if (result.is_error())
            return result.release_error().with_context("reading " + m_display_name);
        return result;
    }

private:
    base::Result<ReadOutcome> next_record(model::RawRecord& record, model::Rejection& rejection);
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
    std::string m_display_name;
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

bool CsvCaseReader::read_fast(char const* base, std::size_t available, model::RawRecord& record)
{
    // Walks the delimiter bits of whole 64-byte blocks and stores each value straight into
    // its slot of the record. Every row the file should contain ends here. Anything else
    // (a row that reaches the end of the buffer or the record limit, a quoting mistake,
    // the wrong number of fields, an over-long field) returns false, and the row is read
    // again by scan(), which finds and words the problem.
    if (m_slots_for != &record) {
        for (std::size_t column = 0; column < m_column_field.size(); ++column)
            m_slots[column] = m_column_field[column] == unmapped ? &m_unmapped_slot : &record.values[static_cast<std::size_t>(m_column_field[column])];
        m_slots_for = &record;
    }
    std::string_view* const* slots = m_slots.data();
    std::size_t const limit = std::min(available, m_limits.max_record_bytes + 2);
    std::size_t const columns = m_column_field.size();
    std::size_t column = 0;
    std::size_t field_begin = 0;
    std::size_t closing_quote = 0;
    std::size_t longest = 0;
    std::size_t skip = static_cast<std::size_t>(-1);
    bool quoted = false;
    bool in_quotes = false;
    bool doubled = false;
    auto const store = [&](std::size_t end) {
        if (column >= columns)
            return false;
        if (quoted) {
            Field const field { field_begin + 1, closing_quote, true, doubled };
            longest = std::max(longest, field.end - field.begin);
            *slots[column++] = doubled ? unescape_field(field) : std::string_view(base + field.begin, field.end - field.begin);
        } else {
            longest = std::max(longest, end - field_begin);
            *slots[column++] = std::string_view(base + field_begin, end - field_begin);
        }
        return true;
    };
    auto const finish = [&](std::size_t at) {
        std::size_t const content = at > field_begin && base[at - 1] == '\r' ? at - 1 : at;
        if (!store(content) || column != columns || content > m_limits.max_record_bytes || longest > m_limits.max_field_bytes)
            return false;
        for (auto const index : m_fields_not_in_header)
            record.values[index] = {};
        record.present = m_present_in_header;
        m_scan.field_count = column;
        m_scan.content_end = content;
        m_scan.record_end = at + 1;
        return true;
    };
    for (std::size_t block = 0; block + 64 <= limit; block += 64) {
        auto const [commas, newlines, quotes] = delimiter_masks(base + block);
        if (!in_quotes && quotes == 0) {
            // The common block: no quotes, so every bit is a delimiter.
            // Written without the lambdas, on locals only, so the compiler keeps them in
            // registers: this loop is where the reader spends its time.
            std::size_t local_begin = field_begin;
            std::size_t local_column = column;
            std::size_t local_longest = longest;
            std::uint64_t mask = commas & (newlines == 0 ? ~std::uint64_t { 0 } : (newlines & (~newlines + 1)) - 1);
            if (quoted) {
                // The first comma of this block closes a quoted field that ended in the last one.
                column = local_column;
                if (mask == 0 && newlines == 0)
                    continue;
                std::size_t const at = block + static_cast<std::size_t>(__builtin_ctzll(mask | newlines));
                if ((newlines >> (at - block)) & 1u)
                    return finish(at);
                if (!store(at))
                    return false;
                field_begin = at + 1;
                quoted = false;
                doubled = false;
                mask &= mask - 1;
                local_begin = field_begin;
                local_column = column;
                local_longest = longest;
            }
            for (; mask != 0; mask &= mask - 1) {
                std::size_t const at = block + static_cast<std::size_t>(__builtin_ctzll(mask));
                if (local_column >= columns)
                    return false;
                std::size_t const length = at - local_begin;
                local_longest = length > local_longest ? length : local_longest;
                *slots[local_column++] = std::string_view(base + local_begin, length);
                local_begin = at + 1;
            }
            field_begin = local_begin;
            column = local_column;
            longest = local_longest;
            if (newlines != 0)
                return finish(block + static_cast<std::size_t>(__builtin_ctzll(newlines)));
            continue;
        }
        for (std::uint64_t mask = commas | newlines | quotes; mask != 0; mask &= mask - 1) {
            std::size_t const at = block + static_cast<std::size_t>(__builtin_ctzll(mask));
            char const byte = base[at];
            if (in_quotes) {
                if (byte != '"' || at == skip)
                    continue;
                if (at + 2 >= available)
                    return false;
                char const after = base[at + 1];
                if (after == '"') {
                    doubled = true;
                    skip = at + 1;
                    continue;
                }
                if (after != ',' && after != '\n' && !(after == '\r' && base[at + 2] == '\n'))
                    return false;
                in_quotes = false;
                closing_quote = at;
            } else if (byte == ',') {
                if (!store(at))
                    return false;
                field_begin = at + 1;
                quoted = false;
                doubled = false;
            } else if (byte == '\n') {
                return finish(at);
            } else if (at == field_begin && !quoted) {
                quoted = true;
                in_quotes = true;
            } else {
                return false;
            }
        }
    }
    return false;
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
            record->location = { m_display_name, m_record_line };
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
        if (!is_valid_utf8_fast(name))
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
        make_rejection(rejection, m_display_name, m_record_line, &record, field, std::move(reason));
        return ReadOutcome::Rejected;
    };
    char const* base = m_buffer.data() + m_record_start;
    if (m_filled) {
        if (is_valid_utf8_fast(std::string_view(base, m_scan.content_end)))
            return ReadOutcome::Record;
        // Split the row again to name the field that is not UTF-8.
        m_fields.clear();
        m_scan = Scan {};
        scan(base, m_position - m_record_start, true);
    }
    reset_record(record, m_display_name, m_record_line);
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
    bool const all_valid = is_valid_utf8_fast(std::string_view(base, m_scan.content_end));
    for (std::size_t column = 0; column < columns; ++column) {
        Field const& field = m_fields[column];
        if (field.end - field.begin > m_limits.max_field_bytes)
            return reject(m_column_names[column], "the field is longer than the limit of " + std::to_string(m_limits.max_field_bytes) + " bytes (max_field_bytes)");
        if (!all_valid && !is_valid_utf8_fast(std::string_view(base + field.begin, field.end - field.begin)))
            return reject(m_column_names[column], "the field is not valid UTF-8");
    }
    return ReadOutcome::Record;
}

} // namespace

base::Result<std::unique_ptr<CaseReader>> open_csv_case_reader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name)
{
    auto reader = std::make_unique<CsvCaseReader>(std::move(source), limits, std::move(display_name));
    TRY(reader->read_header());
    return std::unique_ptr<CaseReader>(std::move(reader));
}

} // namespace dcagw::codec::detail
