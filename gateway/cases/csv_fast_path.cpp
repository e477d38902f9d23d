// The CSV reader's fast path: a record without any quote is split with block scans of
// the delimiters and stored straight into the caller's record, with no copy.
#include "gateway/cases/csv_case_reader.hpp"
#include "gateway/cases/csv_delimiters.hpp"

#include <algorithm>
#include <cstring>

namespace dcagw::cases::detail {

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

} // namespace dcagw::cases::detail
