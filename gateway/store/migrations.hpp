// store/migrations: the ledger's schema as numbered migrations.
//
// Owns: the schema history (PRAGMA user_version is the number of the last migration
// applied), applying each pending migration in its own transaction, and refusing a
// database that is newer than this build or that is not a dcagw ledger at all.
// Must never: change a migration once released (add a new one instead), or touch a
// database whose schema it does not recognise.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/store/sqlite_support.hpp"

#include <filesystem>

namespace dcagw::store::detail {

// PRAGMA application_id of a dcagw ledger ("dcag" in ASCII), so `file ledger.sqlite` and
// the gateway itself can tell it from any other SQLite file.
inline constexpr int ledger_application_id = 0x64636167;

// Checks the file is ours and not from the future, then applies pending migrations.
// Returns the schema version now in force. `state_directory` is the folder the ledger
// lives in (migration 4 makes the file paths it holds relative to it).
base::Result<int> migrate(Connection& connection, std::filesystem::path const& state_directory);

} // namespace dcagw::store::detail
