// Writes straight into a ledger's database, as someone who can write the state store
// would: for the tests that check that nothing read from the ledger is trusted blindly.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <sqlite3.h>
#include <string>

namespace dcagw::testing {

inline void tamper_with_ledger(std::filesystem::path const& state_directory, std::string const& sql)
{
    sqlite3* database = nullptr;
    REQUIRE(sqlite3_open((state_directory / "ledger.sqlite").c_str(), &database) == SQLITE_OK);
    char* message = nullptr;
    int const code = sqlite3_exec(database, sql.c_str(), nullptr, nullptr, &message);
    std::string const text = message != nullptr ? message : "";
    sqlite3_free(message);
    sqlite3_close(database);
    INFO(text);
    REQUIRE(code == SQLITE_OK);
}

// A value for a SQL string literal ('' doubled): the tests' own constants only.
inline std::string sql_text(std::string const& value)
{
    std::string quoted = "'";
    for (char const c : value) {
        quoted += c;
        if (c == '\'')
            quoted += '\'';
    }
    return quoted + "'";
}

} // namespace dcagw::testing
