// The subjects of disclosures and the per-subject index (migration 3). A placement run
// records a million subjects; a row each (and two index rows each) cost more than the
// placements themselves, so subjects are stored 256 to a row and index entries as sorted
// blocks of 512 under a chunk number that only grows (docs/audit.md, docs/performance.md).
#include "gateway/store/audit_log.hpp"

#include "gateway/base/text.hpp"

#include "gateway/store/audit_log_state.hpp"
#include "gateway/store/ledger_state.hpp"
#include "gateway/store/row_reader.hpp"

#include <algorithm>

namespace dcagw::store {

namespace {

// Index entries buffered before they are sorted and written as one chunk: 512 Ki of 24
// bytes (12 MiB); a million-case run writes four chunks.
constexpr std::size_t index_chunk_entries = 512 * 1024;
constexpr std::size_t index_entries_per_block = 512;
constexpr std::size_t index_entry_bytes = 24;

void append_i64(std::string& out, std::int64_t value)
{
    auto const bits = static_cast<std::uint64_t>(value);
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((bits >> shift) & 0xff));
}

std::int64_t read_i64(std::string_view bytes, std::size_t offset)
{
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < 8; ++i)
        bits = (bits << 8) | static_cast<unsigned char>(bytes[offset + i]);
    return static_cast<std::int64_t>(bits);
}

base::Result<std::int64_t> single_integer(sqlite3* database, char const* sql, std::int64_t parameter, std::string_view operation)
{
    auto statement = TRY(Statement::prepare(database, sql, operation));
    statement.bind(1, parameter);
    if (TRY(statement.step(operation)) != Step::Row)
        return make_error(ErrorCode::StoreFailure, std::string(operation) + ": no result");
    return statement.integer(0);
}

} // namespace

bool for_each_subject_in_block(std::string_view bytes, std::function<void(std::string_view, std::string_view, std::string_view)> const& visit)
{
    while (!bytes.empty()) {
        std::string_view account, person, pseudonym;
        if (!base::take_length_prefixed(bytes, account) || !base::take_length_prefixed(bytes, person) || !base::take_length_prefixed(bytes, pseudonym))
            return false;
        visit(account, person, pseudonym);
    }
    return true;
}

namespace {

base::Result<void> write_subject_block(AuditLog::State& state, std::int64_t list, PendingSubjectBlock& pending)
{
    if (pending.count == 0)
        return {};
    if (state.insert_subject_block.get() == nullptr) {
        state.insert_subject_block = TRY(Statement::prepare(state.database(),
            "INSERT INTO audit_subject_blocks (list, block, subject_count, subjects) VALUES (?1, ?2, ?3, ?4)", "preparing the audit subject blocks"));
    }
    auto& statement = state.insert_subject_block;
    ResetOnExit reset(statement);
    statement.bind(1, list);
    statement.bind(2, pending.block);
    statement.bind(3, pending.count);
    statement.bind_blob(4, pending.bytes);
    int const code = sqlite3_step(statement.get());
    if (code != SQLITE_DONE)
        return detail::sqlite_error(state.database(), code, "recording audit subjects of list " + std::to_string(list));
    ++pending.block;
    pending.count = 0;
    pending.bytes.clear();
    return {};
}

// Sorts the buffered index entries and writes them as blocks of a new chunk.
base::Result<void> write_index_chunk(AuditLog::State& state)
{
    auto& entries = state.pending_index;
    if (entries.empty())
        return {};
    std::string const operation = "indexing " + std::to_string(entries.size()) + " audit subject references";
    auto next = TRY(Statement::prepare(state.database(), "INSERT INTO audit_index_chunks (chunk) SELECT coalesce(max(chunk), 0) + 1 FROM audit_index_chunks",
        operation));
    TRY(next.run(operation));
    auto const chunk = static_cast<std::int64_t>(sqlite3_last_insert_rowid(state.database()));
    if (state.insert_index_block.get() == nullptr) {
        state.insert_index_block = TRY(Statement::prepare(state.database(),
            "INSERT INTO audit_index_blocks (chunk, last_key, block, first_key, entry_count, entries) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            "preparing the audit index blocks"));
    }
    std::sort(entries.begin(), entries.end());
    entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
    std::string blob;
    std::int64_t block = 0;
    for (std::size_t first = 0; first < entries.size(); first += index_entries_per_block, ++block) {
        auto const last = std::min(entries.size(), first + index_entries_per_block) - 1;
        blob.clear();
        for (std::size_t i = first; i <= last; ++i) {
            append_i64(blob, entries[i].key);
            append_i64(blob, entries[i].list);
            append_i64(blob, entries[i].ordinal);
        }
        auto& statement = state.insert_index_block;
        ResetOnExit reset(statement);
        statement.bind(1, chunk);
        statement.bind(2, entries[last].key);
        statement.bind(3, block);
        statement.bind(4, entries[first].key);
        statement.bind(5, static_cast<std::int64_t>(last - first + 1));
        statement.bind_blob(6, blob);
        int const code = sqlite3_step(statement.get());
        if (code != SQLITE_DONE)
            return detail::sqlite_error(state.database(), code, operation);
    }
    entries.clear();
    return {};
}

} // namespace

base::Result<void> AuditLog::add_subject(AuditSubjectRow const& subject, std::uint64_t account_key, std::uint64_t person_key)
{
    auto& state = *m_state;
    auto& pending = state.pending_blocks[subject.list];
    if (subject.ordinal != pending.next_ordinal)
        return make_error(ErrorCode::Internal, "audit subject " + std::to_string(subject.ordinal) + " of list " + std::to_string(subject.list)
            + ": the next is " + std::to_string(pending.next_ordinal));
    ++pending.next_ordinal;
    base::append_length_prefixed(pending.bytes, subject.account_ref);
    base::append_length_prefixed(pending.bytes, subject.person_ref);
    base::append_length_prefixed(pending.bytes, subject.pseudonym);
    if (++pending.count == audit_subjects_per_block)
        TRY(write_subject_block(state, subject.list, pending));
    state.pending_index.push_back({ static_cast<std::int64_t>(account_key), subject.list, subject.ordinal });
    if (person_key != account_key)
        state.pending_index.push_back({ static_cast<std::int64_t>(person_key), subject.list, subject.ordinal });
    if (state.pending_index.size() >= index_chunk_entries)
        return write_index_chunk(state);
    return {};
}

base::Result<void> AuditLog::flush_subject_index()
{
    auto& state = *m_state;
    for (auto& [list, pending] : state.pending_blocks)
        TRY(write_subject_block(state, list, pending));
    state.pending_blocks.clear();
    return write_index_chunk(state);
}

void AuditLog::discard_pending()
{
    m_state->pending_blocks.clear();
    m_state->pending_index.clear();
}

struct AuditSubjectCursor::State {
    Statement statement;
};

AuditSubjectCursor::AuditSubjectCursor(std::unique_ptr<State> state) : m_state(std::move(state)) {}
AuditSubjectCursor::~AuditSubjectCursor() = default;
AuditSubjectCursor::AuditSubjectCursor(AuditSubjectCursor&&) noexcept = default;

base::Result<bool> AuditSubjectCursor::next(AuditSubjectBlock& block)
{
    auto& statement = m_state->statement;
    if (TRY(statement.step("reading the audit subjects")) != Step::Row)
        return false;
    block = { statement.integer(0), statement.integer(1), statement.integer(2), statement.blob(3) };
    return true;
}

base::Result<AuditSubjectCursor> AuditLog::subject_cursor()
{
    auto state = std::make_unique<AuditSubjectCursor::State>();
    state->statement = TRY(Statement::prepare(m_state->database(),
        "SELECT list, block, subject_count, subjects FROM audit_subject_blocks ORDER BY list, block", "reading the audit subjects"));
    return AuditSubjectCursor(std::move(state));
}

base::Result<void> AuditLog::subjects_of_list(std::int64_t list, AuditSubjectVisitor const& visit)
{
    constexpr std::string_view operation = "reading the audit subjects of a list";
    auto statement = TRY(Statement::prepare(m_state->database(),
        "SELECT block, subjects FROM audit_subject_blocks WHERE list = ?1 ORDER BY block", operation));
    statement.bind(1, list);
    bool go_on = true;
    while (go_on && TRY(statement.step(operation)) == Step::Row) {
        auto ordinal = statement.integer(0) * audit_subjects_per_block;
        bool const parsed = for_each_subject_in_block(statement.blob(1), [&](std::string_view account, std::string_view person, std::string_view pseudonym) {
            if (go_on)
                go_on = visit({ list, ++ordinal, account, person, pseudonym });
        });
        if (!parsed)
            return make_error(ErrorCode::StoreCorrupt, std::string(operation) + ": a block of list " + std::to_string(list) + " does not parse");
    }
    return {};
}

base::Result<void> AuditLog::subjects_with_key(std::uint64_t key, AuditSubjectVisitor const& visit)
{
    constexpr std::string_view operation = "looking up a subject in the audit index";
    auto const wanted = static_cast<std::int64_t>(key);
    // One range seek per chunk: blocks are sorted by last_key within a chunk.
    auto blocks = TRY(Statement::prepare(m_state->database(),
        "SELECT b.entries FROM audit_index_chunks c JOIN audit_index_blocks b ON b.chunk = c.chunk AND b.last_key >= ?1 AND b.first_key <= ?1",
        operation));
    blocks.bind(1, wanted);
    std::vector<std::pair<std::int64_t, std::int64_t>> found;
    while (TRY(blocks.step(operation)) == Step::Row) {
        auto const entries = blocks.blob(0);
        for (std::size_t offset = 0; offset + index_entry_bytes <= entries.size(); offset += index_entry_bytes)
            if (read_i64(entries, offset) == wanted)
                found.emplace_back(read_i64(entries, offset + 8), read_i64(entries, offset + 16));
    }
    std::sort(found.begin(), found.end());
    auto subjects = TRY(Statement::prepare(m_state->database(), "SELECT subjects FROM audit_subject_blocks WHERE list = ?1 AND block = ?2", operation));
    for (auto const& list_and_ordinal : found) {
        // Plain variables, not a structured binding: the lambda below captures them, which
        // clang accepts for bindings only from version 16 (Debian 12 has 14).
        std::int64_t const list = list_and_ordinal.first;
        std::int64_t const ordinal = list_and_ordinal.second;
        ResetOnExit reset(subjects);
        subjects.bind(1, list);
        subjects.bind(2, (ordinal - 1) / audit_subjects_per_block);
        if (TRY(subjects.step(operation)) != Step::Row)
            continue; // purged
        auto position = ((ordinal - 1) / audit_subjects_per_block) * audit_subjects_per_block;
        bool go_on = true;
        for_each_subject_in_block(subjects.blob(0), [&](std::string_view account, std::string_view person, std::string_view pseudonym) {
            if (++position == ordinal && go_on)
                go_on = visit({ list, ordinal, account, person, pseudonym });
        });
        if (!go_on)
            break;
    }
    return {};
}

base::Result<std::int64_t> AuditLog::subject_count()
{
    return single_integer(m_state->database(), "SELECT coalesce(sum(subject_count), 0) + ?1 FROM audit_subject_blocks", 0, "counting audit subjects");
}

base::Result<std::int64_t> AuditLog::subject_index_count(std::int64_t above_list)
{
    constexpr std::string_view operation = "counting audit subject index entries";
    if (above_list <= 0)
        return single_integer(m_state->database(), "SELECT coalesce(sum(entry_count), 0) + ?1 FROM audit_index_blocks", 0, operation);
    auto statement = TRY(Statement::prepare(m_state->database(), "SELECT entries FROM audit_index_blocks", operation));
    std::int64_t count = 0;
    while (TRY(statement.step(operation)) == Step::Row) {
        auto const entries = statement.blob(0);
        for (std::size_t offset = 0; offset + index_entry_bytes <= entries.size(); offset += index_entry_bytes)
            count += read_i64(entries, offset + 8) > above_list ? 1 : 0;
    }
    return count;
}

base::Result<bool> AuditLog::for_each_subject_index_entry(std::function<void(std::int64_t, std::int64_t, std::int64_t)> const& visit)
{
    constexpr std::string_view operation = "reading the audit subject index";
    auto statement = TRY(Statement::prepare(m_state->database(), "SELECT entry_count, entries FROM audit_index_blocks", operation));
    bool well_formed = true;
    while (TRY(statement.step(operation)) == Step::Row) {
        auto const entries = statement.blob(1);
        well_formed = well_formed && entries.size() % index_entry_bytes == 0
            && static_cast<std::int64_t>(entries.size() / index_entry_bytes) == statement.integer(0);
        for (std::size_t offset = 0; offset + index_entry_bytes <= entries.size(); offset += index_entry_bytes)
            visit(read_i64(entries, offset), read_i64(entries, offset + 8), read_i64(entries, offset + 16));
    }
    return well_formed;
}

base::Result<std::int64_t> AuditLog::purge_subjects_through(std::int64_t last_list)
{
    std::string const operation = "purging audit subjects of lists up to " + std::to_string(last_list);
    auto scope = TRY(detail::WriteScope::enter(m_state->connection, operation));
    auto const deleted = TRY(single_integer(m_state->database(), "SELECT coalesce(sum(subject_count), 0) FROM audit_subject_blocks WHERE list <= ?1",
        last_list, operation));
    auto statement = TRY(Statement::prepare(m_state->database(), "DELETE FROM audit_subject_blocks WHERE list <= ?1", operation));
    statement.bind(1, last_list);
    TRY(statement.run(operation));
    TRY(scope.commit(operation));
    return deleted;
}

} // namespace dcagw::store
