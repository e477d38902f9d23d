#include "gateway/cli/render.hpp"

#include "gateway/base/text.hpp"

#include <cstdio>

namespace dcagw::cli {

namespace {

constexpr Format all_formats[] = { Format::Text, Format::Table, Format::Json, Format::Csv, Format::Html };

} // namespace

std::string_view to_string(Format format)
{
    switch (format) {
    case Format::Text: return "text";
    case Format::Table: return "table";
    case Format::Json: return "json";
    case Format::Csv: return "csv";
    case Format::Html: return "html";
    }
    return "text";
}

std::optional<Format> format_from_string(std::string_view text)
{
    for (auto const format : all_formats)
        if (to_string(format) == text)
            return format;
    return std::nullopt;
}

ListPrinter::ListPrinter(Format format, std::vector<std::string> columns, TableOptions table)
    : m_format(format == Format::Json || format == Format::Csv ? format : Format::Table)
    , m_columns(std::move(columns))
{
    if (m_format == Format::Table)
        m_table.emplace(m_columns, std::move(table));
    if (m_format == Format::Csv) {
        std::string line;
        for (std::size_t i = 0; i < m_columns.size(); ++i) {
            if (i > 0)
                line.push_back(',');
            base::append_csv_field(line, m_columns[i]);
        }
        std::printf("%s\n", line.c_str());
    } else if (m_format == Format::Json) {
        std::fputs("[", stdout);
    }
}

std::string ListPrinter::cell_text(Cell const& cell) const
{
    switch (cell.kind) {
    case Cell::Kind::Text: return cell.text;
    case Cell::Kind::Number: return std::to_string(cell.number);
    case Cell::Kind::List: {
        std::string joined;
        for (std::size_t i = 0; i < cell.list.size(); ++i) {
            if (i > 0)
                joined += m_format == Format::Table ? ", " : ";";
            joined += cell.list[i];
        }
        return joined;
    }
    case Cell::Kind::Records: {
        std::string joined;
        for (std::size_t i = 0; i < cell.records.size(); ++i) {
            if (i > 0)
                joined += m_format == Format::Table ? ", " : ";";
            for (std::size_t k = 0; k < cell.records[i].size(); ++k) {
                auto const& field = cell.records[i][k];
                if (k > 0)
                    joined += ' ';
                joined += field.is_number ? std::to_string(field.number) : field.text;
            }
        }
        return joined;
    }
    }
    return {};
}

void ListPrinter::row(std::vector<Cell> cells)
{
    ++m_rows;
    if (m_format == Format::Table) {
        std::vector<std::string> texts;
        for (auto const& cell : cells)
            texts.push_back(cell_text(cell));
        m_table->row(std::move(texts));
        return;
    }
    std::string line;
    if (m_format == Format::Csv) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0)
                line.push_back(',');
            base::append_csv_field(line, cell_text(cells[i]));
        }
        std::printf("%s\n", line.c_str());
        return;
    }
    line = m_rows == 1 ? "\n  {" : ",\n  {";
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0)
            line += ", ";
        base::append_json_string(line, m_columns[i]);
        line += ": ";
        auto const& cell = cells[i];
        if (cell.kind == Cell::Kind::Number) {
            line += std::to_string(cell.number);
        } else if (cell.kind == Cell::Kind::Records) {
            line += '[';
            for (std::size_t k = 0; k < cell.records.size(); ++k) {
                line += k > 0 ? ", {" : "{";
                for (std::size_t f = 0; f < cell.records[k].size(); ++f) {
                    auto const& field = cell.records[k][f];
                    if (f > 0)
                        line += ", ";
                    base::append_json_string(line, field.name);
                    line += ": ";
                    if (field.is_number)
                        line += std::to_string(field.number);
                    else
                        base::append_json_string(line, field.text);
                }
                line += '}';
            }
            line += ']';
        } else if (cell.kind == Cell::Kind::List) {
            line += '[';
            for (std::size_t k = 0; k < cell.list.size(); ++k) {
                if (k > 0)
                    line += ", ";
                base::append_json_string(line, cell.list[k]);
            }
            line += ']';
        } else {
            base::append_json_string(line, cell.text);
        }
    }
    line += '}';
    std::fputs(line.c_str(), stdout);
}

void ListPrinter::finish()
{
    if (m_format == Format::Json) {
        std::fputs(m_rows == 0 ? "]\n" : "\n]\n", stdout);
        return;
    }
    if (m_format == Format::Table)
        m_table->finish();
}

} // namespace dcagw::cli
