// Gathering the reconciliation (docs/postings.md, "dcagw reconcile"). The payout checks are money/'s, the
// same ones ingest runs when a payout file ends, so the report and ingest agree.
#include "gateway/reporting/reconcile_report.hpp"

#include "gateway/money/commission.hpp"

namespace dcagw::reporting {

namespace {

constexpr std::int64_t default_payout_due_days = 35;  // model::AgencyContract's default

bool in_period(std::string_view date, std::string_view period)
{
    return date.size() >= 7 && date.substr(0, 7) == period;
}

std::int64_t days_between(std::string_view from_date, base::Date to)
{
    auto const from = base::Date::parse(from_date.substr(0, 10));
    return from ? to.to_days() - from->to_days() : 0;
}

void add_to(GlLine& line, model::MoneySplit const& split)
{
    line.count += 1;
    line.split = money::operator+(line.split, split);
}

} // namespace

model::MoneySplit GlSummary::total() const
{
    return money::operator-(money::operator+(payments.split, direct_payments.split), refunds.split);
}

bool ReconcileReport::reconciles() const
{
    for (auto const& payout : payouts)
        if (!payout.reconciles())
            return false;
    return true;
}

bool is_period(std::string_view text)
{
    if (text.size() != 7 || text[4] != '-')
        return false;
    return base::Date::parse(std::string(text) + "-01").has_value();
}

std::size_t ageing_band(std::int64_t age_days)
{
    if (age_days <= 30)
        return 0;
    if (age_days <= 60)
        return 1;
    return age_days <= 90 ? 2 : 3;
}

PayoutReconciliation reconcile_payout(store::Payout const& payout, std::vector<store::PayoutItem> const& items, PaymentsById const& payments)
{
    PayoutReconciliation result { payout.payout_id, payout.payout_date, {}, {}, payout.stated, {} };
    std::vector<money::ListedPayment> listed;
    std::vector<money::ReportedPayment> reported;
    for (auto const& item : items) {
        PayoutLineView view { item.payment_id, "", item.amount_pence, std::nullopt };
        listed.push_back({ item.payment_id, item.amount_pence });
        if (auto const found = payments.find(item.payment_id); found != payments.end()) {
            auto const& payment = found->second;
            view.account_ref = payment.account_ref;
            view.reported = payment.split;
            reported.push_back({ payment.money_id, payment.split.gross_pence, base::Date::parse(payment.date).value_or(base::Date {}), payment.payout_id });
            result.computed = money::operator+(result.computed, payment.split);
        }
        result.lines.push_back(std::move(view));
    }
    result.problems = money::check_payout_lines(payout.payout_id, listed, reported);
    // As ingest does: stated totals are checked against the lines when it lists some.
    if (payout.stated && !items.empty()) {
        auto totals = money::check_payout_totals(payout.payout_id, *payout.stated, result.computed);
        result.problems.insert(result.problems.end(), totals.begin(), totals.end());
    }
    return result;
}

base::Result<ReconcileReport> reconcile(store::Ledger& ledger, model::AgencyConfig const& agency, std::string const& period, base::Date as_of)
{
    ReconcileReport report;
    report.agency = agency.id;
    report.period = period;
    report.as_of = as_of.to_string();
    report.payout_due_days = agency.contract ? agency.contract->payout_due_days : default_payout_due_days;
    store::Returns returns(ledger);
    store::MoneyFilter const filter { agency.id, std::nullopt };

    PaymentsById payments;
    std::vector<money::ReportedPayment> reported;
    TRY(returns.for_each_payment(filter, [&](store::MoneyRecord const& payment) {
        if (in_period(payment.date, period))
            add_to(payment.kind == "direct_payment" ? report.gl.direct_payments : report.gl.payments, payment.split);
        // A direct payment is with the creditor already: it is never paid over.
        if (payment.kind != "direct_payment")
            reported.push_back({ payment.money_id, payment.split.gross_pence, base::Date::parse(payment.date).value_or(as_of), payment.payout_id });
        payments.emplace(payment.money_id, payment);
    }));
    TRY(returns.for_each_refund(filter, [&](store::MoneyRecord const& refund) {
        if (in_period(refund.date, period))
            add_to(report.gl.refunds, refund.split);
    }));

    for (auto const& payout : TRY(returns.list_payouts(agency.id))) {
        if (!in_period(payout.payout_date, period))
            continue;
        auto reconciliation = reconcile_payout(payout, TRY(returns.payout_items(agency.id, payout.payout_id)), payments);
        for (auto const& problem : reconciliation.problems)
            if (problem.kind == money::PayoutProblemKind::UnknownPayment)
                report.unmatched.push_back({ "payout", payout.payout_id, "payout_line", problem.payment_id, problem.stated_pence, payout.payout_date,
                    days_between(payout.payout_date, as_of), "", payout.line, problem.describe() });
        report.payouts.push_back(std::move(reconciliation));
    }

    report.suspense_ageing = { { "0-30", 0, 0 }, { "31-60", 0, 0 }, { "61-90", 0, 0 }, { "over 90", 0, 0 } };
    for (auto const& item : TRY(returns.list_suspense(agency.id, store::SuspenseState::Open))) {
        auto const age = days_between(item.created_at, as_of);
        auto& band = report.suspense_ageing[ageing_band(age)];
        band.count += 1;
        band.amount_pence += item.amount_pence;
        report.unmatched.push_back({ "suspense", std::to_string(item.id), item.line_kind, item.reference, item.amount_pence, item.item_date, age,
            item.file_name, item.line, item.reason });
    }

    for (auto const& problem : money::payments_not_paid_over(reported, as_of, report.payout_due_days)) {
        auto const& payment = payments.at(problem.payment_id);
        report.not_paid_over.push_back({ payment.money_id, payment.account_ref, payment.date, payment.split.gross_pence,
            problem.describe() + " " + std::to_string(days_between(payment.date, as_of)) + " days after it was paid (payout_due_days "
                + std::to_string(report.payout_due_days) + ")" });
    }
    return report;
}

} // namespace dcagw::reporting
