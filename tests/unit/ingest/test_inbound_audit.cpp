// Personal data received is audited per subject (docs/audit.md, "Inbound entries"), and a
// per-account rejection moves the placement to `rejected` (docs/returns-ledger.md).
#include "ingest_test_support.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/audit/queries.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/store/audit_log.hpp"
#include "gateway/store/transfers.hpp"

#include <algorithm>

using namespace dcagw;
using namespace dcagw::ingest;
using namespace dcagw::ingest::testing;
using model::ReturnKind;

namespace {

ReceivedFileFacts received(std::vector<std::string> fields)
{
    ReceivedFileFacts facts;
    facts.sha256 = "s-of-file";
    facts.layout = "test-layout";
    facts.signer = "ABCD1234";
    facts.fields = std::move(fields);
    return facts;
}

// Applies a file the way `dcagw ingest` does: lines, then the inbound audit entries inside
// the file's transaction, then the commit.
FileSummary apply_audited(Workspace& work, InboundFileFacts const& file, std::vector<model::ReturnLine> const& lines, std::vector<std::string> fields)
{
    ReturnApplier applier(*work.ledger, work.agency, &work.pseudonyms, today);
    REQUIRE(expect_ok(applier.begin(file)) == FileOutcome::Applied);
    audit::Journal journal(*work.ledger, "operator:test");
    expect_ok(applier.record_received(journal, received(std::move(fields))));
    for (auto const& line : lines)
        expect_ok(applier.accept(line));
    return expect_ok(applier.finish());
}

std::vector<audit::SubjectShare> inbound_shares(store::Ledger& ledger, std::string_view reference)
{
    auto shares = expect_ok(audit::subject_shares(ledger, reference));
    std::erase_if(shares, [](audit::SubjectShare const& share) { return share.file.direction != "inbound"; });
    return shares;
}

bool verifies(store::Ledger& ledger)
{
    auto const report = expect_ok(audit::verify_ledger(ledger, {}));
    for (auto const& problem : report.problems)
        UNSCOPED_INFO(problem);
    return report.ok();
}

model::ReturnLine trace_line(std::uint64_t line, std::string reference, std::string customer = {})
{
    model::TraceLine trace;
    trace.account = { std::move(reference), std::move(customer) };
    trace.date = date("2026-11-28");
    trace.traced = true;
    trace.fields = { { "address_line_1", "1 New Street" }, { "postcode", "AB1 2CD" } };
    return { line, trace };
}

} // namespace

TEST_CASE("each trace result is an inbound audit entry naming our references and the fields, not values")
{
    Workspace work;
    apply_audited(work, facts("20261128-trace.csv", "s-trace", ReturnKind::Trace), { trace_line(2, "REF-A2"), trace_line(3, "REF-A1", "P:P2") }, {});
    auto const person = inbound_shares(*work.ledger, "P3");
    REQUIRE(person.size() == 1);
    auto const& share = person.front();
    CHECK(share.account_ref == "A2");
    CHECK(share.person_ref == "P3");
    CHECK(share.pseudonym == "REF-A2");
    CHECK(share.file.agency == "agency-a");
    CHECK(share.file.file_name == "20261128-trace.csv");
    CHECK(share.file.action == "trace");
    CHECK(share.file.line == 2);
    CHECK(share.file.fields == std::vector<std::string> { "account_reference", "date", "code", "address_line_1", "postcode" });
    CHECK(share.file.detail.find("traced on 2026-11-28") != std::string::npos);
    CHECK(share.file.detail.find("signed by ABCD1234") != std::string::npos);
    // The customer reference named one joint debtor: only that person is the subject.
    CHECK(inbound_shares(*work.ledger, "P2").size() == 1);
    CHECK(inbound_shares(*work.ledger, "P1").empty());
    CHECK(inbound_shares(*work.ledger, "A1").size() == 1);
    // No received value is copied into the log.
    bool copied = false;
    expect_ok(work.ledger->audit().for_each_entry([&](store::AuditEntryRow const& row) {
        copied = copied || row.body.find("New Street") != std::string_view::npos || row.body.find("AB1 2CD") != std::string_view::npos;
        return true;
    }));
    CHECK_FALSE(copied);
    CHECK(verifies(*work.ledger));
}

TEST_CASE("a payment file is one inbound entry listing each matched placement once; verify checks its subjects")
{
    Workspace work;
    apply_audited(work, facts("20261120-payments.csv", "s-pay", ReturnKind::Payment),
        { payment_line(2, "REF-A1", "PAY-1", 1000), payment_line(3, "REF-A1", "PAY-2", 500), payment_line(4, "REF-A2", "PAY-3", 700),
            payment_line(5, "REF-NOBODY", "PAY-4", 100) },
        { "payment_id", "account_reference", "amount", "date" });
    std::int64_t inbound_entries = 0;
    std::int64_t list = 0;
    expect_ok(work.ledger->audit().entries_of_kind("inbound", [&](store::AuditEntryRow const& row) {
        ++inbound_entries;
        list = row.subject_list.value_or(0);
        return true;
    }));
    CHECK(inbound_entries == 1);
    CHECK(list >= store::inbound_subject_list_base);
    for (auto const* person : { "P1", "P2", "P3" }) {
        auto const shares = inbound_shares(*work.ledger, person);
        REQUIRE(shares.size() == 1);
        CHECK(shares.front().file.action == "payment");
        CHECK(shares.front().file.line == 0);
        CHECK(shares.front().file.fields == std::vector<std::string> { "payment_id", "account_reference", "amount", "date" });
        CHECK(shares.front().file.record_count == 3);  // the matched lines (the unknown one is in suspense)
    }
    CHECK(verifies(*work.ledger));

    // Tampering with the inbound subjects is found, as for a disclosure's.
    expect_ok(work.ledger->audit().purge_subjects_through(list));
    CHECK_FALSE(verifies(*work.ledger));
}

TEST_CASE("a rolled-back file leaves no inbound entry or subject, and the rerun records it once")
{
    Workspace work;
    auto const file = facts("20261120-payments.csv", "s-pay", ReturnKind::Payment);
    {
        ReturnApplier applier(*work.ledger, work.agency, &work.pseudonyms, today);
        REQUIRE(expect_ok(applier.begin(file)) == FileOutcome::Applied);
        audit::Journal journal(*work.ledger, "operator:test");
        expect_ok(applier.record_received(journal, received({ "payment_id" })));
        expect_ok(applier.accept(payment_line(2, "REF-A2", "PAY-1", 1000)));
        applier.abandon();
    }
    CHECK(inbound_shares(*work.ledger, "P3").empty());
    CHECK(expect_ok(work.ledger->audit().subject_count()) == 0);
    apply_audited(work, file, { payment_line(2, "REF-A2", "PAY-1", 1000) }, { "payment_id" });
    CHECK(inbound_shares(*work.ledger, "P3").size() == 1);
    CHECK(verifies(*work.ledger));
}

TEST_CASE("a file applied without record_received records no subjects (none without their entry)")
{
    Workspace work;
    expect_ok(work.apply(facts("a.csv", "s-a", ReturnKind::Payment), { payment_line(2, "REF-A2", "PAY-1", 1000) }));
    expect_ok(work.apply(facts("b.csv", "s-b", ReturnKind::Payment), { payment_line(2, "REF-A2", "PAY-2", 1000) }));
    CHECK(expect_ok(work.ledger->audit().subject_count()) == 0);
    CHECK(verifies(*work.ledger));
}

namespace {

// The workspace's placement file, delivered to the agency as `remote_name`.
void deliver(Workspace& work, std::string_view remote_name)
{
    auto batches = expect_ok(work.ledger->batches_with_status(store::BatchStatus::Writing));
    REQUIRE_FALSE(batches.empty());
    expect_ok(work.ledger->update_batch(batches.front().id, store::BatchStatus::Sealed, 3, 1234, "ab12"));
    expect_ok(work.ledger->update_batch(batches.front().id, store::BatchStatus::Spooled, 3, 1234, "ab12"));
    store::Transfers transfers(*work.ledger);
    expect_ok(transfers.enqueue_spooled("agency-a"));
    auto const pending = expect_ok(transfers.pending("agency-a"));
    REQUIRE(pending.size() == 1);
    expect_ok(transfers.mark_sending(pending.front().id));
    expect_ok(transfers.mark_delivered(pending.front().id, remote_name, 1234));
}

model::ReturnLine account_rejection(std::uint64_t line, std::string reference, std::optional<model::ReturnReason> reason, std::string file = "20261101-placement-1.csv")
{
    model::AcknowledgementLine answer;
    answer.file_name = std::move(file);
    answer.accepted = !reason;
    answer.agency_code = reason ? "ACCOUNT_REJECTED_DECEASED" : "ACCEPTED";
    answer.account = model::AccountReference { std::move(reference), {} };
    answer.reason = reason;
    return { line, answer };
}

std::vector<store::MatchedPlacement> placements_of(Workspace& work, std::string const& pseudonym)
{
    store::Returns returns(*work.ledger);
    std::vector<store::MatchedPlacement> placements;
    expect_ok(returns.placements_with_pseudonym("agency-a", pseudonym, placements));
    return placements;
}

} // namespace

TEST_CASE("a per-account rejection moves the account's placements to rejected, with reason, date and file")
{
    Workspace work;
    deliver(work, "20261101-placement-1.csv");
    auto const summary = apply_audited(work, facts("20261101-placement-1.csv.ack.csv", "s-ack", ReturnKind::Acknowledgement),
        { account_rejection(2, "REF-A1", model::ReturnReason::Deceased), account_rejection(3, "REF-A2", std::nullopt),
            account_rejection(4, "REF-A2", model::ReturnReason::Deceased, "never-sent.csv") },
        { "file_name", "account_reference", "code" });
    CHECK(summary.counts.applied == 2);
    CHECK(summary.counts.quarantined == 1);  // names no delivered file
    CHECK(summary.state_changes == 2);       // joint debtors together
    for (auto const& placement : placements_of(work, "REF-A1"))
        CHECK(placement.status == "rejected");
    CHECK(placements_of(work, "REF-A2").front().status == "open");  // accepted: unchanged

    std::vector<store::ReturnEvent> events;
    expect_ok(store::Returns(*work.ledger).for_each_event(std::nullopt, [&](store::ReturnEvent const& event) { events.push_back(event); }));
    REQUIRE(events.size() == 2);
    CHECK(events[0].to_state == "rejected");
    CHECK(events[0].reason == "DEC");
    CHECK(events[0].agency_code == "ACCOUNT_REJECTED_DECEASED");
    CHECK(events[0].event_date == today.to_string());
    CHECK(events[0].file == summary.file_id);
    CHECK(events[0].line == 2);
    CHECK(std::any_of(summary.problems.begin(), summary.problems.end(), [](std::string const& problem) { return problem.find("rejected account A1") != std::string::npos; }));
    REQUIRE(summary.acknowledgements.size() == 1);
    CHECK(summary.acknowledgements.front().account_refs == std::vector<std::string> { "A1" });

    // No longer counted as placed: the debt may be placed elsewhere.
    std::vector<store::OpenPlacement> open;
    expect_ok(work.ledger->open_placements_of("A1", open));
    CHECK(open.empty());

    // The same rejection again (another file) is a duplicate; a rejected placement is ended.
    auto const again = apply_audited(work, facts("again.ack.csv", "s-ack-2", ReturnKind::Acknowledgement),
        { account_rejection(2, "REF-A1", model::ReturnReason::Deceased) }, { "code" });
    CHECK(again.counts.duplicates == 1);
    CHECK_FALSE(may_move("rejected", "open"));
    CHECK(inbound_shares(*work.ledger, "P1").size() == 2);  // both acknowledgement files were about A1
    CHECK(verifies(*work.ledger));
}
