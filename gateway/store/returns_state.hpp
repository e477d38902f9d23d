// store/returns_state: the private state of store::Returns, shared by the files that
// implement it (returns.cpp, payments.cpp, suspense.cpp).
//
// Owns: the statements a file's lines run once each, prepared on first use and kept for
// the object's life; the conversion of text columns to and from MoneySplit.
// Must never: be included outside gateway/store.
#pragma once

#include "gateway/store/ledger_state.hpp"
#include "gateway/store/returns.hpp"

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dcagw::store {

// The statements prepared once per Returns object; the slot is the index.
enum class ReturnsStatement : std::size_t {
    IndexLookup,
    IndexScan,
    FindPayment,
    FindRefund,
    InsertPayment,
    InsertRefund,
    UpdatePlacement,
    InsertEvent,
    InsertSuspense,
    InsertQuarantine,
    FindSuspensePayment,
    PlacementNumber,
    PlacementMoney,
    ReversedAgainst,
    CountDuplicatePayment,
    CountDuplicateRefund,
    Count
};

struct Returns::State {
    sqlite3* database { nullptr };
    detail::Connection* connection { nullptr };
    std::unordered_map<std::string, MatchIndex>* match_indexes { nullptr };  // the Ledger's
    std::vector<std::int64_t> candidate_ids;                                 // reused per look-up
    std::array<std::optional<detail::Statement>, static_cast<std::size_t>(ReturnsStatement::Count)> statements;

    // The statement of this slot, prepared from `sql` on first use; reset after use by
    // the caller (detail::ResetOnExit).
    base::Result<detail::Statement*> cached(ReturnsStatement slot, char const* sql, std::string_view operation)
    {
        auto& entry = statements[static_cast<std::size_t>(slot)];
        if (!entry)
            entry = TRY(detail::Statement::prepare(database, sql, operation));
        return &*entry;
    }
};

namespace detail {

// Reads four integer columns from `first` on as gross, commission, VAT and net.
inline model::MoneySplit read_split(Statement const& statement, int first)
{
    return model::MoneySplit { statement.integer(first), statement.integer(first + 1), statement.integer(first + 2), statement.integer(first + 3) };
}

// The columns of one return_events row (aliased `e`), in the order read_event reads them.
inline constexpr char const* return_event_columns =
    "e.id, e.placement, e.agency, e.from_state, e.to_state, e.reason, e.agency_code, e.event_date, e.file, e.line, e.recorded_at";
inline constexpr int return_event_column_count = 11;

// Reads the return_event_columns of the current row (the account_ref is not among them).
inline ReturnEvent read_event(Statement const& statement)
{
    return ReturnEvent { statement.integer(0), statement.integer(1), std::string(statement.text(2)), std::string(statement.text(3)),
        std::string(statement.text(4)), std::string(statement.text(5)), std::string(statement.text(6)), std::string(statement.text(7)),
        statement.integer(8), statement.integer(9), std::string(statement.text(10)), {} };
}

// Binds gross, commission, VAT and net to four parameters from `first` on.
inline void bind_split(Statement& statement, int first, model::MoneySplit const& split)
{
    statement.bind(first, split.gross_pence);
    statement.bind(first + 1, split.commission_pence);
    statement.bind(first + 2, split.vat_pence);
    statement.bind(first + 3, split.net_pence);
}

} // namespace detail

} // namespace dcagw::store
