// The outbox: transfers and their state machine (docs/ledger.md). Collected files are in
// collected.cpp.
#include "gateway/store/transfers.hpp"

#include "gateway/base/enum_names.hpp"
#include "gateway/store/ledger_state.hpp"
#include "gateway/store/row_reader.hpp"
#include "gateway/store/transfers_support.hpp"

namespace dcagw::store {

namespace {

// Every query reads the columns in the order read_transfer expects.
#define DCAGW_TRANSFER_SELECT                                                                                           \
    "SELECT id, batch, agency, file_name, local_path, size_bytes, sha256, status, attempts, coalesce(remote_name, ''),"  \
    " coalesce(remote_size, 0), coalesce(delivered_at, ''), coalesce(failure_reason, ''), coalesce(last_error, ''),"    \
    " permanent, coalesce(acknowledgement_file, ''), coalesce(acknowledged_at, ''), queued_at,"                         \
    " coalesce(last_attempt_at, ''), updated_at, rename_reached_at IS NOT NULL FROM transfers "
constexpr char const* select_pending = DCAGW_TRANSFER_SELECT
    "WHERE agency = ?1 AND (status IN ('queued', 'sending') OR (status = 'failed' AND permanent = 0)) ORDER BY id";
constexpr char const* select_by_id = DCAGW_TRANSFER_SELECT "WHERE id = ?1";
constexpr char const* select_all = DCAGW_TRANSFER_SELECT "WHERE ?1 IS NULL OR agency = ?1 ORDER BY id";
constexpr char const* select_delivered_by_name = DCAGW_TRANSFER_SELECT
    "WHERE agency = ?1 AND remote_name = ?2 AND status = 'delivered' ORDER BY id LIMIT 1";
#undef DCAGW_TRANSFER_SELECT

constexpr base::EnumNames<TransferStatus, 4> transfer_status_names { { {
    { TransferStatus::Queued, "queued" },
    { TransferStatus::Sending, "sending" },
    { TransferStatus::Delivered, "delivered" },
    { TransferStatus::Failed, "failed" },
} } };

base::Result<Transfer> read_transfer(Statement const& statement)
{
    Transfer transfer;
    detail::Columns columns(statement);
    columns.read(transfer.id, transfer.batch, transfer.agency, transfer.file_name, transfer.local_path, transfer.size_bytes, transfer.sha256);
    TRY(columns.read_stored(transfer.status, transfer_status_from_string, "transfer " + std::to_string(transfer.id), "status"));
    columns.read(transfer.attempts, transfer.remote_name, transfer.remote_size, transfer.delivered_at, transfer.failure_reason,
        transfer.last_error, transfer.permanent, transfer.acknowledgement_file, transfer.acknowledged_at, transfer.queued_at,
        transfer.last_attempt_at, transfer.updated_at, transfer.rename_reached);
    return transfer;
}

} // namespace

std::string_view to_string(TransferStatus status) { return transfer_status_names.name(status); }
std::optional<TransferStatus> transfer_status_from_string(std::string_view text) { return transfer_status_names.parse(text); }

base::Result<std::int64_t> Transfers::enqueue_spooled(std::string_view agency)
{
    std::string const operation = "queueing spooled files of agency " + std::string(agency);
    std::int64_t queued = 0;
    auto const done = detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "INSERT INTO transfers (batch, agency, file_name, local_path, size_bytes, sha256, status, queued_at, updated_at)"
            " SELECT b.id, b.agency, b.file_name, b.final_path, b.size_bytes, b.sha256, 'queued', ?2, ?2 FROM batches AS b"
            " WHERE b.agency = ?1 AND b.status = 'spooled' AND NOT EXISTS (SELECT 1 FROM transfers AS t WHERE t.batch = b.id)"
            " ORDER BY b.id",
            operation));
        statement.bind(1, agency);
        statement.bind(2, detail::utc_now_text());
        TRY(statement.run(operation));
        queued = sqlite3_changes(m_ledger.m_state->database());
        return {};
    });
    if (done.is_error())
        return done.error();
    return queued;
}

base::Result<std::vector<Transfer>> Transfers::pending(std::string_view agency)
{
    std::string const operation = "listing pending transfers of agency " + std::string(agency);
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), select_pending, operation));
    statement.bind(1, agency);
    return detail::collect_rows(statement, operation, read_transfer);
}

base::Result<std::optional<Transfer>> Transfers::find(std::int64_t id)
{
    std::string const operation = "reading transfer " + std::to_string(id);
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), select_by_id, operation));
    statement.bind(1, id);
    return detail::first_row(statement, operation, read_transfer);
}

base::Result<std::vector<Transfer>> Transfers::list(std::optional<std::string> const& agency)
{
    constexpr std::string_view operation = "listing transfers";
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), select_all, operation));
    statement.bind_optional(1, agency);
    return detail::collect_rows(statement, operation, read_transfer);
}

base::Result<std::optional<Transfer>> Transfers::find_delivered(std::string_view agency, std::string_view remote_name)
{
    std::string const operation = "finding the delivery of " + std::string(remote_name) + " to agency " + std::string(agency);
    auto statement = TRY(Statement::prepare(m_ledger.m_state->database(), select_delivered_by_name, operation));
    statement.bind(1, agency);
    statement.bind(2, remote_name);
    return detail::first_row(statement, operation, read_transfer);
}

// Each transition is one UPDATE guarded by the states it may leave, so a transfer can
// never move backwards (a delivered file is never sent again) and the check and the
// change are one atomic statement.
base::Result<void> Transfers::mark_sending(std::int64_t id)
{
    std::string const operation = "marking transfer " + std::to_string(id) + " sending";
    return detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "UPDATE transfers SET status = 'sending', attempts = attempts + 1, last_attempt_at = ?2, updated_at = ?2, rename_reached_at = NULL"
            " WHERE id = ?1 AND (status IN ('queued', 'sending') OR (status = 'failed' AND permanent = 0))",
            operation));
        statement.bind(1, id);
        statement.bind(2, detail::utc_now_text());
        TRY(statement.run(operation));
        return detail::expect_one_change(m_ledger.m_state->database(), operation, "the transfer is not queued, sending or failed-transient");
    });
}

base::Result<void> Transfers::mark_rename_reached(std::int64_t id)
{
    std::string const operation = "recording that transfer " + std::to_string(id) + " reached the remote rename";
    return detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "UPDATE transfers SET rename_reached_at = ?2, updated_at = ?2 WHERE id = ?1 AND status = 'sending'", operation));
        statement.bind(1, id);
        statement.bind(2, detail::utc_now_text());
        TRY(statement.run(operation));
        return detail::expect_one_change(m_ledger.m_state->database(), operation, "the transfer is not sending");
    });
}

base::Result<void> Transfers::clear_rename_reached(std::int64_t id)
{
    std::string const operation = "recording that transfer " + std::to_string(id) + " did not rename";
    return detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "UPDATE transfers SET rename_reached_at = NULL, updated_at = ?2 WHERE id = ?1 AND status IN ('sending', 'failed')", operation));
        statement.bind(1, id);
        statement.bind(2, detail::utc_now_text());
        TRY(statement.run(operation));
        return detail::expect_one_change(m_ledger.m_state->database(), operation, "the transfer is not sending or failed");
    });
}

base::Result<void> Transfers::mark_delivered(std::int64_t id, std::string_view remote_name, std::int64_t remote_size)
{
    std::string const operation = "marking transfer " + std::to_string(id) + " delivered";
    return detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "UPDATE transfers SET status = 'delivered', remote_name = ?2, remote_size = ?3, delivered_at = ?4, updated_at = ?4,"
            " failure_reason = NULL, permanent = 0 WHERE id = ?1 AND (status = 'sending' OR (status = 'failed' AND permanent = 0))",
            operation));
        statement.bind(1, id);
        statement.bind(2, remote_name);
        statement.bind(3, remote_size);
        statement.bind(4, detail::utc_now_text());
        TRY(statement.run(operation));
        return detail::expect_one_change(m_ledger.m_state->database(), operation, "the transfer is not sending (or failed-transient)");
    });
}

base::Result<void> Transfers::mark_failed(std::int64_t id, std::string_view reason, std::string_view error_text, bool permanent)
{
    std::string const operation = "marking transfer " + std::to_string(id) + " failed";
    return detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "UPDATE transfers SET status = 'failed', failure_reason = ?2, last_error = ?3, permanent = ?4, updated_at = ?5"
            " WHERE id = ?1 AND status IN ('queued', 'sending', 'failed')",
            operation));
        statement.bind(1, id);
        statement.bind(2, reason);
        statement.bind(3, error_text);
        statement.bind(4, std::int64_t { permanent ? 1 : 0 });
        statement.bind(5, detail::utc_now_text());
        TRY(statement.run(operation));
        return detail::expect_one_change(m_ledger.m_state->database(), operation, "the transfer is delivered or does not exist");
    });
}

base::Result<void> Transfers::note_unreachable(std::string_view agency, std::string_view reason, std::string_view error_text)
{
    std::string const operation = "noting that agency " + std::string(agency) + " could not be reached";
    return detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "UPDATE transfers SET failure_reason = ?2, last_error = ?3, updated_at = ?4"
            " WHERE agency = ?1 AND (status IN ('queued', 'sending') OR (status = 'failed' AND permanent = 0))",
            operation));
        statement.bind(1, agency);
        statement.bind(2, reason);
        statement.bind(3, error_text);
        statement.bind(4, detail::utc_now_text());
        return statement.run(operation);
    });
}

base::Result<void> Transfers::requeue(std::int64_t id)
{
    std::string const operation = "re-queueing transfer " + std::to_string(id);
    return detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "UPDATE transfers SET status = 'queued', attempts = 0, permanent = 0, updated_at = ?2 WHERE id = ?1 AND status = 'failed'", operation));
        statement.bind(1, id);
        statement.bind(2, detail::utc_now_text());
        TRY(statement.run(operation));
        return detail::expect_one_change(m_ledger.m_state->database(), operation, "only a failed transfer can be re-queued");
    });
}

base::Result<void> Transfers::mark_acknowledged(std::int64_t id, std::string_view acknowledgement_file)
{
    std::string const operation = "recording the acknowledgement of transfer " + std::to_string(id);
    return detail::durably(m_ledger, [&]() -> base::Result<void> {
        auto statement = TRY(Statement::prepare(m_ledger.m_state->database(),
            "UPDATE transfers SET acknowledgement_file = ?2, acknowledged_at = ?3, updated_at = ?3"
            " WHERE id = ?1 AND status = 'delivered' AND acknowledged_at IS NULL",
            operation));
        statement.bind(1, id);
        statement.bind(2, acknowledgement_file);
        statement.bind(3, detail::utc_now_text());
        TRY(statement.run(operation));
        return detail::expect_one_change(m_ledger.m_state->database(), operation, "the transfer is not delivered or is already acknowledged");
    });
}

} // namespace dcagw::store
