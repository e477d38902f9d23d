// Opening the ledger, transactions and runs. Batches are in batches.cpp, placements and
// the other hot-path tables in placements.cpp, queries in queries.cpp.
#include "gateway/store/ledger.hpp"

#include "gateway/base/enum_names.hpp"
#include "gateway/base/file.hpp"
#include "gateway/store/ledger_state.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/row_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

namespace dcagw::store {

namespace {

// Up to 64 MiB of page cache (allocated as used): the hot upper levels of the placement
// indexes of a few million cases stay in memory during a run, and a large transaction
// spills fewer pages to the WAL before its commit.
constexpr char const* connection_pragmas = R"sql(
PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -65536;
PRAGMA temp_store = MEMORY;
)sql";

constexpr char const* small_page_cache_pragma = "PRAGMA cache_size = -16384;";

constexpr int busy_timeout_milliseconds = 10000;

// Creates the file with mode 0600 before SQLite opens it, so it is never readable by
// others even for a moment, and tightens an existing file that is. SQLite gives the -wal
// and -shm files the same mode as the database.
base::Result<void> prepare_private_file(std::filesystem::path const& path)
{
    int const descriptor = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (descriptor < 0)
        return make_error(ErrorCode::FileWriteFailed, path.string() + ": cannot open: " + std::strerror(errno));
    struct stat status {};
    int result = ::fstat(descriptor, &status);
    if (result == 0 && !S_ISREG(status.st_mode)) {
        ::close(descriptor);
        return make_error(ErrorCode::StoreFailure, path.string() + ": is not a regular file");
    }
    if (result == 0 && (status.st_mode & 0077) != 0)
        result = ::fchmod(descriptor, 0600);
    int const saved_errno = errno;
    ::close(descriptor);
    if (result != 0)
        return make_error(ErrorCode::FileWriteFailed, path.string() + ": cannot set mode 0600: " + std::strerror(saved_errno));
    return {};
}

base::Result<void> set_wal_mode(detail::Connection& connection)
{
    auto statement = TRY(Statement::prepare(connection.get(), "PRAGMA journal_mode = WAL", "switching the ledger to WAL mode"));
    if (TRY(statement.step("switching the ledger to WAL mode")) != Step::Row || statement.text(0) != "wal")
        return make_error(ErrorCode::StoreFailure, "switching the ledger to WAL mode: SQLite kept journal mode '" + std::string(statement.text(0)) + "'");
    return {};
}

// Hardening that costs nothing: no schema-embedded SQL functions with side effects, no
// writes to the schema table, no extension loading (Debian's SQLite allows it by API).
void harden(sqlite3* database)
{
    sqlite3_db_config(database, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(database, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(database, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_extended_result_codes(database, 1);
}

// SQLite's allocation statistics take a global mutex on every malloc and free, about a
// tenth of the hot path; nothing in the gateway reads them. The setting is process-wide
// and only possible before SQLite initialises, so it is made once and a refusal (another
// part of the process initialised SQLite first) is harmless.
void disable_memory_statistics()
{
    static std::once_flag once;
    std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// A read command's state must already be there: no folder, or a folder without the
// ledger file (a symbolic link does not count), is "no state".
base::Result<void> require_existing_ledger(std::filesystem::path const& state_directory, std::filesystem::path const& path)
{
    struct stat status {};
    if (::lstat(path.c_str(), &status) == 0)
        return {};
    if (errno != ENOENT && errno != ENOTDIR)
        return make_error(ErrorCode::StoreFailure, path.string() + ": " + std::strerror(errno));
    std::error_code ignored;
    bool const folder_exists = std::filesystem::is_directory(state_directory, ignored);
    return make_error(ErrorCode::StateMissing,
        "no state at " + state_directory.string() + (folder_exists ? " (the folder holds no ledger.sqlite)" : " (no such folder)"));
}

} // namespace

namespace {

constexpr base::EnumNames<BatchStatus, 4> batch_status_names { { {
    { BatchStatus::Writing, "writing" },
    { BatchStatus::Sealed, "sealed" },
    { BatchStatus::Spooled, "spooled" },
    { BatchStatus::Abandoned, "abandoned" },
} } };

RunRecord read_run(Statement const& statement)
{
    RunRecord record;
    detail::Columns(statement).read(record.id, record.command, record.input_file, record.as_of, record.started_at, record.finished_at,
        record.status, record.summary_json);
    return record;
}

} // namespace

std::string_view to_string(BatchStatus status) { return batch_status_names.name(status); }
std::optional<BatchStatus> batch_status_from_string(std::string_view text) { return batch_status_names.parse(text); }

Ledger::Ledger(std::unique_ptr<State> state) : m_state(std::move(state)) {}

Ledger::~Ledger() = default;

base::Result<std::unique_ptr<Ledger>> Ledger::open(std::filesystem::path const& state_directory, OpenMode mode)
{
    disable_memory_statistics();
    auto const path = state_directory / "ledger.sqlite";
    auto const where = "opening ledger " + path.string();
    if (mode == OpenMode::MustExist)
        TRY(require_existing_ledger(state_directory, path));
    TRY_CONTEXT(base::ensure_private_directory(state_directory), where);
    TRY_CONTEXT(prepare_private_file(path), where);

    auto state = std::make_unique<State>();
    state->path = path;
    sqlite3* handle = nullptr;
    int const flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
    int const code = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
    state->connection = detail::Connection(handle);
    if (code != SQLITE_OK)
        return detail::sqlite_error(handle, code, where);
    harden(handle);
    sqlite3_busy_timeout(handle, busy_timeout_milliseconds);

    state->schema_version = TRY_CONTEXT(detail::migrate(state->connection, state_directory), where);
    TRY_CONTEXT(set_wal_mode(state->connection), where);
    TRY_CONTEXT(state->connection.execute_constant(connection_pragmas, "setting connection options"), where);

    state->select_placements_of = TRY_CONTEXT(Statement::prepare(handle,
        "SELECT agency, person_ref, id, balance_pence, told_change_pence, told_hold, told_recall, posted_pence, posted_at,"
        " status IN ('open', 'on_hold') FROM placements WHERE account_ref = ?1", "preparing placements_of"), where);
    state->insert_placement = TRY_CONTEXT(Statement::prepare(handle,
        "INSERT INTO placements (run, batch, agency, account_ref, person_ref, pseudonym, debt_type, balance_pence, field_set, placed_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", "preparing add_placement"), where);
    state->insert_exclusion = TRY_CONTEXT(Statement::prepare(handle,
        "INSERT INTO exclusions (run, agency, account_ref, person_ref, reason) VALUES (?1, ?2, ?3, ?4, ?5)", "preparing add_exclusion"), where);
    state->insert_quarantine = TRY_CONTEXT(Statement::prepare(handle,
        "INSERT INTO quarantine (run, file, line, account_ref, person_ref, field, reason, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        "preparing add_quarantine"), where);
    return std::unique_ptr<Ledger>(new Ledger(std::move(state)));
}

int Ledger::schema_version() const
{
    return m_state->schema_version;
}

std::filesystem::path const& Ledger::path() const
{
    return m_state->path;
}

base::Result<void> Ledger::use_small_page_cache()
{
    return m_state->connection.execute_constant(small_page_cache_pragma, "shrinking the page cache of a look-up connection");
}

bool Ledger::in_transaction() const
{
    return sqlite3_get_autocommit(m_state->database()) == 0;
}

base::Result<void> Ledger::begin()
{
    if (in_transaction())
        return make_error(ErrorCode::Internal, "starting a ledger transaction: one is already open (transactions do not nest)");
    // An explicit transaction is the one whose commit must be on disk before a file is
    // published (docs/ledger.md): it commits with synchronous = FULL, one WAL fsync per
    // transaction. SQLite only lets the level change outside a transaction.
    TRY(m_state->connection.execute_constant("PRAGMA synchronous = FULL", "making the ledger transaction durable"));
    auto begun = m_state->connection.execute_constant("BEGIN IMMEDIATE", "starting a ledger transaction");
    if (begun.is_error())
        (void)m_state->connection.execute_constant("PRAGMA synchronous = NORMAL", "restoring the ledger's sync level");
    return begun;
}

base::Result<void> Ledger::commit()
{
    if (!in_transaction())
        return make_error(ErrorCode::Internal, "committing the ledger transaction: none is open");
    TRY(m_state->connection.execute_constant("COMMIT", "committing the ledger transaction"));
    return m_state->connection.execute_constant("PRAGMA synchronous = NORMAL", "restoring the ledger's sync level");
}

base::Result<void> Ledger::rollback()
{
    // Sequence numbers handed out inside the transaction are forgotten with it.
    m_state->reservations.clear();
    if (m_state->audit)
        m_state->audit->discard_pending();
    if (in_transaction())
        TRY(m_state->connection.execute_constant("ROLLBACK", "rolling back the ledger transaction"));
    // A matching index that read placements inside the transaction just rolled back holds
    // ids above every committed placement (a rolled-back insert took max(id) + 1, and the
    // write lock kept others from committing meanwhile). SQLite hands those ids out again,
    // so such an index is dropped and loaded afresh at its next refresh.
    if (!m_state->match_indexes.empty()) {
        constexpr std::string_view operation = "checking the matching indexes after a rollback";
        auto highest = TRY(Statement::prepare(m_state->database(), "SELECT coalesce(max(id), 0) FROM placements", operation));
        TRY(highest.step(operation));
        auto const newest = highest.integer(0);
        std::erase_if(m_state->match_indexes, [&](auto const& entry) { return entry.second.mark() > newest; });
    }
    return m_state->connection.execute_constant("PRAGMA synchronous = NORMAL", "restoring the ledger's sync level");
}

base::Result<std::int64_t> Ledger::begin_run(std::string_view command, std::string_view input_file, std::string_view as_of)
{
    constexpr std::string_view operation = "recording the start of a run";
    auto statement = TRY(Statement::prepare(m_state->database(),
        "INSERT INTO runs (command, input_file, as_of, started_at, status) VALUES (?1, ?2, ?3, ?4, 'running')", operation));
    statement.bind(1, command);
    statement.bind(2, input_file);
    statement.bind(3, as_of);
    statement.bind(4, detail::utc_now_text());
    TRY(statement.run(operation));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_state->database()));
}

base::Result<void> Ledger::finish_run(std::int64_t run, std::string_view status, std::string_view summary_json)
{
    std::string const operation = "recording the end of run " + std::to_string(run);
    auto statement = TRY(Statement::prepare(m_state->database(),
        "UPDATE runs SET finished_at = ?2, status = ?3, summary_json = ?4 WHERE id = ?1", operation));
    statement.bind(1, run);
    statement.bind(2, detail::utc_now_text());
    statement.bind(3, status);
    statement.bind(4, summary_json);
    TRY(statement.run(operation));
    if (sqlite3_changes(m_state->database()) == 0)
        return make_error(ErrorCode::NotFound, operation + ": no such run");
    return {};
}

base::Result<std::vector<RunRecord>> Ledger::list_runs()
{
    constexpr std::string_view operation = "listing runs";
    auto statement = TRY(Statement::prepare(m_state->database(),
        "SELECT id, command, input_file, as_of, started_at, coalesce(finished_at, ''), status, coalesce(summary_json, '') FROM runs ORDER BY id",
        operation));
    return detail::collect_rows(statement, operation, read_run);
}

namespace detail {

base::Result<WriteScope> WriteScope::enter(Connection& connection, std::string_view operation)
{
    if (sqlite3_get_autocommit(connection.get()) == 0)
        return WriteScope(nullptr);
    TRY_CONTEXT(connection.execute_constant("BEGIN IMMEDIATE", "starting a transaction"), operation);
    return WriteScope(&connection);
}

WriteScope::WriteScope(WriteScope&& other) noexcept : m_connection(std::exchange(other.m_connection, nullptr)) {}

WriteScope::~WriteScope()
{
    if (m_connection != nullptr)
        (void)m_connection->execute_constant("ROLLBACK", "rolling back");
}

base::Result<void> WriteScope::commit(std::string_view operation)
{
    if (m_connection == nullptr)
        return {};
    auto committed = m_connection->execute_constant("COMMIT", "committing");
    if (committed.is_error())
        return committed.release_error().with_context(operation); // the destructor rolls back
    m_connection = nullptr;
    return {};
}

} // namespace detail

} // namespace dcagw::store
