#include "gateway/store/sqlite_support.hpp"

#include "gateway/base/date.hpp"

#include <cassert>
#include <climits>
#include <cstdio>
#include <ctime>
#include <utility>

namespace dcagw::store::detail {

base::Error sqlite_error(sqlite3* database, int code, std::string_view operation)
{
    // The connection's message is more precise than sqlite3_errstr (it names the
    // constraint or the table), but only when the connection itself reported the code.
    std::string message(operation);
    message += ": ";
    if (database != nullptr && sqlite3_extended_errcode(database) == code)
        message += sqlite3_errmsg(database);
    else
        message += sqlite3_errstr(code);
    int const primary = code & 0xFF;
    auto const error_code = (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) ? base::ErrorCode::StoreCorrupt : base::ErrorCode::StoreFailure;
    return base::make_error(error_code, std::move(message));
}

Connection::~Connection()
{
    // sqlite3_close_v2 defers the close until every statement is finalized, so the
    // order in which the Ledger's members are destroyed does not matter.
    if (m_handle != nullptr)
        sqlite3_close_v2(m_handle);
}

Connection& Connection::operator=(Connection&& other) noexcept
{
    if (this != &other) {
        if (m_handle != nullptr)
            sqlite3_close_v2(m_handle);
        m_handle = std::exchange(other.m_handle, nullptr);
    }
    return *this;
}

base::Result<void> Connection::execute_constant(char const* sql, std::string_view operation)
{
    int const code = sqlite3_exec(m_handle, sql, nullptr, nullptr, nullptr);
    if (code != SQLITE_OK)
        return sqlite_error(m_handle, code, operation);
    return {};
}

Statement::~Statement()
{
    if (m_handle != nullptr)
        sqlite3_finalize(m_handle);
}

Statement::Statement(Statement&& other) noexcept : m_handle(std::exchange(other.m_handle, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        if (m_handle != nullptr)
            sqlite3_finalize(m_handle);
        m_handle = std::exchange(other.m_handle, nullptr);
    }
    return *this;
}

base::Result<Statement> Statement::prepare(sqlite3* database, char const* sql, std::string_view operation)
{
    sqlite3_stmt* handle = nullptr;
    int const code = sqlite3_prepare_v3(database, sql, -1, SQLITE_PREPARE_PERSISTENT, &handle, nullptr);
    if (code != SQLITE_OK) {
        auto error = sqlite_error(database, code, operation);
        if (handle != nullptr)
            sqlite3_finalize(handle);
        return error;
    }
    assert(handle != nullptr && "a statement's SQL text must not be empty");
    return Statement(handle);
}

void Statement::bind(int index, std::string_view text)
{
    // An empty view may have a null data pointer, which SQLite would store as NULL;
    // an empty string must stay an empty string.
    char const* data = text.data() != nullptr ? text.data() : "";
    [[maybe_unused]] int const code = sqlite3_bind_text64(m_handle, index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8);
    assert(code == SQLITE_OK && "binding a parameter that the statement does not have");
}

void Statement::bind(int index, std::int64_t number)
{
    [[maybe_unused]] int const code = sqlite3_bind_int64(m_handle, index, number);
    assert(code == SQLITE_OK && "binding a parameter that the statement does not have");
}

void Statement::bind_null(int index)
{
    [[maybe_unused]] int const code = sqlite3_bind_null(m_handle, index);
    assert(code == SQLITE_OK && "binding a parameter that the statement does not have");
}

void Statement::bind_optional(int index, std::optional<std::string> const& text)
{
    if (text)
        bind(index, std::string_view(*text));
    else
        bind_null(index);
}

void Statement::bind_blob(int index, std::string_view bytes)
{
    // SQLITE_STATIC: the caller's bytes outlive the step (every use resets the statement).
    [[maybe_unused]] int const code = sqlite3_bind_blob64(m_handle, index, bytes.data(), bytes.size(), SQLITE_STATIC);
    assert(code == SQLITE_OK && "binding a parameter that the statement does not have");
}

base::Result<Step> Statement::step(std::string_view operation)
{
    int const code = sqlite3_step(m_handle);
    if (code == SQLITE_ROW)
        return Step::Row;
    if (code == SQLITE_DONE)
        return Step::Done;
    return sqlite_error(sqlite3_db_handle(m_handle), code, operation);
}

base::Result<void> Statement::run(std::string_view operation)
{
    for (;;) {
        auto const step_result = TRY(step(operation));
        if (step_result == Step::Done)
            return {};
    }
}

std::int64_t Statement::integer(int column) const
{
    return sqlite3_column_int64(m_handle, column);
}

std::string_view Statement::text(int column) const
{
    auto const* data = reinterpret_cast<char const*>(sqlite3_column_text(m_handle, column));
    if (data == nullptr)
        return {};
    return std::string_view(data, static_cast<std::size_t>(sqlite3_column_bytes(m_handle, column)));
}

std::string_view Statement::blob(int column) const
{
    auto const* data = static_cast<char const*>(sqlite3_column_blob(m_handle, column));
    if (data == nullptr)
        return {};
    return std::string_view(data, static_cast<std::size_t>(sqlite3_column_bytes(m_handle, column)));
}

bool Statement::is_null(int column) const
{
    return sqlite3_column_type(m_handle, column) == SQLITE_NULL;
}

void Statement::reset()
{
    if (m_handle == nullptr)
        return;
    sqlite3_reset(m_handle);
    sqlite3_clear_bindings(m_handle);
}

std::string_view utc_now_text()
{
    static thread_local std::time_t cached_second = -1;
    // A fixed buffer, not a string: a view handed out earlier stays valid memory.
    static thread_local char cached_text[32] = {};
    std::time_t const now = std::time(nullptr);
    if (now != cached_second) {
        auto const text = base::utc_timestamp(now);
        std::snprintf(cached_text, sizeof cached_text, "%s", text.c_str());
        cached_second = now;
    }
    return cached_text;
}

} // namespace dcagw::store::detail
