// Placement states moved by activity and closure reasons, trace results kept, and the
// one transaction per file: a crash or an error mid-file leaves nothing applied and the
// rerun applies the file whole.
#include "ingest_test_support.hpp"

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace dcagw;
using namespace dcagw::ingest;
using namespace dcagw::ingest::testing;
using model::ReturnKind;
using model::ReturnReason;

namespace {

std::vector<std::string> statuses(store::Ledger& ledger, std::string const& pseudonym)
{
    store::Returns returns(ledger);
    std::vector<store::MatchedPlacement> placements;
    expect_ok(returns.refresh_pseudonym_index("agency-a"));
    expect_ok(returns.placements_with_pseudonym("agency-a", pseudonym, placements));
    std::vector<std::string> found;
    for (auto const& placement : placements)
        found.push_back(placement.status);
    return found;
}

std::vector<model::ReturnLine> many_payments(int count)
{
    std::vector<model::ReturnLine> lines;
    for (int index = 0; index < count; ++index)
        lines.push_back(payment_line(static_cast<std::uint64_t>(index + 2), "REF-A1", "PAY-" + std::to_string(index), 1));
    return lines;
}

} // namespace

TEST_CASE("activity reasons move every placement of the account through the documented states")
{
    Workspace work;
    auto const held = expect_ok(work.apply(facts("act1.csv", "s1", ReturnKind::Activity), { activity_line(2, "REF-A1", ReturnReason::BreathingSpace) }));
    CHECK(held.state_changes == 2);
    CHECK(statuses(*work.ledger, "REF-A1") == std::vector<std::string> { "on_hold", "on_hold" });
    expect_ok(work.apply(facts("act2.csv", "s2", ReturnKind::Activity), { activity_line(2, "REF-A1", ReturnReason::Arrangement) }));
    CHECK(statuses(*work.ledger, "REF-A1") == std::vector<std::string> { "open", "open" });
    expect_ok(work.apply(facts("act3.csv", "s3", ReturnKind::Closure), { activity_line(2, "REF-A1", ReturnReason::PaidInFull) }));
    CHECK(statuses(*work.ledger, "REF-A1") == std::vector<std::string> { "closed_paid", "closed_paid" });
    // An ended placement is not reopened by a later line: quarantined, visible.
    auto const late = expect_ok(work.apply(facts("act4.csv", "s4", ReturnKind::Activity),
        { activity_line(2, "REF-A1", ReturnReason::Dispute), activity_line(3, "REF-A1", std::nullopt), activity_line(4, "REF-A2", ReturnReason::Deceased) }));
    CHECK(late.counts.quarantined == 1);
    CHECK(late.counts.applied == 2);
    CHECK(statuses(*work.ledger, "REF-A1") == std::vector<std::string> { "closed_paid", "closed_paid" });
    CHECK(statuses(*work.ledger, "REF-A2") == std::vector<std::string> { "returned" });
    store::Returns returns(*work.ledger);
    std::vector<store::ReturnEvent> events;
    expect_ok(returns.for_each_event(std::nullopt, [&](store::ReturnEvent const& event) { events.push_back(event); }));
    REQUIRE(events.size() == 9); // 2 + 2 + 2 + 2 (the note) + 1
    CHECK(events[0].reason == "BSM");
    CHECK(events[0].from_state == "open");
    CHECK(events[0].to_state == "on_hold");
    CHECK(events.back().reason == "DEC");
}

TEST_CASE("the state machine: every reason has a state, and ended placements stay ended")
{
    CHECK(state_for(ReturnReason::Settled) == "settled");
    CHECK(state_for(ReturnReason::Recalled) == "recalled");
    CHECK(state_for(ReturnReason::MentalHealthCrisis) == "on_hold");
    CHECK(state_for(ReturnReason::InsolvencyIva) == "returned");
    CHECK(state_for(ReturnReason::Traced) == "open");
    CHECK(may_move("open", "returned"));
    CHECK(may_move("on_hold", "open"));
    CHECK(may_move("returned", "returned"));
    CHECK_FALSE(may_move("settled", "open"));
    CHECK_FALSE(may_move("recalled", "on_hold"));
}

TEST_CASE("a trace result is stored for the coordinator against the placement")
{
    Workspace work;
    model::TraceLine trace;
    trace.account = { "REF-A2", {} };
    trace.date = date("2026-11-28");
    trace.traced = true;
    trace.fields = { { "address_line1", "1 New Street" }, { "postcode", "AB1 2CD" } };
    auto const summary = expect_ok(work.apply(facts("trace.csv", "s1", ReturnKind::Trace), { model::ReturnLine { 2, trace } }));
    CHECK(summary.traces == 1);
    store::Returns returns(*work.ledger);
    std::vector<store::MatchedPlacement> placements;
    expect_ok(returns.placements_with_pseudonym("agency-a", "REF-A2", placements));
    CHECK(expect_ok(returns.count_traces(placements[0].id)) == 1);
}

TEST_CASE("an error mid-file leaves nothing of the file applied, and the rerun applies it whole")
{
    Workspace work;
    auto const file = facts("p.csv", "s1", ReturnKind::Payment);
    {
        ReturnApplier applier(*work.ledger, work.agency, &work.pseudonyms, today);
        REQUIRE(expect_ok(applier.begin(file)) == FileOutcome::Applied);
        expect_ok(applier.accept(payment_line(2, "REF-A2", "PAY-1", 100)));
        expect_ok(applier.accept(payment_line(3, "REF-NEVER", "PAY-2", 100)));
        // The reader fails here (injected): the applier is abandoned without finish().
    }
    store::Returns returns(*work.ledger);
    CHECK_FALSE(expect_ok(returns.find_file("agency-a", "s1")));
    CHECK_FALSE(expect_ok(returns.find_payment("agency-a", "PAY-1")));
    CHECK(expect_ok(returns.list_suspense(std::nullopt, std::nullopt)).empty());
    auto const rerun = expect_ok(work.apply(file, { payment_line(2, "REF-A2", "PAY-1", 100), payment_line(3, "REF-NEVER", "PAY-2", 100) }));
    CHECK(rerun.outcome == FileOutcome::Applied);
    CHECK(rerun.counts.applied == 1);
    CHECK(rerun.counts.suspense == 1);
}

TEST_CASE("kill -9 in the middle of a file leaves nothing applied; the rerun applies every payment once")
{
    Workspace work;
    auto const file = facts("big.csv", "s1", ReturnKind::Payment);
    auto const lines = many_payments(2000);
    work.ledger.reset(); // the child opens its own connection
    pid_t const child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        auto ledger = work.open();
        ReturnApplier applier(*ledger, work.agency, &work.pseudonyms, today);
        if (applier.begin(file).is_error())
            _exit(3);
        for (std::size_t index = 0; index < 1500; ++index)
            if (applier.accept(lines[index]).is_error())
                _exit(4);
        raise(SIGKILL);
        _exit(5);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    work.ledger = work.open();
    store::Returns returns(*work.ledger);
    CHECK_FALSE(expect_ok(returns.find_file("agency-a", "s1")));
    CHECK_FALSE(expect_ok(returns.find_payment("agency-a", "PAY-0")));
    auto const rerun = expect_ok(work.apply(file, lines));
    CHECK(rerun.counts.applied == 2000);
    CHECK(rerun.payments.gross_pence == 2000);
    auto const again = expect_ok(work.apply(file, lines));
    CHECK(again.outcome == FileOutcome::AlreadyApplied);
    std::int64_t count = 0;
    expect_ok(returns.for_each_payment({}, [&](store::MoneyRecord const&) { ++count; }));
    CHECK(count == 2000);
}

TEST_CASE("a refused file is kept with its reason and never applied")
{
    Workspace work;
    ReturnApplier applier(*work.ledger, work.agency, &work.pseudonyms, today);
    auto const id = expect_ok(applier.refuse(facts("x.csv", "s9", ReturnKind::Payment), "the signature does not verify"));
    CHECK(expect_ok(applier.refuse(facts("x.csv", "s9", ReturnKind::Payment), "again")) == id);
    CHECK(expect_ok(applier.begin(facts("x.csv", "s9", ReturnKind::Payment))) == FileOutcome::AlreadyApplied);
    store::Returns returns(*work.ledger);
    auto const file = expect_ok(returns.find_file("agency-a", "s9"));
    REQUIRE(file);
    CHECK(file->state == store::InboundState::Refused);
    CHECK(file->refusal_reason == "the signature does not verify");
}

TEST_CASE("a quarantined line keeps file, line, field and reason, and no personal data")
{
    Workspace work;
    model::Rejection rejection { "a.csv", 7, "A1", "Jane Doe", "amount", "'12.50' where minor units are declared" };
    auto const summary = expect_ok(work.apply(facts("a.csv", "s1", ReturnKind::Payment), {}, { rejection }));
    CHECK(summary.counts.quarantined == 1);
    // The quarantine table has no column for a reference or a name (migration 6); the
    // rejection's account_ref and person_ref are not copied anywhere.
    store::Returns returns(*work.ledger);
    CHECK(expect_ok(returns.count_quarantine(summary.file_id)) == 1);
    CHECK(expect_ok(returns.list_suspense(std::nullopt, std::nullopt)).empty());
}
