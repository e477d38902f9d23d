// Payment, refund and payout lines (docs/returns-ledger.md, "Money"): each payment once per
// (agency, payment id), its split from the agency's contract, refunds reversing exactly,
// and each payout the file touched checked to the penny when the file ends.
#include "gateway/ingest/applier_context.hpp"

#include "gateway/crypto/hash.hpp"
#include "gateway/money/commission.hpp"
#include "gateway/money/payout_check.hpp"

namespace dcagw::ingest {

namespace {

// What makes two lines with one payment id the same payment: every fact but the file and
// line it came from. Fields are separated by a byte no field holds.
std::string content_hash(std::initializer_list<std::string_view> parts)
{
    std::string text;
    for (auto const part : parts) {
        text += part;
        text += '\x1f';
    }
    return crypto::digest_hex(crypto::Sha256::digest(text));
}

std::string_view money_kind_name(model::MoneyKind kind)
{
    switch (kind) {
    case model::MoneyKind::Payment:
        return "payment";
    case model::MoneyKind::DirectPayment:
        return "direct_payment";
    case model::MoneyKind::Refund:
        return "refund";
    case model::MoneyKind::Chargeback:
        return "chargeback";
    }
    return "payment";
}

std::int64_t days_between(std::string_view placed_at, base::Date date)
{
    auto const placed = base::Date::parse(placed_at.substr(0, 10));
    if (!placed)
        return 0;
    auto const days = date.to_days() - placed->to_days();
    return days < 0 ? 0 : days;
}

} // namespace

void ReturnApplier::Context::check_balance(store::MatchedPlacement const& placement, std::int64_t paid_now)
{
    // The placement's money as of the match, plus this line's payment.
    store::PlacementMoney const money { placement.balance_pence, placement.paid_pence + paid_now, placement.refunded_pence };
    auto const& account_ref = placement.account_ref;
    if (money.outstanding() < 0)
        summary.problems.push_back("account " + account_ref + " is overpaid by " + money_text(-money.outstanding()) + " (placed "
            + money_text(money.balance_pence) + ", paid " + money_text(money.paid_pence) + ", refunded " + money_text(money.refunded_pence) + ")");
}

base::Result<void> ReturnApplier::Context::apply_payment(std::uint64_t line, model::PaymentLine const& payment)
{
    if (payment.payment_id.empty())
        return quarantine(line, "payment_id", "the payment has no payment id");
    if (payment.amount_pence <= 0)
        return quarantine(line, "amount", "a payment's amount must be above zero");
    if (payment.kind == model::MoneyKind::Refund || payment.kind == model::MoneyKind::Chargeback)
        return quarantine(line, "kind", "a refund inside a payment file: refunds are read from refund lines");
    if (payment.payment_date > today)
        return quarantine(line, "payment_date", "the date " + payment.payment_date.to_string() + " lies in the future");
    auto const hash = content_hash({ money_kind_name(payment.kind), std::to_string(payment.amount_pence), payment.payment_date.to_string(),
        payment.paid_at, payment.account.agency_reference, payment.account.customer_reference });
    if (auto const earlier = TRY(returns.find_payment(agency.id, payment.payment_id))) {
        if (earlier->content_hash == hash) {
            TRY(returns.count_duplicate(store::Returns::MoneyTable::Payments, earlier->id));
            ++summary.counts.duplicates;
            return {};
        }
        ++summary.counts.conflicts;
        summary.problems.push_back("payment " + payment.payment_id + " in line " + std::to_string(line) + " differs from the one applied from file "
            + std::to_string(earlier->file) + " line " + std::to_string(earlier->line) + ": quarantined");
        return quarantine(line, "payment_id", "conflict: payment id " + payment.payment_id + " was applied before with other content (file "
            + std::to_string(earlier->file) + " line " + std::to_string(earlier->line) + ")");
    }
    // A payment already in suspense is not put there twice: the same line again is a
    // duplicate, other content under its id a conflict.
    if (auto const suspended = TRY(returns.find_suspense_payment(agency.id, payment.payment_id))) {
        if (suspended->content_hash == hash) {
            ++summary.counts.duplicates;
            return {};
        }
        ++summary.counts.conflicts;
        summary.problems.push_back("payment " + payment.payment_id + " in line " + std::to_string(line) + " differs from the one in suspense (item "
            + std::to_string(suspended->id) + "): quarantined");
        return quarantine(line, "payment_id", "conflict: payment id " + payment.payment_id + " is in suspense with other content (item "
            + std::to_string(suspended->id) + ")");
    }
    if (TRY(match(line, payment.account, { "payment", payment.payment_id, payment.amount_pence, payment.payment_date.to_string(), hash }))
        == MatchResult::NotMatched)
        return {};
    if (!agency.contract)
        return quarantine(line, "amount", "agency " + agency.id + " has no contract in the configuration: commission cannot be computed");
    auto const& placement = candidates.front();
    money::CommissionBasis const basis { placement.placement_number, days_between(placement.placed_at, payment.payment_date) };
    auto split = money::split_payment(*agency.contract, payment.kind, payment.amount_pence, basis);
    if (split.is_error())
        return quarantine(line, "amount", split.error().message());
    store::MoneyRecord record;
    record.agency = agency.id;
    record.money_id = payment.payment_id;
    record.payment_id = payment.payment_id;
    record.placement = placement.id;
    record.kind = money_kind_name(payment.kind);
    record.split = split.value();
    record.date = payment.payment_date.to_string();
    record.paid_at = payment.paid_at;
    record.content_hash = hash;
    record.file = summary.file_id;
    record.line = static_cast<std::int64_t>(line);
    TRY(returns.add_payment(record));
    summary.payments = money::operator+(summary.payments, record.split);
    ++summary.counts.applied;
    check_balance(placement, record.split.gross_pence);
    return {};
}

base::Result<void> ReturnApplier::Context::apply_refund(std::uint64_t line, model::RefundLine const& refund)
{
    auto const refund_id = refund.refund_id.empty() ? refund.payment_id + "/refund" : refund.refund_id;
    if (refund.payment_id.empty())
        return quarantine(line, "payment_id", "the refund names no payment");
    if (refund.amount_pence <= 0)
        return quarantine(line, "amount", "a refund's amount must be above zero");
    if (refund.refund_date > today)
        return quarantine(line, "refund_date", "the date " + refund.refund_date.to_string() + " lies in the future");
    auto const hash = content_hash({ money_kind_name(refund.kind), refund.payment_id, std::to_string(refund.amount_pence), refund.refund_date.to_string(),
        refund.agency_code, refund.account.agency_reference });
    if (auto const earlier = TRY(returns.find_refund(agency.id, refund_id))) {
        if (earlier->content_hash == hash) {
            TRY(returns.count_duplicate(store::Returns::MoneyTable::Refunds, earlier->id));
            ++summary.counts.duplicates;
            return {};
        }
        ++summary.counts.conflicts;
        summary.problems.push_back("refund " + refund_id + " in line " + std::to_string(line) + " differs from the one applied before: quarantined");
        return quarantine(line, "refund_id", "conflict: refund " + refund_id + " was applied before with other content (file "
            + std::to_string(earlier->file) + " line " + std::to_string(earlier->line) + ")");
    }
    auto const payment = TRY(returns.find_payment(agency.id, refund.payment_id));
    if (!payment) {
        TRY(suspend(line, refund.account, "refund of payment " + refund.payment_id + " that " + agency.id + " never reported",
            { "refund", refund.payment_id, refund.amount_pence, refund.refund_date.to_string(), {} }));
        return {};
    }
    auto const reversed = TRY(returns.reversed_against(agency.id, refund.payment_id));
    auto reversal = money::reverse_payment(payment->split, reversed, refund.amount_pence);
    if (reversal.is_error())
        return quarantine(line, "amount", reversal.error().message());
    store::MoneyRecord record;
    record.agency = agency.id;
    record.money_id = refund_id;
    record.payment_id = refund.payment_id;
    record.placement = payment->placement;
    record.kind = refund.kind == model::MoneyKind::Chargeback ? "chargeback" : "refund";
    record.split = reversal.value();
    record.date = refund.refund_date.to_string();
    record.agency_code = refund.agency_code;
    record.content_hash = hash;
    record.file = summary.file_id;
    record.line = static_cast<std::int64_t>(line);
    TRY(returns.add_refund(record));
    summary.refunds = money::operator+(summary.refunds, record.split);
    ++summary.counts.applied;
    return {};
}

base::Result<void> ReturnApplier::Context::apply_payout(std::uint64_t line, model::PayoutLine const& payout)
{
    if (payout.payout_id.empty())
        return quarantine(line, "payout_id", "the payout line has no payout id");
    if (payout.payout_date > today)
        return quarantine(line, "payout_date", "the date " + payout.payout_date.to_string() + " lies in the future");
    store::Payout record { agency.id, payout.payout_id, payout.payout_date.to_string(), payout.totals, summary.file_id, static_cast<std::int64_t>(line) };
    TRY(returns.add_payout(record));
    payouts_touched.insert(payout.payout_id);
    if (payout.payment_id.empty()) {
        if (!payout.totals)
            return quarantine(line, "payment_id", "a payout line needs a payment id or the payout's totals");
        ++summary.counts.applied;
        return {};
    }
    if (!TRY(returns.add_payout_item(agency.id, { payout.payout_id, payout.payment_id, payout.amount_pence, summary.file_id, static_cast<std::int64_t>(line) }))) {
        ++summary.counts.duplicates;
        return {};
    }
    TRY(returns.set_payout_of_payment(agency.id, payout.payment_id, payout.payout_id));
    ++summary.counts.applied;
    return {};
}

base::Result<void> ReturnApplier::Context::check_payouts()
{
    for (auto const& payout_id : payouts_touched) {
        auto const items = TRY(returns.payout_items(agency.id, payout_id));
        std::vector<money::ListedPayment> listed;
        std::vector<money::ReportedPayment> reported;
        model::MoneySplit computed {};
        for (auto const& item : items) {
            listed.push_back({ item.payment_id, item.amount_pence });
            if (auto const payment = TRY(returns.find_payment(agency.id, item.payment_id))) {
                reported.push_back({ payment->money_id, payment->split.gross_pence, base::Date::parse(payment->date).value_or(today), payment->payout_id });
                computed = money::operator+(computed, payment->split);
            }
        }
        auto problems = money::check_payout_lines(payout_id, listed, reported);
        for (auto const& payout : TRY(returns.list_payouts(agency.id)))
            if (payout.payout_id == payout_id && payout.stated && !items.empty()) {
                auto totals = money::check_payout_totals(payout_id, *payout.stated, computed);
                problems.insert(problems.end(), totals.begin(), totals.end());
            }
        for (auto const& problem : problems)
            summary.problems.push_back(problem.describe());
        if (!problems.empty())
            summary.payouts_reconcile = false;
    }
    return {};
}

} // namespace dcagw::ingest
