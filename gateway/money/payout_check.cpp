#include "gateway/money/payout_check.hpp"

#include <array>
#include <unordered_map>
#include <utility>

namespace dcagw::money {

namespace {

std::string pounds(std::int64_t pence)
{
    auto const magnitude = pence < 0 ? -pence : pence;
    auto const minor = magnitude % 100;
    return std::string(pence < 0 ? "-" : "") + "£" + std::to_string(magnitude / 100) + "." + (minor < 10 ? "0" : "") + std::to_string(minor);
}

} // namespace

std::string PayoutProblem::describe() const
{
    switch (kind) {
    case PayoutProblemKind::TotalMismatch:
        return "payout " + payout_id + ": stated " + part + " " + pounds(stated_pence) + " but its lines add up to " + pounds(computed_pence)
            + " (difference " + pounds(stated_pence - computed_pence) + ")";
    case PayoutProblemKind::UnknownPayment:
        return "payout " + payout_id + " lists payment " + payment_id + " (" + pounds(stated_pence) + ") that no payment line reported";
    case PayoutProblemKind::AmountMismatch:
        return "payout " + payout_id + " lists payment " + payment_id + " as " + pounds(stated_pence) + " but it was reported as " + pounds(computed_pence);
    case PayoutProblemKind::NotPaidOver:
        return "payment " + payment_id + " (" + pounds(computed_pence) + ") is in no payout yet";
    }
    return "payout " + payout_id + ": unknown problem";
}

std::vector<PayoutProblem> check_payout_totals(std::string const& payout_id, model::MoneySplit const& stated, model::MoneySplit const& computed)
{
    std::vector<PayoutProblem> problems;
    std::array<std::pair<char const*, std::pair<std::int64_t, std::int64_t>>, 4> const parts { {
        { "gross", { stated.gross_pence, computed.gross_pence } },
        { "commission", { stated.commission_pence, computed.commission_pence } },
        { "vat", { stated.vat_pence, computed.vat_pence } },
        { "net", { stated.net_pence, computed.net_pence } },
    } };
    for (auto const& [part, figures] : parts)
        if (figures.first != figures.second)
            problems.push_back({ PayoutProblemKind::TotalMismatch, payout_id, "", part, figures.first, figures.second });
    return problems;
}

std::vector<PayoutProblem> check_payout_lines(std::string const& payout_id, std::vector<ListedPayment> const& listed,
    std::vector<ReportedPayment> const& reported)
{
    std::unordered_map<std::string_view, ReportedPayment const*> by_id;
    by_id.reserve(reported.size());
    for (auto const& payment : reported)
        by_id.emplace(payment.payment_id, &payment);
    std::vector<PayoutProblem> problems;
    for (auto const& item : listed) {
        auto const found = by_id.find(item.payment_id);
        if (found == by_id.end())
            problems.push_back({ PayoutProblemKind::UnknownPayment, payout_id, item.payment_id, "", item.amount_pence, 0 });
        else if (found->second->gross_pence != item.amount_pence)
            problems.push_back({ PayoutProblemKind::AmountMismatch, payout_id, item.payment_id, "", item.amount_pence, found->second->gross_pence });
    }
    return problems;
}

std::vector<PayoutProblem> payments_not_paid_over(std::vector<ReportedPayment> const& reported, base::Date as_of, std::int64_t due_days)
{
    std::vector<PayoutProblem> problems;
    auto const cutoff = as_of.to_days() - due_days;
    for (auto const& payment : reported)
        if (payment.payout_id.empty() && payment.payment_date.to_days() < cutoff)
            problems.push_back({ PayoutProblemKind::NotPaidOver, "", payment.payment_id, "", 0, payment.gross_pence });
    return problems;
}

} // namespace dcagw::money
