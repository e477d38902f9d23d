// Shared helpers for the reporting tests: a ledger with two accounts placed with
// agency-a, and payments, refunds, payouts and suspense items recorded through the store
// as ingest records them.
#pragma once

#include "gateway/model/config.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/returns.hpp"
#include "tests/support/temporary_folder.hpp"

#include "tests/support/expect_ok.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace dcagw::reporting::testing {

using test::expect_ok;

// Account A1 (placement 1, pseudonym REF-A1) and A2 (placement 2, REF-A2) with agency-a;
// one inbound file every money row points at.
class Workspace : public test::TemporaryFolder {
public:
    Workspace() : test::TemporaryFolder("reporting")
    {
        ledger = expect_ok(store::Ledger::open(path() / "state", store::OpenMode::Create));
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
        for (auto const& [account, pseudonym] : { std::pair { "A1", "REF-A1" }, std::pair { "A2", "REF-A2" } }) {
            // PlacementRow holds views: the person's reference must outlive the call.
            std::string const person = std::string("P-") + account;
            store::PlacementRow row;
            row.run = run;
            row.batch = batch_id;
            row.agency = "agency-a";
            row.account_ref = account;
            row.person_ref = person;
            row.pseudonym = pseudonym;
            row.debt_type = "FTA";
            row.balance_pence = 10000;
            expect_ok(ledger->add_placement(row));
        }
        returns = std::make_unique<store::Returns>(*ledger);
        store::InboundFile file;
        file.agency = "agency-a";
        file.file_name = "20261201-payments.csv";
        file.sha256 = std::string(64, 'a');
        file.kind = "payment";
        file.collected_at = "2026-12-01T09:00:00Z";
        file_id = expect_ok(returns->record_file(file));
        config.state_directory = path() / "state";
        model::AgencyConfig agency;
        agency.id = "agency-a";
        model::AgencyContract contract;
        contract.payout_due_days = 14;
        agency.contract = contract;
        config.agencies.push_back(agency);
    }

    // A payment of placement 1 (A1) or 2 (A2), split 25% commission and 20% VAT on it.
    std::int64_t pay(std::string id, std::int64_t placement, std::int64_t gross, std::string date = "2026-11-20", std::string kind = "payment")
    {
        auto const commission = (gross * 25 + 50) / 100;
        auto const vat = (commission * 20 + 50) / 100;
        store::MoneyRecord payment;
        payment.agency = "agency-a";
        payment.money_id = id;
        payment.payment_id = id;
        payment.placement = placement;
        payment.kind = std::move(kind);
        payment.split = { gross, commission, vat, gross - commission - vat };
        payment.date = std::move(date);
        payment.content_hash = "hash-" + id;
        payment.file = file_id;
        payment.line = ++line;
        return expect_ok(returns->add_payment(payment));
    }

    std::int64_t refund(std::string id, std::string payment_id, std::int64_t placement, model::MoneySplit split, std::string date = "2026-11-25")
    {
        store::MoneyRecord refund;
        refund.agency = "agency-a";
        refund.money_id = std::move(id);
        refund.payment_id = std::move(payment_id);
        refund.placement = placement;
        refund.kind = "refund";
        refund.split = split;
        refund.date = std::move(date);
        refund.content_hash = "hash-" + refund.money_id;
        refund.file = file_id;
        refund.line = ++line;
        return expect_ok(returns->add_refund(refund));
    }

    std::unique_ptr<store::Ledger> ledger;
    std::unique_ptr<store::Returns> returns;
    std::int64_t file_id { 0 };
    std::int64_t line { 1 };
    model::GatewayConfig config;
};

} // namespace dcagw::reporting::testing
