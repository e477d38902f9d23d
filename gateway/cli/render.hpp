// cli/render: printing lists as a table, JSON or CSV.
//
// Owns: the three list formats every `list`-style command offers. JSON is an array of
// objects (numbers as numbers, lists as arrays); CSV is RFC 4180 with a header (lists
// joined with ';'); the table is for people: aligned, fitted to the width (cli/table).
// Must never: print secret material (callers only pass ledger fields).
#pragma once

#include "gateway/cli/table.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::cli {

// The output formats a command may offer with --format (each declares its own list).
// ListPrinter prints Table, Json and Csv; Text (a summary for people) and Html (one
// page) are printed by the commands that offer them.
enum class Format { Text, Table, Json, Csv, Html };
std::string_view to_string(Format format);
std::optional<Format> format_from_string(std::string_view text);

// One named value of a record inside a cell: text, or a number when `is_number`.
struct RecordField {
    std::string name;
    std::string text;
    std::int64_t number { 0 };
    bool is_number { false };
};
using Record = std::vector<RecordField>;

struct Cell {
    // Records: a list of small objects (JSON: an array of objects; table and CSV: each
    // record's values joined by spaces, the records joined as a list is).
    enum class Kind { Text, Number, List, Records } kind { Kind::Text };
    std::string text;
    std::int64_t number { 0 };
    std::vector<std::string> list;
    std::vector<Record> records {};

    static Cell of(std::string value) { return Cell { Kind::Text, std::move(value), 0, {} }; }
    static Cell of(std::int64_t value) { return Cell { Kind::Number, {}, value, {} }; }
    static Cell of(std::vector<std::string> value) { return Cell { Kind::List, {}, 0, std::move(value) }; }
    static Cell of(std::vector<Record> value) { return Cell { Kind::Records, {}, 0, {}, std::move(value) }; }
};

// Every format prints rows as they come, in memory that does not grow with the row count
// (the table holds its first rows to choose its layout: cli/table).
class ListPrinter {
public:
    ListPrinter(Format format, std::vector<std::string> columns, TableOptions table = {});
    void row(std::vector<Cell> cells);
    void finish();

private:
    std::string cell_text(Cell const& cell) const;

    Format m_format;
    std::vector<std::string> m_columns;
    std::optional<TableWriter> m_table;
    std::size_t m_rows { 0 };
};

} // namespace dcagw::cli
