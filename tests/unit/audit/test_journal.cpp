// The journal's API for every kind of entry, as the placement run and (later) the
// transport will call it, checked through verification and the two queries.
#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/queries.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/store/audit_log.hpp"

#include "../store/ledger_test_support.hpp"
#include "tests/support/signing_keys.hpp"

#include <cstdlib>
#include <fstream>
#include <pwd.h>
#include <unistd.h>

using namespace dcagw;
using namespace dcagw::audit;
using dcagw::store::testing::expect_ok;
using dcagw::store::testing::open_ledger;
using dcagw::store::testing::TemporaryFolder;

namespace {

// A disclosure of three subjects in list 7, then one entry of every other kind.
void record_sample(store::Ledger& ledger)
{
    Journal journal(ledger, "operator:test");
    expect_ok(ledger.begin());
    auto subjects = expect_ok(SubjectRecorder::open(ledger));
    expect_ok(subjects->add(7, "A-1", "P-1", "PSEUDO-A1"));
    expect_ok(subjects->add(7, "A-2", "P-2", "PSEUDO-A2"));
    expect_ok(subjects->add(7, "A-2", "P-3", "PSEUDO-A2"));
    auto const [count, digest] = subjects->finish_list(7);
    CHECK(count == 3);
    Disclosure disclosure;
    disclosure.agency = "agency-one";
    disclosure.purpose = "debt recovery";
    disclosure.lawful_basis = "public task";
    disclosure.agreement_reference = "DSA-1";
    disclosure.agreement_version = "2";
    disclosure.fields = { "account_number", "balance" };
    disclosure.record_count = 3;
    disclosure.file_name = "f1.csv.age";
    disclosure.encryption = "age";
    disclosure.recipients = { "age1example" };
    disclosure.subject_list = 7;
    disclosure.subject_count = count;
    disclosure.subject_digest = digest;
    CHECK(expect_ok(journal.record_disclosure(disclosure)) == 1);
    expect_ok(subjects->flush());
    expect_ok(ledger.commit());

    CHECK(expect_ok(journal.record_delivery({ "agency-one", "f1.csv.age", "abc", "sftp", "sftp.agency:/in", "accepted 3 rows" })) == 2);
    CHECK(expect_ok(journal.record_acknowledgement({ "agency-one", "f1.csv.age", "received", "ACK-9", "", {} })) == 3);
    CHECK(expect_ok(journal.record_collection({ "agency-one", "returns.csv.age", "def", 99, "sftp.agency:/out", "/var/lib/dcagw/in/x" })) == 4);
    CHECK(expect_ok(journal.record_key("generated", "ed25519", "dcagw-ed25519-public-1...", "/keys/k")) == 5);
    CHECK(expect_ok(journal.record_command("placements recall", "A-1 at agency-one")) == 6);
}

} // namespace

TEST_CASE("journal: every kind of entry chains and verifies; queries find subjects and their deliveries")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    record_sample(*ledger);

    auto report = expect_ok(verify_ledger(*ledger, {}));
    CHECK(report.ok());
    CHECK(report.entries == 6);
    CHECK(report.subjects == 3);

    auto const shares = expect_ok(subject_shares(*ledger, "P-3"));
    REQUIRE(shares.size() == 1);
    CHECK(shares[0].account_ref == "A-2");
    CHECK(shares[0].file.fields == std::vector<std::string> { "account_number", "balance" });
    CHECK(shares[0].file.agreement_reference == "DSA-1");
    REQUIRE(shares[0].file.deliveries.size() == 1);
    CHECK(shares[0].file.deliveries[0].detail == "sftp to sftp.agency:/in, receipt accepted 3 rows");
    REQUIRE(shares[0].file.acknowledgements.size() == 1);
    CHECK(shares[0].file.acknowledgements[0].detail == "received (ACK-9)");
    CHECK(expect_ok(subject_shares(*ledger, "A-2")).size() == 2);  // both people of the account
    CHECK(expect_ok(subject_shares(*ledger, "P-9")).empty());
    CHECK(expect_ok(subject_shares(*ledger, "PSEUDO-A1")).empty());  // pseudonyms are not references

    auto const today = utc_now().substr(0, 10);
    auto const report_rows = expect_ok(shares_report(*ledger, today, today, std::nullopt));
    REQUIRE(report_rows.size() == 1);
    CHECK(report_rows[0].records == 3);
    CHECK(report_rows[0].deliveries == 1);
    CHECK(report_rows[0].acknowledgements == 1);
    CHECK(expect_ok(shares_report(*ledger, "2001-01-01", "2001-12-31", std::nullopt)).empty());
}

TEST_CASE("journal: checkpoints are stored, appended to the file and checked by verify")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    record_sample(*ledger);
    auto const key = test::signing_key_from_seed_byte(0x42);
    auto const file = folder.path() / "checkpoints.txt";
    auto const checkpoint = expect_ok(write_checkpoint(*ledger, key, file, "scheduler"));
    CHECK(checkpoint.count == 6);
    CHECK(expect_ok(ledger->audit().head())->first == 7);  // the checkpoint entry itself

    auto const lines = expect_ok(read_checkpoint_file(file));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].checkpoint.value().line() == checkpoint.line());

    VerifyOptions options;
    options.key = key.public_key();
    options.checkpoint_file = file;
    auto report = expect_ok(verify_ledger(*ledger, options));
    CHECK(report.ok());
    CHECK(report.checkpoints == 2);

    // Another key's checkpoints do not verify.
    options.key = test::signing_key_from_seed_byte(0x00).public_key();
    report = expect_ok(verify_ledger(*ledger, options));
    CHECK_FALSE(report.ok());

    // Not due again at once: nothing but the checkpoint entry was added.
    model::GatewayConfig config;
    CHECK_FALSE(expect_ok(checkpoint_if_due(*ledger, config, "scheduler")).has_value());
}

TEST_CASE("journal: a configuration change is recorded once per distinct file content")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Journal journal(*ledger, "scheduler");
    auto const path = folder.path() / "gateway.json";
    std::ofstream(path) << "{\"a\": 1}";
    CHECK(expect_ok(journal.record_config_if_changed(path)).has_value());
    CHECK_FALSE(expect_ok(journal.record_config_if_changed(path)).has_value());
    std::ofstream(path) << "{\"a\": 2}";
    CHECK(expect_ok(journal.record_config_if_changed(path)).has_value());
}

TEST_CASE("journal: entries appended inside a transaction that rolls back leave no trace")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Journal journal(*ledger, "scheduler");
    expect_ok(journal.record_command("a", ""));
    expect_ok(ledger->begin());
    auto subjects = expect_ok(SubjectRecorder::open(*ledger));
    expect_ok(subjects->add(1, "A", "P", "X"));
    expect_ok(journal.record_command("b", ""));
    expect_ok(ledger->rollback());
    CHECK(expect_ok(ledger->audit().head())->first == 1);
    CHECK(expect_ok(journal.record_command("c", "")) == 2);
    CHECK(expect_ok(verify_ledger(*ledger, {})).ok());
    CHECK(expect_ok(ledger->audit().subject_count()) == 0);
}

TEST_CASE("journal: subjects span blocks of 256; every one is found by the index and verifies")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Journal journal(*ledger, "scheduler");
    expect_ok(ledger->begin());
    auto subjects = expect_ok(SubjectRecorder::open(*ledger));
    for (int i = 1; i <= 600; ++i)
        expect_ok(subjects->add(3, "A-" + std::to_string(i), i % 2 == 0 ? "A-" + std::to_string(i) : "P-" + std::to_string(i), "X"));
    auto const [count, digest] = subjects->finish_list(3);
    Disclosure disclosure;
    disclosure.agency = "agency-one";
    disclosure.file_name = "big.csv.age";
    disclosure.record_count = count;
    disclosure.subject_list = 3;
    disclosure.subject_count = count;
    disclosure.subject_digest = digest;
    expect_ok(journal.record_disclosure(disclosure));
    expect_ok(subjects->flush());
    expect_ok(ledger->commit());

    CHECK(expect_ok(ledger->audit().subject_count()) == 600);
    CHECK(expect_ok(ledger->audit().subject_index_count()) == 900);  // one entry when both references are the same
    for (int i : { 1, 256, 257, 512, 513, 600 }) {
        INFO("subject " << i);
        auto const shares = expect_ok(subject_shares(*ledger, "A-" + std::to_string(i)));
        REQUIRE(shares.size() == 1);
        CHECK(shares[0].file.file_name == "big.csv.age");
    }
    CHECK(expect_ok(subject_shares(*ledger, "P-599")).size() == 1);
    CHECK(expect_ok(subject_shares(*ledger, "P-600")).empty());
    std::int64_t ordinal = 0;
    expect_ok(ledger->audit().subjects_of_list(3, [&](store::AuditSubjectRow const& row) {
        CHECK(row.ordinal == ++ordinal);
        CHECK(row.account_ref == "A-" + std::to_string(ordinal));
        return true;
    }));
    CHECK(ordinal == 600);
    auto const report = expect_ok(verify_ledger(*ledger, {}));
    CHECK(report.ok());
    CHECK(report.subjects == 600);
}

TEST_CASE("journal: a file sent as age and OpenPGP is two disclosures of one subject list, and verifies")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    Journal journal(*ledger, "scheduler");
    expect_ok(ledger->begin());
    auto subjects = expect_ok(SubjectRecorder::open(*ledger));
    expect_ok(subjects->add(5, "A-1", "P-1", "X1"));
    expect_ok(subjects->add(5, "A-2", "P-2", "X2"));
    auto const [count, digest] = subjects->finish_list(5);
    for (auto const* name : { "f.csv.age", "f.csv.asc" }) {
        Disclosure disclosure;
        disclosure.agency = "agency-one";
        disclosure.file_name = name;
        disclosure.encryption = std::string_view(name).ends_with(".age") ? "age" : "openpgp";
        disclosure.subject_list = 5;
        disclosure.subject_count = count;
        disclosure.subject_digest = digest;
        expect_ok(journal.record_disclosure(disclosure));
    }
    expect_ok(subjects->flush());
    expect_ok(ledger->commit());
    auto const report = expect_ok(verify_ledger(*ledger, {}));
    CHECK(report.ok());
    CHECK(expect_ok(subject_shares(*ledger, "P-2")).size() == 2);

    // A second disclosure that commits to a different count is caught.
    Disclosure wrong;
    wrong.agency = "agency-one";
    wrong.file_name = "g.csv.age";
    wrong.subject_list = 5;
    wrong.subject_count = 3;
    wrong.subject_digest = digest;
    expect_ok(journal.record_disclosure(wrong));
    auto const bad = expect_ok(verify_ledger(*ledger, {}));
    CHECK_FALSE(bad.ok());
    CHECK(bad.first_bad_entry == std::optional<std::int64_t>(3));
}

TEST_CASE("journal: the actor names the OS user as well as the self-asserted one")
{
    // The expected name is looked up here independently of os_user().
    struct passwd const* user = ::getpwuid(::geteuid());
    std::string const os = user != nullptr ? user->pw_name : "uid-" + std::to_string(::geteuid());
    auto const saved = std::getenv("DCAGW_ACTOR") ? std::optional<std::string>(std::getenv("DCAGW_ACTOR")) : std::nullopt;
    ::setenv("DCAGW_ACTOR", "scheduler", 1);
    CHECK(current_actor() == "scheduler (os: " + os + ")");
    ::setenv("DCAGW_ACTOR", "operator:alice", 1);
    CHECK(current_actor() == "operator:alice (os: " + os + ")");  // alice may say so; the OS user is recorded beside it
    ::unsetenv("DCAGW_ACTOR");
    ::setenv("LOGNAME", "bob", 1);
    CHECK(current_actor() == "operator:bob (os: " + os + ")");
    if (saved)
        ::setenv("DCAGW_ACTOR", saved->c_str(), 1);
}
