// LifecycleMessages: the messages owed to agencies and what each was told
// (docs/lifecycle.md, "What the ledger keeps").
#include "gateway/store/lifecycle.hpp"

#include "gateway/store/ledger_state.hpp"
#include "gateway/store/row_reader.hpp"

namespace dcagw::store {

namespace {

constexpr char const* insert_message =
    "INSERT INTO lifecycle_messages (agency, account_ref, placement, kind, reason, change_pence, until, force,"
    " transaction_ref, origin, run, actor, notice_received_at, recorded_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

// What each kind does to the told state of every open placement of the account there.
// ?1 the value, ?2 account_ref, ?3 agency.
constexpr char const* told_balance_update =
    "UPDATE placements SET told_change_pence = told_change_pence + ?1 WHERE account_ref = ?2 AND agency = ?3 AND status IN ('open', 'on_hold')";
constexpr char const* told_hold =
    "UPDATE placements SET told_hold = ?1 WHERE account_ref = ?2 AND agency = ?3 AND status IN ('open', 'on_hold')";
constexpr char const* told_recall =
    "UPDATE placements SET told_recall = ?1 WHERE account_ref = ?2 AND agency = ?3 AND status IN ('open', 'on_hold')";

constexpr char const* select_messages =
    "SELECT m.id, m.agency, m.account_ref, m.placement, m.kind, m.reason, m.change_pence, m.until, m.force, m.transaction_ref,"
    " m.origin, m.run, m.actor, m.notice_received_at, m.recorded_at, coalesce(m.batch, 0), coalesce(p.pseudonym, ''), coalesce(p.person_ref, '')"
    " FROM lifecycle_messages m LEFT JOIN placements p ON p.id = m.placement";

std::optional<MessageOrigin> origin_from_string(std::string_view text)
{
    if (text == "export")
        return MessageOrigin::Export;
    if (text == "operator")
        return MessageOrigin::Operator;
    return std::nullopt;
}

// A stored reason of '' is none; any other text must be a canonical reason.
base::Result<std::optional<model::ReturnReason>> stored_reason(std::string_view text, std::string_view row)
{
    if (text.empty())
        return std::optional<model::ReturnReason> {};
    if (auto reason = model::return_reason_from_string(text))
        return reason;
    return make_error(ErrorCode::StoreCorrupt, std::string(row) + ": column reason holds '" + detail::shown(text) + "', not a canonical return reason");
}

base::Result<OwedMessage> read_message(Statement const& statement)
{
    OwedMessage message;
    detail::Columns columns(statement);
    columns.read(message.id, message.agency, message.account_ref, message.placement);
    std::string const row = "lifecycle message " + std::to_string(message.id);
    TRY(columns.read_stored(message.kind, model::message_kind_from_string, row, "kind"));
    std::string reason;
    std::string until;
    columns.read(reason, message.change_pence, until, message.force, message.transaction_ref);
    message.reason = TRY(stored_reason(reason, row));
    if (!until.empty())
        message.until = std::move(until);
    TRY(columns.read_stored(message.origin, origin_from_string, row, "origin"));
    columns.read(message.run, message.actor, message.notice_received_at, message.recorded_at, message.batch, message.pseudonym, message.person_ref);
    return message;
}

base::Result<void> check_recordable(OwedMessage const& message, std::string_view operation)
{
    if (message.transaction_ref.empty())
        return make_error(ErrorCode::Internal, std::string(operation) + ": no transaction reference");
    if (message.kind == model::MessageKind::BalanceUpdate && message.change_pence == 0)
        return make_error(ErrorCode::Internal, std::string(operation) + ": a balance update of zero tells the agency nothing");
    if (message.kind != model::MessageKind::BalanceUpdate && message.change_pence != 0)
        return make_error(ErrorCode::Internal, std::string(operation) + ": only a balance update carries a change");
    if ((message.kind == model::MessageKind::Hold || message.kind == model::MessageKind::Release) && !message.reason)
        return make_error(ErrorCode::Internal, std::string(operation) + ": a hold or release names its reason");
    return {};
}

// The told-state statement and the value it sets for one message.
struct ToldMove {
    char const* sql;
    std::string text;
    std::int64_t number { 0 };
};

ToldMove told_move_of(OwedMessage const& message)
{
    std::string const reason = message.reason ? std::string(model::to_string(*message.reason)) : std::string("RCL");
    switch (message.kind) {
    case model::MessageKind::BalanceUpdate:
        return { told_balance_update, {}, message.change_pence };
    case model::MessageKind::Hold:
        return { told_hold, reason };
    case model::MessageKind::Release:
        return { told_hold, std::string() };
    case model::MessageKind::Recall:
    case model::MessageKind::Close:
        return { told_recall, reason };
    }
    return { told_recall, reason };
}

} // namespace

std::string_view to_string(MessageOrigin origin)
{
    return origin == MessageOrigin::Export ? "export" : "operator";
}

LifecycleMessages::LifecycleMessages(Ledger& ledger) : m_ledger(ledger) {}

base::Result<std::int64_t> LifecycleMessages::record(OwedMessage const& message)
{
    std::string const operation = "recording a " + std::string(model::to_string(message.kind)) + " for account " + message.account_ref + " at " + message.agency;
    TRY(check_recordable(message, operation));
    auto scope = TRY(detail::WriteScope::enter(m_ledger.m_state->connection, operation));
    auto* database = m_ledger.m_state->database();

    // The insert first: a reference given twice is the likely refusal, and nothing of
    // the message may be left applied to the told state when it is refused.
    auto insert = TRY(Statement::prepare(database, insert_message, operation));
    insert.bind(1, std::string_view(message.agency));
    insert.bind(2, std::string_view(message.account_ref));
    insert.bind(3, message.placement);
    insert.bind(4, model::to_string(message.kind));
    insert.bind(5, message.reason ? model::to_string(*message.reason) : std::string_view());
    insert.bind(6, message.change_pence);
    insert.bind(7, message.until ? std::string_view(*message.until) : std::string_view());
    insert.bind(8, std::int64_t { message.force ? 1 : 0 });
    insert.bind(9, std::string_view(message.transaction_ref));
    insert.bind(10, to_string(message.origin));
    insert.bind(11, message.run);
    insert.bind(12, std::string_view(message.actor));
    insert.bind(13, std::string_view(message.notice_received_at));
    insert.bind(14, detail::utc_now_text());
    TRY(insert.run(operation));
    auto const id = sqlite3_last_insert_rowid(database);
    auto const move = told_move_of(message);
    auto told = TRY(Statement::prepare(database, move.sql, operation));
    if (message.kind == model::MessageKind::BalanceUpdate)
        told.bind(1, move.number);
    else
        told.bind(1, std::string_view(move.text));
    told.bind(2, std::string_view(message.account_ref));
    told.bind(3, std::string_view(message.agency));
    TRY(told.run(operation));
    if (sqlite3_changes(database) == 0)
        return make_error(ErrorCode::Usage, operation + ": " + message.agency + " holds no open placement of this account");

    TRY(scope.commit(operation));
    return id;
}

base::Result<std::vector<OwedMessage>> LifecycleMessages::unwritten(std::string_view agency)
{
    std::string const operation = "reading the lifecycle messages owed to " + std::string(agency);
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
        (std::string(select_messages) + " WHERE m.agency = ?1 AND m.batch IS NULL ORDER BY m.id").c_str(), operation));
    statement.bind(1, agency);
    return detail::collect_rows(statement, operation, read_message);
}

base::Result<void> LifecycleMessages::assign_batch(std::vector<std::int64_t> const& ids, std::int64_t batch)
{
    std::string const operation = "marking lifecycle messages written into batch " + std::to_string(batch);
    auto scope = TRY(detail::WriteScope::enter(m_ledger.m_state->connection, operation));
    auto* database = m_ledger.m_state->database();
    auto update = TRY(Statement::prepare(database, "UPDATE lifecycle_messages SET batch = ?1 WHERE id = ?2 AND batch IS NULL", operation));
    for (auto const id : ids) {
        update.bind(1, batch);
        update.bind(2, id);
        TRY(update.run(operation));
        update.reset();
        // A message already in a file must never be written into a second one.
        if (sqlite3_changes(database) != 1)
            return make_error(ErrorCode::StoreFailure, operation + ": message " + std::to_string(id) + " is unknown or already written");
    }
    return scope.commit(operation);
}

base::Result<std::vector<OwedMessage>> LifecycleMessages::of_account(std::string_view account_ref)
{
    std::string const operation = "reading the lifecycle messages of account " + std::string(account_ref);
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
        (std::string(select_messages) + " WHERE m.account_ref = ?1 ORDER BY m.id").c_str(), operation));
    statement.bind(1, account_ref);
    return detail::collect_rows(statement, operation, read_message);
}

base::Result<std::vector<HoldRecord>> LifecycleMessages::holds(std::optional<std::string> const& agency)
{
    std::string const operation = "reading the holds sent";
    // The evidence of a hold is its file's: written (batch), delivered (the outbox's
    // delivered_at) and acknowledged (acknowledged_at, set by an acknowledgement return).
    std::string const sql = "SELECT m.id, m.agency, m.account_ref, m.placement, m.kind, m.reason, m.change_pence, m.until, m.force, m.transaction_ref,"
        " m.origin, m.run, m.actor, m.notice_received_at, m.recorded_at, coalesce(m.batch, 0), coalesce(p.pseudonym, ''), coalesce(p.person_ref, ''),"
        " coalesce(b.file_name, ''), coalesce(t.delivered_at, ''), coalesce(t.acknowledged_at, '')"
        " FROM lifecycle_messages m LEFT JOIN placements p ON p.id = m.placement"
        " LEFT JOIN batches b ON b.id = m.batch LEFT JOIN transfers t ON t.batch = m.batch"
        " WHERE m.kind = 'hold' AND (?1 IS NULL OR m.agency = ?1) ORDER BY m.id DESC";
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), sql.c_str(), operation));
    statement.bind_optional(1, agency);
    return detail::collect_rows(statement, operation, [](Statement const& row) -> base::Result<HoldRecord> {
        HoldRecord hold;
        hold.message = TRY(read_message(row));
        hold.file_name = std::string(row.text(18));
        hold.notified_at = std::string(row.text(19));
        hold.acknowledged_at = std::string(row.text(20));
        return hold;
    });
}

base::Result<std::int64_t> LifecycleMessages::next_message_number()
{
    std::string const operation = "numbering an operator's lifecycle message";
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), "SELECT coalesce(max(id), 0) + 1 FROM lifecycle_messages", operation));
    auto const number = TRY(detail::first_row(statement, operation, [](Statement const& row) { return row.integer(0); }));
    return number.value_or(1);
}

base::Result<std::map<std::int64_t, std::string>> LifecycleMessages::file_names_of_account(std::string_view account_ref)
{
    std::string const operation = "reading the files that carry the lifecycle messages of account " + std::string(account_ref);
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
        "SELECT m.id, b.file_name FROM lifecycle_messages m JOIN batches b ON b.id = m.batch WHERE m.account_ref = ?1", operation));
    statement.bind(1, account_ref);
    auto const rows = TRY(detail::collect_rows(statement, operation,
        [](Statement const& row) { return std::pair<std::int64_t, std::string>(row.integer(0), std::string(row.text(1))); }));
    return std::map<std::int64_t, std::string>(rows.begin(), rows.end());
}

} // namespace dcagw::store
