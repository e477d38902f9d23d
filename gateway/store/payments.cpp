// Returns: payments, refunds and payouts (docs/returns-ledger.md, "Money"). Each payment is
// stored once per (agency, payment_id) and each refund once per (agency, refund_id): the
// UNIQUE constraints are the last line of the exactly-once rule the ingest applies.
#include "gateway/store/returns.hpp"

#include "gateway/store/returns_state.hpp"
#include "gateway/store/row_reader.hpp"

namespace dcagw::store {

namespace {

// Both tables read in this column order by read_money.
constexpr char const* select_payment_by_id =
    "SELECT m.id, m.agency, m.payment_id, m.payment_id, m.placement, m.kind, m.gross_pence, m.commission_pence, m.vat_pence,"
    " m.net_pence, m.payment_date, m.paid_at, m.payout_id, '', m.content_hash, m.file, m.line, m.duplicate_count, m.recorded_at, ''"
    " FROM payments m WHERE m.agency = ?1 AND m.payment_id = ?2";
constexpr char const* select_refund_by_id =
    "SELECT m.id, m.agency, m.refund_id, m.payment_id, m.placement, m.kind, m.gross_pence, m.commission_pence, m.vat_pence,"
    " m.net_pence, m.refund_date, '', '', m.agency_code, m.content_hash, m.file, m.line, m.duplicate_count, m.recorded_at, ''"
    " FROM refunds m WHERE m.agency = ?1 AND m.refund_id = ?2";
constexpr char const* select_payments =
    "SELECT m.id, m.agency, m.payment_id, m.payment_id, m.placement, m.kind, m.gross_pence, m.commission_pence, m.vat_pence,"
    " m.net_pence, m.payment_date, m.paid_at, m.payout_id, '', m.content_hash, m.file, m.line, m.duplicate_count, m.recorded_at,"
    " coalesce(p.account_ref, '') FROM payments m LEFT JOIN placements p ON p.id = m.placement"
    " WHERE (?1 IS NULL OR m.agency = ?1) AND (?2 IS NULL OR m.placement = ?2) ORDER BY m.id";
constexpr char const* select_refunds =
    "SELECT m.id, m.agency, m.refund_id, m.payment_id, m.placement, m.kind, m.gross_pence, m.commission_pence, m.vat_pence,"
    " m.net_pence, m.refund_date, '', '', m.agency_code, m.content_hash, m.file, m.line, m.duplicate_count, m.recorded_at,"
    " coalesce(p.account_ref, '') FROM refunds m LEFT JOIN placements p ON p.id = m.placement"
    " WHERE (?1 IS NULL OR m.agency = ?1) AND (?2 IS NULL OR m.placement = ?2) ORDER BY m.id";

MoneyRecord read_money(Statement const& statement)
{
    MoneyRecord record;
    auto& split = record.split;
    detail::Columns(statement).read(record.id, record.agency, record.money_id, record.payment_id, record.placement, record.kind, split.gross_pence,
        split.commission_pence, split.vat_pence, split.net_pence, record.date, record.paid_at, record.payout_id, record.agency_code, record.content_hash,
        record.file, record.line, record.duplicate_count, record.recorded_at, record.account_ref);
    return record;
}

base::Result<std::optional<MoneyRecord>> find_money(Statement& statement, std::string_view agency, std::string_view id, std::string_view operation)
{
    ResetOnExit reset(statement);
    statement.bind(1, agency);
    statement.bind(2, id);
    return detail::first_row(statement, operation, read_money);
}

base::Result<void> visit_money(sqlite3* database, char const* sql, MoneyFilter const& filter, std::function<void(MoneyRecord const&)> const& visit)
{
    constexpr std::string_view operation = "listing payments and refunds";
    auto statement = TRY(Statement::prepare(database, sql, operation));
    statement.bind_optional(1, filter.agency);
    if (filter.placement)
        statement.bind(2, *filter.placement);
    while (TRY(statement.step(operation)) == Step::Row)
        visit(read_money(statement));
    return {};
}

} // namespace

base::Result<std::optional<MoneyRecord>> Returns::find_payment(std::string_view agency, std::string_view payment_id)
{
    constexpr std::string_view operation = "looking up a payment by its id";
    return find_money(*TRY(m_state->cached(ReturnsStatement::FindPayment, select_payment_by_id, operation)), agency, payment_id, operation);
}

base::Result<std::optional<MoneyRecord>> Returns::find_refund(std::string_view agency, std::string_view refund_id)
{
    constexpr std::string_view operation = "looking up a refund by its id";
    return find_money(*TRY(m_state->cached(ReturnsStatement::FindRefund, select_refund_by_id, operation)), agency, refund_id, operation);
}

base::Result<std::int64_t> Returns::add_payment(MoneyRecord const& payment)
{
    std::string const operation = "recording payment " + payment.money_id + " of " + payment.agency;
    auto& statement = *TRY(m_state->cached(ReturnsStatement::InsertPayment,
        "INSERT INTO payments (agency, payment_id, placement, kind, gross_pence, commission_pence, vat_pence, net_pence, payment_date,"
        " paid_at, payout_id, content_hash, file, line, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        operation));
    ResetOnExit reset(statement);
    auto const& split = payment.split;
    statement.bind_all(payment.agency, payment.money_id, payment.placement, payment.kind, split.gross_pence, split.commission_pence,
        split.vat_pence, split.net_pence, payment.date, payment.paid_at, payment.payout_id, payment.content_hash, payment.file,
        payment.line, detail::utc_now_text());
    TRY(statement.run(operation));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_state->database));
}

base::Result<std::int64_t> Returns::add_refund(MoneyRecord const& refund)
{
    std::string const operation = "recording refund " + refund.money_id + " of " + refund.agency;
    auto& statement = *TRY(m_state->cached(ReturnsStatement::InsertRefund,
        "INSERT INTO refunds (agency, refund_id, payment_id, placement, kind, gross_pence, commission_pence, vat_pence, net_pence,"
        " refund_date, agency_code, content_hash, file, line, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        operation));
    ResetOnExit reset(statement);
    auto const& split = refund.split;
    statement.bind_all(refund.agency, refund.money_id, refund.payment_id, refund.placement, refund.kind, split.gross_pence,
        split.commission_pence, split.vat_pence, split.net_pence, refund.date, refund.agency_code, refund.content_hash, refund.file,
        refund.line, detail::utc_now_text());
    TRY(statement.run(operation));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_state->database));
}

base::Result<void> Returns::count_duplicate(MoneyTable table, std::int64_t id)
{
    constexpr std::string_view operation = "counting a duplicate payment or refund line";
    auto& statement = *TRY(table == MoneyTable::Payments
            ? m_state->cached(ReturnsStatement::CountDuplicatePayment, "UPDATE payments SET duplicate_count = duplicate_count + 1 WHERE id = ?1", operation)
            : m_state->cached(ReturnsStatement::CountDuplicateRefund, "UPDATE refunds SET duplicate_count = duplicate_count + 1 WHERE id = ?1", operation));
    ResetOnExit reset(statement);
    statement.bind(1, id);
    return statement.run(operation);
}

base::Result<void> Returns::set_payout_of_payment(std::string_view agency, std::string_view payment_id, std::string_view payout_id)
{
    constexpr std::string_view operation = "recording the payout a payment was paid over in";
    auto statement = TRY(Statement::prepare(m_state->database, "UPDATE payments SET payout_id = ?3 WHERE agency = ?1 AND payment_id = ?2", operation));
    statement.bind(1, agency);
    statement.bind(2, payment_id);
    statement.bind(3, payout_id);
    return statement.run(operation);
}

base::Result<void> Returns::for_each_payment(MoneyFilter const& filter, std::function<void(MoneyRecord const&)> const& visit)
{
    return visit_money(m_state->database, select_payments, filter, visit);
}

base::Result<void> Returns::for_each_refund(MoneyFilter const& filter, std::function<void(MoneyRecord const&)> const& visit)
{
    return visit_money(m_state->database, select_refunds, filter, visit);
}

base::Result<PlacementMoney> Returns::placement_money(std::int64_t placement)
{
    std::string const operation = "adding up the money of placement " + std::to_string(placement);
    auto& statement = *TRY(m_state->cached(ReturnsStatement::PlacementMoney,
        "SELECT p.balance_pence, (SELECT coalesce(sum(gross_pence), 0) FROM payments WHERE placement = p.id),"
        " (SELECT coalesce(sum(gross_pence), 0) FROM refunds WHERE placement = p.id) FROM placements p WHERE p.id = ?1", operation));
    ResetOnExit reset(statement);
    statement.bind(1, placement);
    if (TRY(statement.step(operation)) != Step::Row)
        return make_error(ErrorCode::NotFound, operation + ": no such placement");
    return PlacementMoney { statement.integer(0), statement.integer(1), statement.integer(2) };
}

base::Result<model::MoneySplit> Returns::reversed_against(std::string_view agency, std::string_view payment_id)
{
    constexpr std::string_view operation = "adding up the refunds of a payment";
    auto& statement = *TRY(m_state->cached(ReturnsStatement::ReversedAgainst,
        "SELECT coalesce(sum(gross_pence), 0), coalesce(sum(commission_pence), 0), coalesce(sum(vat_pence), 0), coalesce(sum(net_pence), 0)"
        " FROM refunds WHERE agency = ?1 AND payment_id = ?2", operation));
    ResetOnExit reset(statement);
    statement.bind(1, agency);
    statement.bind(2, payment_id);
    TRY(statement.step(operation));
    return detail::read_split(statement, 0);
}

base::Result<std::int64_t> Returns::placement_number(std::int64_t placement)
{
    std::string const operation = "counting the earlier placements of the debt of placement " + std::to_string(placement);
    // The UNIQUE (account_ref, person_ref, agency) index serves this.
    auto& statement = *TRY(m_state->cached(ReturnsStatement::PlacementNumber,
        "SELECT count(*) FROM placements o JOIN placements p ON p.id = ?1"
        " WHERE o.account_ref = p.account_ref AND o.person_ref = p.person_ref AND o.id <= p.id", operation));
    ResetOnExit reset(statement);
    statement.bind(1, placement);
    TRY(statement.step(operation));
    auto const number = statement.integer(0);
    if (number == 0)
        return make_error(ErrorCode::NotFound, operation + ": no such placement");
    return number;
}

base::Result<bool> Returns::add_payout(Payout const& payout)
{
    std::string const operation = "recording payout " + payout.payout_id + " of " + payout.agency;
    auto statement = TRY(Statement::prepare(m_state->database,
        "INSERT INTO payouts (agency, payout_id, payout_date, file, line) VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT (agency, payout_id) DO NOTHING", operation));
    statement.bind(1, std::string_view(payout.agency));
    statement.bind(2, std::string_view(payout.payout_id));
    statement.bind(3, std::string_view(payout.payout_date));
    statement.bind(4, payout.file);
    statement.bind(5, payout.line);
    TRY(statement.run(operation));
    bool const added = sqlite3_changes(m_state->database) > 0;
    if (payout.stated)
        TRY(set_payout_totals(payout.agency, payout.payout_id, *payout.stated));
    return added;
}

base::Result<void> Returns::set_payout_totals(std::string_view agency, std::string_view payout_id, model::MoneySplit const& stated)
{
    constexpr std::string_view operation = "recording a payout's stated totals";
    auto statement = TRY(Statement::prepare(m_state->database,
        "UPDATE payouts SET stated_gross_pence = ?3, stated_commission_pence = ?4, stated_vat_pence = ?5, stated_net_pence = ?6"
        " WHERE agency = ?1 AND payout_id = ?2", operation));
    statement.bind(1, agency);
    statement.bind(2, payout_id);
    detail::bind_split(statement, 3, stated);
    return statement.run(operation);
}

base::Result<bool> Returns::add_payout_item(std::string_view agency, PayoutItem const& item)
{
    constexpr std::string_view operation = "recording a payment listed in a payout";
    auto statement = TRY(Statement::prepare(m_state->database,
        "INSERT INTO payout_lines (agency, payout_id, payment_id, amount_pence, file, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        " ON CONFLICT (agency, payout_id, payment_id) DO NOTHING", operation));
    statement.bind(1, agency);
    statement.bind(2, std::string_view(item.payout_id));
    statement.bind(3, std::string_view(item.payment_id));
    statement.bind(4, item.amount_pence);
    statement.bind(5, item.file);
    statement.bind(6, item.line);
    TRY(statement.run(operation));
    return sqlite3_changes(m_state->database) > 0;
}

base::Result<std::vector<Payout>> Returns::list_payouts(std::string_view agency)
{
    constexpr std::string_view operation = "listing payouts";
    auto statement = TRY(Statement::prepare(m_state->database,
        "SELECT agency, payout_id, payout_date, stated_gross_pence IS NOT NULL, coalesce(stated_gross_pence, 0),"
        " coalesce(stated_commission_pence, 0), coalesce(stated_vat_pence, 0), coalesce(stated_net_pence, 0), file, line"
        " FROM payouts WHERE agency = ?1 ORDER BY id", operation));
    statement.bind(1, agency);
    std::vector<Payout> payouts;
    while (TRY(statement.step(operation)) == Step::Row) {
        Payout payout { std::string(statement.text(0)), std::string(statement.text(1)), std::string(statement.text(2)), std::nullopt,
            statement.integer(8), statement.integer(9) };
        if (statement.integer(3) != 0)
            payout.stated = detail::read_split(statement, 4);
        payouts.push_back(std::move(payout));
    }
    return payouts;
}

base::Result<std::vector<PayoutItem>> Returns::payout_items(std::string_view agency, std::string_view payout_id)
{
    constexpr std::string_view operation = "listing the payments of a payout";
    auto statement = TRY(Statement::prepare(m_state->database,
        "SELECT payout_id, payment_id, amount_pence, file, line FROM payout_lines WHERE agency = ?1 AND payout_id = ?2 ORDER BY id", operation));
    statement.bind(1, agency);
    statement.bind(2, payout_id);
    std::vector<PayoutItem> items;
    while (TRY(statement.step(operation)) == Step::Row)
        items.push_back({ std::string(statement.text(0)), std::string(statement.text(1)), statement.integer(2), statement.integer(3), statement.integer(4) });
    return items;
}

} // namespace dcagw::store
