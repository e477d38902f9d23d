// `audit verify` checks subject lists while it reads the entries when the disclosures'
// lists arrive in order, and in a sorted pass afterwards when they do not: both must find
// the same things. Logs of more than one hand-over batch (4096 rows), so lists are checked
// both during the walk and at its end.
#include "gateway/audit/journal.hpp"
#include "gateway/audit/verify.hpp"

#include "../store/ledger_test_support.hpp"

using namespace dcagw;
using namespace dcagw::audit;
using dcagw::store::testing::expect_ok;
using dcagw::store::testing::open_ledger;
using dcagw::store::testing::TemporaryFolder;

namespace {

// A disclosure of `subjects` subjects in `list`, committing to `claimed_count` of them.
void disclose(store::Ledger& ledger, Journal& journal, std::int64_t list, int subjects, std::int64_t claimed_count)
{
    auto recorder = expect_ok(SubjectRecorder::open(ledger));
    for (int i = 1; i <= subjects; ++i)
        expect_ok(recorder->add(list, "A-" + std::to_string(list) + "-" + std::to_string(i), "P-" + std::to_string(list) + "-" + std::to_string(i), "X"));
    auto const [count, digest] = recorder->finish_list(list);
    Disclosure disclosure;
    disclosure.agency = "agency-one";
    disclosure.file_name = "list-" + std::to_string(list) + ".csv.age";
    disclosure.record_count = count;
    disclosure.subject_list = list;
    disclosure.subject_count = claimed_count;
    disclosure.subject_digest = digest;
    expect_ok(journal.record_disclosure(disclosure));
    expect_ok(recorder->flush());
}

void deliveries(Journal& journal, int count)
{
    for (int i = 0; i < count; ++i)
        expect_ok(journal.record_delivery({ "agency-one", "list-10.csv.age", "abc", "sftp", "sftp.agency:/in", "accepted" }));
}

} // namespace

TEST_CASE("verify: lists in order, checked during the walk; a wrong count is named")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Journal journal(*ledger, "scheduler");
    expect_ok(ledger->begin());
    disclose(*ledger, journal, 10, 3, 3);
    deliveries(journal, 5000);
    disclose(*ledger, journal, 20, 300, 300);
    expect_ok(ledger->commit());
    auto report = expect_ok(verify_ledger(*ledger, {}));
    CHECK(report.ok());
    CHECK(report.subjects == 303);
    CHECK(report.entries == 5002);

    expect_ok(ledger->begin());
    disclose(*ledger, journal, 30, 2, 5);  // commits to 5 subjects, stores 2
    deliveries(journal, 5000);
    disclose(*ledger, journal, 40, 1, 1);
    expect_ok(ledger->commit());
    report = expect_ok(verify_ledger(*ledger, {}));
    CHECK_FALSE(report.ok());
    CHECK(report.problems.size() == 1);
    CHECK(report.first_bad_entry == std::optional<std::int64_t>(5003));
    CHECK(report.subjects == 306);
}

TEST_CASE("verify: lists out of order are checked in a sorted pass with the same findings")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Journal journal(*ledger, "scheduler");
    expect_ok(ledger->begin());
    disclose(*ledger, journal, 10, 3, 3);
    deliveries(journal, 5000);
    disclose(*ledger, journal, 30, 2, 2);
    disclose(*ledger, journal, 20, 257, 257);
    deliveries(journal, 5000);
    disclose(*ledger, journal, 5, 1, 1);
    expect_ok(ledger->commit());
    auto report = expect_ok(verify_ledger(*ledger, {}));
    CHECK(report.ok());
    CHECK(report.subjects == 263);

    // A later disclosure of list 10 that commits to the wrong count.
    expect_ok(ledger->begin());
    Disclosure wrong;
    wrong.agency = "agency-one";
    wrong.file_name = "again.csv.age";
    wrong.subject_list = 10;
    wrong.subject_count = 4;
    wrong.subject_digest = Hash {};
    auto const wrong_entry = expect_ok(journal.record_disclosure(wrong));
    expect_ok(ledger->commit());
    report = expect_ok(verify_ledger(*ledger, {}));
    CHECK_FALSE(report.ok());
    CHECK(report.problems.size() == 1);
    CHECK(report.first_bad_entry == std::optional<std::int64_t>(wrong_entry));
    CHECK(report.subjects == 263);
}

namespace {

// An inbound entry (data received) about `subjects` subjects, in the next inbound list.
std::int64_t receive(store::Ledger& ledger, Journal& journal, int subjects, std::int64_t claimed_count)
{
    auto const list = expect_ok(ledger.audit().next_inbound_list());
    auto recorder = expect_ok(SubjectRecorder::open(ledger));
    for (int i = 1; i <= subjects; ++i)
        expect_ok(recorder->add(list, "A-in-" + std::to_string(i), "P-in-" + std::to_string(i), "X"));
    auto const [count, digest] = recorder->finish_list(list);
    Inbound inbound;
    inbound.agency = "agency-one";
    inbound.file_name = "20261201-payments.csv";
    inbound.return_kind = "payment";
    inbound.fields = { "payment_id", "amount" };
    inbound.record_count = subjects;
    inbound.subject_list = list;
    inbound.subject_count = claimed_count;
    inbound.subject_digest = digest;
    auto const sequence = expect_ok(journal.record_inbound(inbound));
    expect_ok(recorder->flush());
    return sequence;
}

} // namespace

TEST_CASE("verify: inbound lists between disclosures are checked with them; a wrong count is named")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Journal journal(*ledger, "scheduler");
    expect_ok(ledger->begin());
    disclose(*ledger, journal, 10, 3, 3);
    receive(*ledger, journal, 2, 2);
    deliveries(journal, 5000);
    disclose(*ledger, journal, 20, 300, 300);
    receive(*ledger, journal, 257, 257);
    disclose(*ledger, journal, 30, 1, 1);
    expect_ok(ledger->commit());
    auto report = expect_ok(verify_ledger(*ledger, {}));
    for (auto const& problem : report.problems)
        UNSCOPED_INFO(problem);
    CHECK(report.ok());
    CHECK(report.subjects == 3 + 2 + 300 + 257 + 1);
    CHECK(expect_ok(ledger->audit().next_inbound_list()) == store::inbound_subject_list_base + 2);

    expect_ok(ledger->begin());
    auto const wrong = receive(*ledger, journal, 2, 3);  // commits to 3, stores 2
    disclose(*ledger, journal, 40, 1, 1);
    expect_ok(ledger->commit());
    report = expect_ok(verify_ledger(*ledger, {}));
    CHECK_FALSE(report.ok());
    CHECK(report.problems.size() == 1);
    CHECK(report.first_bad_entry == std::optional<std::int64_t>(wrong));
}
