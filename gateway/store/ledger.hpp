// store/ledger: the gateway's state in SQLite: runs, output files (batches), placements,
// exclusions and quarantined rows.
//
// Owns: the database file (<state>/ledger.sqlite) in WAL mode, its schema and numbered
// migrations, every SQL statement (prepared once, parameters bound, never built from
// strings), and transactions.
// Must never: hold case data beyond what the ledger's purpose needs (references, the
// pseudonym, balance at placement, the field names shared: never names or addresses),
// or let SQLite types escape this module.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/exclusion.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace dcagw::store {

// An output file's life in the state directory. The pipeline moves a batch
// writing -> sealed (its placements committed) -> spooled (file renamed into the spool);
// a crash leaves `writing` (nothing placed: discard the temp file) or `sealed` (finish
// the rename). Delivery of a spooled file is tracked in the outbox (store/transfers.hpp).
enum class BatchStatus { Writing, Sealed, Spooled, Abandoned };
std::string_view to_string(BatchStatus status);
std::optional<BatchStatus> batch_status_from_string(std::string_view text);

// The newest schema this build knows; a database with a newer one is refused.
inline constexpr int ledger_schema_version = 11;

struct Batch {
    std::int64_t id { 0 };
    std::int64_t run { 0 };
    std::string agency;
    std::string file_name;       // final name, e.g. 20261123-placement-1.csv.age
    std::string temporary_path;  // where it is written before the rename
    std::string final_path;
    BatchStatus status { BatchStatus::Writing };
    std::int64_t record_count { 0 };
    std::int64_t size_bytes { 0 };
    std::string sha256;          // of the spooled (ciphertext) file
    // The date the file was created for (YYYYMMDD) and its sequence number that day.
    // When create_batch receives them empty/zero it takes the last number next_sequence
    // handed out for this agency, so a caller that asks next_sequence and then creates
    // the file's batches (one per envelope) need not repeat them.
    std::string file_date;
    std::int64_t sequence { 0 };
    std::string created_at;      // UTC, ISO 8601 (filled in by the ledger)
    std::string updated_at;
};

struct PlacementRow {
    std::int64_t run { 0 };
    std::int64_t batch { 0 };
    std::string_view agency;
    std::string_view account_ref;
    std::string_view person_ref;
    std::string_view pseudonym;
    std::string_view debt_type;
    std::int64_t balance_pence { 0 };
    std::int64_t field_set { 0 };  // from intern_field_set
};

struct Placement {
    std::int64_t id { 0 };
    std::int64_t run { 0 };
    std::string account_ref;
    std::string person_ref;
    std::string agency;
    std::string pseudonym;
    std::string debt_type;
    std::int64_t balance_pence { 0 };
    std::string status;            // open | closed | recalled | returned
    std::vector<std::string> fields;
    std::string file;
    std::string placed_at;         // UTC, ISO 8601
};

struct PlacementFilter {
    std::optional<std::string> agency;
    std::optional<std::string> status;
    std::optional<std::string> reference;  // account_ref or person_ref
    std::optional<std::string> pseudonym;  // e.g. every person of one account an agency reports on
};

// What the ledger knows about a case before placing it: open placements of the same
// account (the debt), with whom, and whether this very person is among them.
struct OpenPlacement {
    std::string agency;
    std::string person_ref;
    std::int64_t id { 0 };  // the placement's row id: lower is older
    // What the agency was told (issue #15, docs/lifecycle.md "What the ledger keeps"),
    // read in the same probe so comparing an export with the ledger costs no extra look-up.
    std::int64_t balance_pence { 0 };       // at placement
    std::int64_t told_change_pence { 0 };   // the balance updates sent since
    std::string told_hold {};               // canonical reason of the hold in force, or empty
    std::string told_recall {};             // a recall asked for and not yet confirmed, or empty
    std::int64_t posted_pence { 0 };        // the agency's money posted to the housing system
    std::string posted_at {};               // when the last of it was posted, or empty
};

// A placement of the account that ended (closed, returned, recalled or rejected): the
// agency is not sent the debt again by a later run (docs/eligibility.md
// "previously_placed"), and the ledger's UNIQUE(account, person, agency) would refuse it.
struct EndedPlacement {
    std::string agency;
    std::string person_ref;
};

// Everything a placement run needs to know about one account, from one probe.
struct AccountPlacements {
    std::vector<OpenPlacement> open;     // oldest first
    std::vector<EndedPlacement> ended;
    void clear()
    {
        open.clear();
        ended.clear();
    }
};

struct QuarantineEntry {
    std::int64_t run { 0 };
    model::Rejection row;          // file, line, references, field and the reason
    std::string recorded_at;
};

struct ExclusionCount {
    std::string agency;
    std::string reason;
    std::int64_t count { 0 };
};

struct RunRecord {
    std::int64_t id { 0 };
    std::string command;
    std::string input_file;
    std::string as_of;
    std::string started_at;
    std::string finished_at;
    std::string status;            // running | succeeded | partial | failed
    std::string summary_json;
};

class AuditLog; // store/audit_log.hpp

// What open() does when the state directory holds no ledger yet. Only commands that
// change state create it; a read command pointed at a wrong state_directory must refuse
// (StateMissing, "no state at PATH") instead of reporting on a new, empty store.
enum class OpenMode { Create, MustExist };

class Ledger {
public:
    // Opens <state_directory>/ledger.sqlite (with Create: making the folder and the file
    // when missing) and applies migrations.
    static base::Result<std::unique_ptr<Ledger>> open(std::filesystem::path const& state_directory, OpenMode mode);
    ~Ledger();
    Ledger(Ledger const&) = delete;
    Ledger& operator=(Ledger const&) = delete;

    int schema_version() const;
    std::filesystem::path const& path() const;
    // Shrinks this connection's page cache from 64 MiB to 16 MiB: a connection that only
    // looks single rows up by index (place's look-ups of earlier runs' placements) keeps
    // the upper index levels warm in far less, and its memory would otherwise fill
    // beside the writer's for a large ledger (docs/performance.md, "Lifecycle comparison").
    base::Result<void> use_small_page_cache();
    // True between begin() and commit()/rollback().
    bool in_transaction() const;

    // Transactions. Every write below happens inside the caller's transaction when one is
    // open, and in its own otherwise.
    // begin() takes the write lock at once (BEGIN IMMEDIATE) so a second gateway process
    // waits for it rather than failing half-way through a run. Its commit is durable
    // (synchronous = FULL for that commit; docs/ledger.md says why). rollback() with no
    // open transaction does nothing, which keeps error paths simple.
    base::Result<void> begin();
    base::Result<void> commit();
    base::Result<void> rollback();
    // Runs `change` (returning a base::Result) in a transaction of its own: committed
    // (durably, as commit() is) when it succeeds, rolled back when it fails. What it
    // writes commits together or not at all; its result is returned either way.
    template<typename Change>
    std::invoke_result_t<Change&> transaction(Change&& change)
    {
        TRY(begin());
        auto result = change();
        if (result.is_error()) {
            (void)rollback();
            return result;
        }
        TRY(commit());
        return result;
    }

    // Runs.
    base::Result<std::int64_t> begin_run(std::string_view command, std::string_view input_file, std::string_view as_of);
    base::Result<void> finish_run(std::int64_t run, std::string_view status, std::string_view summary_json);
    base::Result<std::vector<RunRecord>> list_runs();

    // Batches.
    base::Result<std::int64_t> next_sequence(std::string_view agency, std::string_view date_yyyymmdd);
    // Whether a file of the agency that exists or will exist (any batch not abandoned)
    // already has this name: message files whose pattern has no {sequence} are named apart.
    base::Result<bool> file_name_in_use(std::string_view agency, std::string_view file_name);
    base::Result<std::int64_t> create_batch(Batch const& batch);
    // Refuses to move a batch backwards (see docs/ledger.md for the state machine).
    base::Result<void> update_batch(std::int64_t id, BatchStatus status, std::int64_t record_count, std::int64_t size_bytes, std::string_view sha256);
    base::Result<std::vector<Batch>> batches_with_status(BatchStatus status);
    base::Result<std::optional<Batch>> find_batch(std::int64_t id);

    // Placements, exclusions, quarantine (hot path: prepared once, reused).
    base::Result<std::int64_t> intern_field_set(std::vector<std::string> const& fields);
    // Replaces out's contents with the open placements of the account, oldest first (the
    // vector is an out-parameter so its capacity is reused across a million calls).
    base::Result<void> open_placements_of(std::string_view account_ref, std::vector<OpenPlacement>& out);
    // The account's open and ended placements in one probe (the placement run's look-up).
    base::Result<void> placements_of(std::string_view account_ref, AccountPlacements& out);
    // Whether any placement exists at all: a run against an empty ledger can skip the
    // per-case look-up.
    base::Result<bool> has_placements();
    // How many accounts have an open placement at some agency (the vanished-debt guard).
    base::Result<std::int64_t> count_open_accounts();
    base::Result<void> add_placement(PlacementRow const& row);
    // Moves one placement to open | closed | recalled | returned (returns processing).
    base::Result<void> set_placement_status(std::string_view agency, std::string_view account_ref, std::string_view person_ref, std::string_view status);
    base::Result<void> add_exclusion(std::int64_t run, std::string_view agency, std::string_view account_ref, std::string_view person_ref, model::ExclusionReason reason);
    base::Result<void> add_quarantine(std::int64_t run, model::Rejection const& rejection);

    // Queries (streamed: memory does not grow with the ledger).
    base::Result<void> for_each_placement(PlacementFilter const& filter, std::function<void(Placement const&)> const& visit);
    base::Result<void> for_each_quarantine(std::optional<std::int64_t> run, std::function<void(QuarantineEntry const&)> const& visit);
    base::Result<std::vector<ExclusionCount>> exclusion_counts(std::int64_t run);
    // The oldest placement with this pseudonym at this agency. Joint debtors of one account
    // share a pseudonym: use for_each_placement with a pseudonym filter to see them all.
    base::Result<std::optional<Placement>> find_by_pseudonym(std::string_view agency, std::string_view pseudonym);

    // The audit log's tables, on this ledger's connection and inside its transactions.
    AuditLog& audit();

private:
    friend class Transfers;  // the outbox (store/transfers.hpp) shares this connection
    friend class Returns;    // the returns ledger (store/returns.hpp) too
    friend class Postings;   // and the posting files (store/postings.hpp)
    friend class LifecycleMessages; // and the lifecycle messages (store/lifecycle.hpp)
    struct State;
    explicit Ledger(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace dcagw::store
