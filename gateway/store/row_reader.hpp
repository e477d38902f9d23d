// store/row_reader: reading result rows into the store's structs, and the names every
// store file speaks.
//
// Owns: the column cursor (`Columns`: a row's columns read left to right in SELECT order,
// so a reader names fields, never column numbers), the decoding of a stored enum name (an
// unknown name is StoreCorrupt naming the row and the column: a value the gateway never
// writes means the file was edited or damaged), and collecting every row of a statement.
// Must never: be included outside gateway/store, or guess a value it cannot decode.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/store/sqlite_support.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace dcagw::store {

// One declaration for the whole module instead of a block at the top of every file.
using base::ErrorCode;
using base::make_error;
using detail::ResetOnExit;
using detail::Statement;
using detail::Step;

namespace detail {

// A value read from the database may hold anything: shown escaped and cut to 120 bytes.
std::string shown(std::string_view text);

class Columns {
public:
    explicit Columns(Statement const& statement) : m_statement(statement) {}

    // Reads the next columns, one per field, in order: integers (a NULL is none for an
    // optional one), flags (0 or 1) and text (a view is valid until the next step).
    template<typename... Fields>
    void read(Fields&... fields) { (read_one(fields), ...); }

    // Reads the next columns as BLOBs (hashes and encodings are bytes, not text).
    template<typename... Fields>
    void read_blobs(Fields&... fields) { ((fields = m_statement.blob(m_next++)), ...); }

    // The next column as the stored name of an enum value, decoded by the enum's own
    // `..._from_string`. `row` names the row for the error ("transfer 12"), `column` the
    // column ("status").
    template<typename Enum>
    base::Result<void> read_stored(Enum& field, std::optional<Enum> (*parse)(std::string_view), std::string_view row, std::string_view column)
    {
        auto const text = m_statement.text(m_next++);
        auto const value = parse(text);
        if (!value)
            return unknown_stored_name(row, column, text);
        field = *value;
        return {};
    }

    void skip() { ++m_next; }

private:
    void read_one(std::int64_t& field) { field = m_statement.integer(m_next++); }
    void read_one(std::uint64_t& field) { field = static_cast<std::uint64_t>(m_statement.integer(m_next++)); }
    void read_one(bool& field) { field = m_statement.integer(m_next++) != 0; }
    void read_one(std::string& field) { field = std::string(m_statement.text(m_next++)); }
    void read_one(std::string_view& field) { field = m_statement.text(m_next++); }
    void read_one(std::optional<std::int64_t>& field)
    {
        field = m_statement.is_null(m_next) ? std::nullopt : std::optional(m_statement.integer(m_next));
        ++m_next;
    }
    static base::Error unknown_stored_name(std::string_view row, std::string_view column, std::string_view text);

    Statement const& m_statement;
    int m_next { 0 };
};

template<typename T>
struct RowOf {
    using type = T;
    static constexpr bool can_fail = false;
};
template<typename T>
struct RowOf<base::Result<T>> {
    using type = T;
    static constexpr bool can_fail = true;
};

// Every row `statement` returns, each read by `read_row(Statement const&)`, which returns
// the row or a Result of it.
template<typename ReadRow, typename Row = typename RowOf<std::invoke_result_t<ReadRow, Statement const&>>::type>
base::Result<std::vector<Row>> collect_rows(Statement& statement, std::string_view operation, ReadRow read_row)
{
    std::vector<Row> rows;
    while (TRY(statement.step(operation)) == Step::Row) {
        if constexpr (RowOf<std::invoke_result_t<ReadRow, Statement const&>>::can_fail)
            rows.push_back(TRY(read_row(static_cast<Statement const&>(statement))));
        else
            rows.push_back(read_row(static_cast<Statement const&>(statement)));
    }
    return rows;
}

// The first row `statement` returns, read as collect_rows reads each; none when it returns
// no row.
template<typename ReadRow, typename Row = typename RowOf<std::invoke_result_t<ReadRow, Statement const&>>::type>
base::Result<std::optional<Row>> first_row(Statement& statement, std::string_view operation, ReadRow read_row)
{
    if (TRY(statement.step(operation)) != Step::Row)
        return std::optional<Row> {};
    if constexpr (RowOf<std::invoke_result_t<ReadRow, Statement const&>>::can_fail)
        return std::optional<Row>(TRY(read_row(static_cast<Statement const&>(statement))));
    else
        return std::optional<Row>(read_row(static_cast<Statement const&>(statement)));
}

} // namespace detail

} // namespace dcagw::store
