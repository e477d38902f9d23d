// store/ledger_state: the Ledger's private state, shared by the files that implement it.
//
// Owns: the connection, the hot-path statements prepared once at open, and the sequence
// numbers next_sequence handed out and create_batch has not yet used, and each agency's
// in-memory matching index (store/match_index.hpp), kept for the Ledger's life.
// Must never: be included outside gateway/store.
#pragma once

#include "gateway/store/audit_log.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/match_index.hpp"
#include "gateway/store/sqlite_support.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

namespace dcagw::store {

struct SequenceReservation {
    std::string file_date;
    std::int64_t sequence { 0 };
};

struct Ledger::State {
    std::filesystem::path path;
    detail::Connection connection;
    int schema_version { 0 };

    // Hot path: prepared once, reset and unbound after every use.
    detail::Statement select_placements_of;
    detail::Statement insert_placement;
    detail::Statement insert_exclusion;
    detail::Statement insert_quarantine;

    std::unordered_map<std::string, SequenceReservation> reservations;

    // Each agency's matching index, loaded at its first refresh and kept for the Ledger's
    // life (store::Returns, docs/returns-ledger.md "Matching").
    std::unordered_map<std::string, MatchIndex> match_indexes;

    // Made on first use (Ledger::audit()).
    std::unique_ptr<AuditLog> audit;

    sqlite3* database() const { return connection.get(); }
};

namespace detail {

// Runs a write in its own transaction when the caller has none open, so a multi-statement
// write is atomic either way. Rolls back on destruction unless committed.
class WriteScope {
public:
    static base::Result<WriteScope> enter(Connection& connection, std::string_view operation);
    WriteScope(WriteScope&& other) noexcept;
    WriteScope& operator=(WriteScope&&) = delete;
    ~WriteScope();
    base::Result<void> commit(std::string_view operation);

private:
    explicit WriteScope(Connection* owned) : m_connection(owned) {}
    Connection* m_connection { nullptr }; // null when the caller's transaction is used
};

} // namespace detail

} // namespace dcagw::store
