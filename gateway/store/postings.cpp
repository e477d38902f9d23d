// Postings: the posting files and which money each took (docs/postings.md).
#include "gateway/store/postings.hpp"

#include "gateway/store/ledger_state.hpp"
#include "gateway/store/row_reader.hpp"

namespace dcagw::store {

namespace {

using detail::Statement;
using detail::Step;

constexpr char const* select_file_columns =
    "SELECT id, agency, sequence, file_name, state, last_payment, last_refund, created_at, coalesce(published_at, ''), sha256, lines, total_pence"
    " FROM posting_files";

// Cleared money no published file took, up to the marks: payments of kind `payment` (a
// direct payment is already in the creditor's own books), and the refunds and
// chargebacks of such payments. Same-day lines: payments before refunds, then by row.
constexpr char const* select_unposted =
    "SELECT 'payments', m.id, m.kind, p.account_ref, m.gross_pence, m.payment_date, m.payment_id, m.payment_id"
    " FROM payments m JOIN placements p ON p.id = m.placement"
    " WHERE m.agency = ?1 AND m.id <= ?2 AND m.kind = 'payment'"
    " AND NOT EXISTS (SELECT 1 FROM posted_money x WHERE x.money_table = 'payments' AND x.money_row = m.id)"
    " UNION ALL"
    " SELECT 'refunds', r.id, r.kind, p.account_ref, -r.gross_pence, r.refund_date, r.refund_id, r.payment_id"
    " FROM refunds r JOIN placements p ON p.id = r.placement"
    " WHERE r.agency = ?1 AND r.id <= ?3"
    " AND EXISTS (SELECT 1 FROM payments o WHERE o.agency = r.agency AND o.payment_id = r.payment_id AND o.kind = 'payment')"
    " AND NOT EXISTS (SELECT 1 FROM posted_money x WHERE x.money_table = 'refunds' AND x.money_row = r.id)"
    " ORDER BY 6, 1, 2";

constexpr char const* select_posted =
    "SELECT 'payments', m.id, m.kind, p.account_ref, m.gross_pence, m.payment_date, m.payment_id, m.payment_id, x.line"
    " FROM posted_money x JOIN payments m ON x.money_table = 'payments' AND m.id = x.money_row JOIN placements p ON p.id = m.placement"
    " WHERE x.posting_file = ?1"
    " UNION ALL"
    " SELECT 'refunds', r.id, r.kind, p.account_ref, -r.gross_pence, r.refund_date, r.refund_id, r.payment_id, x.line"
    " FROM posted_money x JOIN refunds r ON x.money_table = 'refunds' AND r.id = x.money_row JOIN placements p ON p.id = r.placement"
    " WHERE x.posting_file = ?1 ORDER BY 9";

std::optional<PostingFileState> posting_state_from_string(std::string_view text)
{
    if (text == "pending")
        return PostingFileState::Pending;
    if (text == "published")
        return PostingFileState::Published;
    return std::nullopt;
}

base::Result<PostingFile> read_file(Statement const& statement)
{
    PostingFile file;
    detail::Columns columns(statement);
    columns.read(file.id, file.agency, file.sequence, file.file_name);
    TRY(columns.read_stored(file.state, posting_state_from_string, "posting file " + std::to_string(file.id), "state"));
    columns.read(file.last_payment, file.last_refund, file.created_at, file.published_at, file.sha256, file.lines, file.total_pence);
    return file;
}

PostingLine read_line(Statement const& statement)
{
    PostingLine line;
    std::string source;
    detail::Columns(statement).read(source, line.row, line.kind, line.account_ref, line.amount_pence, line.date, line.money_id, line.payment_id);
    line.source = source == "refunds" ? PostingSource::Refund : PostingSource::Payment;
    return line;
}

base::Result<std::int64_t> single_integer(sqlite3* database, char const* sql, std::string_view agency, std::string_view operation)
{
    auto statement = TRY(Statement::prepare(database, sql, operation));
    statement.bind(1, agency);
    TRY(statement.step(operation));
    return statement.integer(0);
}

} // namespace

std::string_view to_string(PostingFileState state)
{
    return state == PostingFileState::Pending ? "pending" : "published";
}

Postings::Postings(Ledger& ledger) : m_ledger(ledger) {}

base::Result<std::optional<PostingFile>> Postings::pending_file(std::string_view agency)
{
    std::string const operation = "looking up the pending posting file of " + std::string(agency);
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
        (std::string(select_file_columns) + " WHERE agency = ?1 AND state = 'pending'").c_str(), operation));
    statement.bind(1, agency);
    if (TRY(statement.step(operation)) != Step::Row)
        return std::optional<PostingFile> {};
    return std::optional<PostingFile>(TRY(read_file(statement)));
}

base::Result<std::optional<PostingFile>> Postings::claim_file(std::string_view agency, std::function<std::string(std::int64_t)> const& name_of)
{
    std::string const operation = "claiming the next posting file of " + std::string(agency);
    auto scope = TRY(detail::WriteScope::enter(m_ledger.m_state->connection, operation));
    if (TRY(pending_file(agency)))
        return make_error(ErrorCode::Internal, operation + ": a posting file is still pending (publish it first)");
    auto* database = m_ledger.m_state->database();
    PostingFile file;
    file.agency = std::string(agency);
    file.last_payment = TRY(single_integer(database, "SELECT coalesce(max(id), 0) FROM payments WHERE agency = ?1", agency, operation));
    file.last_refund = TRY(single_integer(database, "SELECT coalesce(max(id), 0) FROM refunds WHERE agency = ?1", agency, operation));
    file.sequence = 1 + TRY(single_integer(database, "SELECT coalesce(max(sequence), 0) FROM posting_files WHERE agency = ?1", agency, operation));
    if (TRY(lines_of(file)).empty())
        return std::optional<PostingFile> {};
    file.file_name = name_of(file.sequence);
    file.created_at = std::string(detail::utc_now_text());
    auto statement = TRY(Statement::prepare(database,
        "INSERT INTO posting_files (agency, sequence, file_name, state, last_payment, last_refund, created_at) VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6)",
        operation));
    statement.bind(1, agency);
    statement.bind(2, file.sequence);
    statement.bind(3, std::string_view(file.file_name));
    statement.bind(4, file.last_payment);
    statement.bind(5, file.last_refund);
    statement.bind(6, std::string_view(file.created_at));
    TRY(statement.run(operation));
    file.id = static_cast<std::int64_t>(sqlite3_last_insert_rowid(database));
    TRY(scope.commit(operation));
    return std::optional<PostingFile>(std::move(file));
}

base::Result<std::vector<PostingLine>> Postings::lines_of(PostingFile const& file)
{
    std::string const operation = "reading the lines of posting file " + std::to_string(file.sequence) + " of " + file.agency;
    bool const pending = file.state == PostingFileState::Pending;
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), pending ? select_unposted : select_posted, operation));
    if (pending) {
        statement.bind(1, std::string_view(file.agency));
        statement.bind(2, file.last_payment);
        statement.bind(3, file.last_refund);
    } else {
        statement.bind(1, file.id);
    }
    return detail::collect_rows(statement, operation, read_line);
}

base::Result<void> Postings::mark_published(PostingFile const& file, std::vector<PostingLine> const& lines, std::string_view sha256, std::int64_t total_pence)
{
    std::string const operation = "marking posting file " + file.file_name + " published";
    auto scope = TRY(detail::WriteScope::enter(m_ledger.m_state->connection, operation));
    auto* database = m_ledger.m_state->database();
    auto insert = TRY(Statement::prepare(database, "INSERT INTO posted_money (money_table, money_row, posting_file, line) VALUES (?1, ?2, ?3, ?4)", operation));
    std::int64_t number = 0;
    for (auto const& line : lines) {
        insert.bind(1, std::string_view(line.source == PostingSource::Refund ? "refunds" : "payments"));
        insert.bind(2, line.row);
        insert.bind(3, file.id);
        insert.bind(4, ++number);
        TRY(insert.run(operation));
        insert.reset();
    }
    // What the agency holds drops by its money the housing system now has (issue #15,
    // docs/lifecycle.md): kept on every placement of the account at the agency, so the
    // next export's comparison reads it in the same probe as the placement.
    auto posted = TRY(Statement::prepare(database,
        "UPDATE placements SET posted_pence = posted_pence + ?1, posted_at = ?2 WHERE account_ref = ?3 AND agency = ?4", operation));
    std::string const posted_at(detail::utc_now_text());
    for (auto const& line : lines) {
        posted.bind(1, line.amount_pence);
        posted.bind(2, std::string_view(posted_at));
        posted.bind(3, std::string_view(line.account_ref));
        posted.bind(4, std::string_view(file.agency));
        TRY(posted.run(operation));
        posted.reset();
    }
    auto update = TRY(Statement::prepare(database,
        "UPDATE posting_files SET state = 'published', published_at = ?2, sha256 = ?3, lines = ?4, total_pence = ?5 WHERE id = ?1 AND state = 'pending'",
        operation));
    update.bind(1, file.id);
    update.bind(2, detail::utc_now_text());
    update.bind(3, sha256);
    update.bind(4, number);
    update.bind(5, total_pence);
    TRY(update.run(operation));
    if (sqlite3_changes(database) != 1)
        return make_error(ErrorCode::StoreFailure, operation + ": it is not pending");
    return scope.commit(operation);
}

base::Result<std::vector<PostingFile>> Postings::list_files(std::optional<std::string> const& agency)
{
    constexpr std::string_view operation = "listing posting files";
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
        (std::string(select_file_columns) + " WHERE (?1 IS NULL OR agency = ?1) ORDER BY agency, sequence").c_str(), operation));
    statement.bind_optional(1, agency);
    std::vector<PostingFile> files;
    while (TRY(statement.step(operation)) == Step::Row)
        files.push_back(TRY(read_file(statement)));
    return files;
}

} // namespace dcagw::store
