// Shared helpers for the ingest tests: a ledger with placements at one agency, the
// agency's configuration with a contract, and return lines built as a reader would.
#pragma once

#include "gateway/ingest/placement_states.hpp"
#include "gateway/ingest/return_applier.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/returns.hpp"
#include "tests/support/temporary_folder.hpp"

#include "tests/support/expect_ok.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace dcagw::ingest::testing {

using test::expect_ok;

// "P:" + the input: stands in for the agency's keyed hash of person_ref.
class PrefixPseudonymiser final : public model::Pseudonymiser {
public:
    void append_pseudonym(std::string& out, std::string_view, std::string_view input) const override
    {
        out += "P:";
        out += input;
    }
};

inline base::Date date(char const* text) { return *base::Date::parse(text); }
inline base::Date const today = date("2026-12-01");

// A state folder with agency-a's placements: account A1 (joint: persons P1, P2; pseudonym
// REF-A1, balance £100.00 each) and A2 (person P3, REF-A2, £50.00).
class Workspace : public test::TemporaryFolder {
public:
    Workspace() : test::TemporaryFolder("ingest")
    {
        ledger = open();
        auto const run = expect_ok(ledger->begin_run("place", "cases.csv", "2026-11-01"));
        store::Batch batch;
        batch.run = run;
        batch.agency = "agency-a";
        batch.file_name = "20261101-placement-1.csv";
        batch.temporary_path = "spool/agency-a/.20261101-placement-1.csv.tmp";
        batch.final_path = "spool/agency-a/20261101-placement-1.csv";
        batch.file_date = "20261101";
        batch.sequence = 1;
        auto const batch_id = expect_ok(ledger->create_batch(batch));
        place(run, batch_id, "A1", "P1", "REF-A1", 10000);
        place(run, batch_id, "A1", "P2", "REF-A1", 10000);
        place(run, batch_id, "A2", "P3", "REF-A2", 5000);
        agency.id = "agency-a";
        model::AgencyContract contract;
        contract.commission = { { 1, 0, std::nullopt, 2500 } };
        contract.vat_basis_points = 2000;
        agency.contract = contract;
    }

    std::unique_ptr<store::Ledger> open() const
    {
        return expect_ok(store::Ledger::open(path() / "state", store::OpenMode::Create));
    }

    void place(std::int64_t run, std::int64_t batch, std::string_view account, std::string_view person, std::string_view pseudonym, std::int64_t balance)
    {
        store::PlacementRow row;
        row.run = run;
        row.batch = batch;
        row.agency = "agency-a";
        row.account_ref = account;
        row.person_ref = person;
        row.pseudonym = pseudonym;
        row.debt_type = "FTA";
        row.balance_pence = balance;
        expect_ok(ledger->add_placement(row));
    }

    base::Result<FileSummary> apply(InboundFileFacts const& facts, std::vector<model::ReturnLine> const& lines, std::vector<model::Rejection> const& rejections = {})
    {
        return apply_file(*ledger, agency, &pseudonyms, today, facts, lines, rejections);
    }

    std::unique_ptr<store::Ledger> ledger;
    model::AgencyConfig agency;
    PrefixPseudonymiser pseudonyms;
};

inline InboundFileFacts facts(std::string name, std::string sha256, model::ReturnKind kind)
{
    return InboundFileFacts { std::move(name), std::move(sha256), kind, "2026-12-01T09:00:00Z" };
}

inline model::ReturnLine payment_line(std::uint64_t line, std::string reference, std::string payment_id, std::int64_t pence,
    char const* day = "2026-11-20", std::string customer = {})
{
    model::PaymentLine payment;
    payment.account = { std::move(reference), std::move(customer) };
    payment.payment_id = std::move(payment_id);
    payment.amount_pence = pence;
    payment.payment_date = date(day);
    return { line, payment };
}

inline model::ReturnLine activity_line(std::uint64_t line, std::string reference, std::optional<model::ReturnReason> reason, char const* day = "2026-11-20")
{
    model::ActivityLine activity;
    activity.account = { std::move(reference), {} };
    activity.date = date(day);
    activity.agency_code = reason ? std::string(model::to_string(*reason)) : "NOTE";
    activity.reason = reason;
    return { line, activity };
}

inline model::ReturnLine refund_line(std::uint64_t line, std::string reference, std::string refund_id, std::string payment_id, std::int64_t pence)
{
    model::RefundLine refund;
    refund.account = { std::move(reference), {} };
    refund.refund_id = std::move(refund_id);
    refund.payment_id = std::move(payment_id);
    refund.amount_pence = pence;
    refund.refund_date = date("2026-11-25");
    return { line, refund };
}

inline model::ReturnLine payout_line(std::uint64_t line, std::string payout_id, std::string payment_id, std::int64_t pence,
    std::optional<model::MoneySplit> totals = std::nullopt)
{
    model::PayoutLine payout;
    payout.payout_id = std::move(payout_id);
    payout.payout_date = date("2026-11-30");
    payout.payment_id = std::move(payment_id);
    payout.amount_pence = pence;
    payout.totals = totals;
    return { line, payout };
}

} // namespace dcagw::ingest::testing
