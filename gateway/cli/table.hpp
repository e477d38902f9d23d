// cli/table: the table format of the list commands, for people at a terminal.
//
// Owns: writing rows as they come in memory that does not grow with the row count (the
// first rows, at most `sample_rows`, are held to choose the layout, then every row is
// written at once); fitting the width (the terminal's, or 120 characters when standard
// output is not a terminal): long values are shortened with "…" and, when that is not
// enough, the command's detail columns are left out, with one note on standard error
// saying so; --wide shows every column and every value in full.
// Must never: change what JSON or CSV print (they always carry everything).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dcagw::cli {

struct TableOptions {
    bool wide { false };                     // --wide: every column, values in full
    std::size_t width { 120 };               // the characters a line may take
    std::vector<std::string> detail_columns; // left out first, last one first, to fit
};

// The width tables fit: the terminal's when standard output is one, else 120.
std::size_t output_width();

class TableWriter {
public:
    static constexpr std::size_t sample_rows = 200;

    TableWriter(std::vector<std::string> columns, TableOptions options);
    void row(std::vector<std::string> texts);
    void finish();

private:
    void lay_out();
    void print_row(std::vector<std::string> const& texts);

    std::vector<std::string> m_columns;
    TableOptions m_options;
    std::vector<std::vector<std::string>> m_sample;
    bool m_laid_out { false };
    bool m_shortened { false };
    std::size_t m_rows { 0 };
    std::vector<std::size_t> m_shown;   // indexes of the columns shown, in order
    std::vector<std::size_t> m_widths;  // one per shown column
    std::vector<std::string> m_hidden;  // names of the columns left out
};

} // namespace dcagw::cli
