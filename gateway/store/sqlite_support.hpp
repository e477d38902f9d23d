// store/sqlite_support: thin RAII wrappers over the SQLite C API, private to the store.
//
// Owns: the connection handle, prepared statements (bind, step, read, reset), and the
// translation of SQLite result codes into base::Error with the operation that failed.
// Must never: be included outside gateway/store (it includes sqlite3.h, which no other
// module may see), or offer a way to run SQL text assembled from values: every value
// reaches SQLite through a bound parameter.
#pragma once

#include "gateway/base/result.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dcagw::store::detail {

// A StoreFailure (or StoreCorrupt for a damaged file) naming the operation and carrying
// SQLite's own message, e.g. "adding placement for account A1: UNIQUE constraint failed".
base::Error sqlite_error(sqlite3* database, int code, std::string_view operation);

class Connection {
public:
    Connection() = default;
    explicit Connection(sqlite3* handle) : m_handle(handle) {}
    ~Connection();
    Connection(Connection const&) = delete;
    Connection& operator=(Connection const&) = delete;
    Connection& operator=(Connection&& other) noexcept;

    sqlite3* get() const { return m_handle; }

    // Runs constant SQL text (schema, pragmas, BEGIN/COMMIT): it must contain no values.
    base::Result<void> execute_constant(char const* sql, std::string_view operation);

private:
    sqlite3* m_handle { nullptr };
};

enum class Step { Row, Done };

class Statement {
public:
    Statement() = default;
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(Statement const&) = delete;
    Statement& operator=(Statement const&) = delete;

    // The SQL text is a compile-time constant with ?N placeholders.
    static base::Result<Statement> prepare(sqlite3* database, char const* sql, std::string_view operation);

    void bind(int index, std::string_view text);
    void bind(int index, std::int64_t number);
    void bind_null(int index);
    void bind_optional(int index, std::optional<std::string> const& text);
    // Binds bytes as a BLOB (audit entry encodings and hashes are not text).
    void bind_blob(int index, std::string_view bytes);
    // Binds ?1, ?2, ... in the order given: text (std::string, string views, literals)
    // or integers, so an INSERT's values read in its column order with no index to miscount.
    template <typename... Values>
    void bind_all(Values const&... values)
    {
        int index = 0;
        (bind_value(++index, values), ...);
    }

    base::Result<Step> step(std::string_view operation);
    // Steps a statement that returns no rows (INSERT, UPDATE, DELETE) to completion.
    base::Result<void> run(std::string_view operation);

    std::int64_t integer(int column) const;
    // Valid until the next step or reset.
    std::string_view text(int column) const;
    bool is_null(int column) const;
    // A BLOB column's bytes; valid until the next step or reset.
    std::string_view blob(int column) const;

    // Ready for the next use: resets and drops every binding, so no view bound to a
    // caller's buffer outlives the call that bound it.
    void reset();

    sqlite3_stmt* get() const { return m_handle; }

private:
    void bind_value(int index, std::string_view text) { bind(index, text); }
    void bind_value(int index, std::string const& text) { bind(index, std::string_view(text)); }
    void bind_value(int index, char const* text) { bind(index, std::string_view(text)); }
    void bind_value(int index, std::int64_t number) { bind(index, number); }
    void bind_value(int index, std::optional<std::string> const& text) { bind_optional(index, text); }

    explicit Statement(sqlite3_stmt* handle) : m_handle(handle) {}
    sqlite3_stmt* m_handle { nullptr };
};

// Resets a cached statement when the scope using it ends, on every path.
class ResetOnExit {
public:
    explicit ResetOnExit(Statement& statement) : m_statement(statement) {}
    ~ResetOnExit() { m_statement.reset(); }
    ResetOnExit(ResetOnExit const&) = delete;
    ResetOnExit& operator=(ResetOnExit const&) = delete;

private:
    Statement& m_statement;
};

// Current UTC time as "2026-11-23T12:34:56Z". Formatting is cached per second because
// the hot path stamps a million rows a second.
std::string_view utc_now_text();

} // namespace dcagw::store::detail
