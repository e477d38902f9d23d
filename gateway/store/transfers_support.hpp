// store/transfers_support: helpers shared by the outbox and collection files, private to
// the store.
//
// Owns: running one state change as its own durable transaction, and checking that a
// guarded UPDATE changed exactly one row.
// Must never: be included outside gateway/store.
#pragma once

#include "gateway/store/ledger.hpp"
#include "gateway/store/sqlite_support.hpp"

#include <string>

namespace dcagw::store::detail {

// Runs `change` in a transaction of its own committed with synchronous = FULL
// (Ledger::begin), so the state it records is on disk before the caller acts on it; inside
// a caller's open transaction it simply runs there.
template<typename Change>
base::Result<void> durably(Ledger& ledger, Change&& change)
{
    if (ledger.in_transaction())
        return change();
    return ledger.transaction(change);
}

inline base::Result<void> expect_one_change(sqlite3* database, std::string_view operation, std::string_view otherwise)
{
    if (sqlite3_changes(database) != 1)
        return base::make_error(base::ErrorCode::StoreFailure, std::string(operation) + ": " + std::string(otherwise));
    return {};
}

} // namespace dcagw::store::detail
