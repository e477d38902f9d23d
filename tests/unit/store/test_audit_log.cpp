// The audit tables at the store level: entries only in sequence, subjects in ordinal
// order and stored in blocks, the index found through every chunk, rollback forgetting
// buffered rows, purge.
#include "gateway/store/audit_log.hpp"

#include "ledger_test_support.hpp"

using namespace dcagw;
using namespace dcagw::store;
using namespace dcagw::store::testing;

namespace {

AuditEntryRow entry(std::int64_t sequence, std::string_view kind, std::optional<std::int64_t> list = std::nullopt)
{
    static std::string const hash(32, '\x01');
    AuditEntryRow row;
    row.sequence = sequence;
    row.kind = kind;
    row.recorded_at = "2026-11-23T12:00:00Z";
    row.subject_list = list;
    row.body = "body";
    row.entry_hash = hash;
    return row;
}

} // namespace

TEST_CASE("audit log: entries are appended in sequence only")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto& log = ledger->audit();
    CHECK_FALSE(expect_ok(log.head()).has_value());
    CHECK_FALSE(log.append_entry(entry(2, "command")).ok());
    expect_ok(log.append_entry(entry(1, "command")));
    CHECK_FALSE(log.append_entry(entry(1, "command")).ok());
    expect_ok(log.append_entry(entry(2, "purge")));
    CHECK(expect_ok(log.head())->first == 2);
    int seen = 0;
    expect_ok(log.last_entry_of_kind("command", [&](AuditEntryRow const& row) {
        CHECK(row.sequence == 1);
        ++seen;
        return true;
    }));
    CHECK(seen == 1);
}

TEST_CASE("audit log: subjects in blocks, the index across chunks, rollback and purge")
{
    TemporaryFolder folder;
    auto ledger = open_ledger(folder.state());
    auto& log = ledger->audit();
    expect_ok(ledger->begin());
    // Two lists interleaved, as two agencies' files fill in one run.
    for (std::int64_t i = 1; i <= 300; ++i) {
        for (std::int64_t list : { 10, 11 }) {
            auto const account = "A" + std::to_string(list) + "-" + std::to_string(i);
            expect_ok(log.add_subject({ list, i, account, "P-" + std::to_string(i), "X" }, static_cast<std::uint64_t>(list * 1000 + i), 7));
        }
    }
    CHECK_FALSE(log.add_subject({ 10, 302, "A", "P", "X" }, 1, 2).ok());  // ordinal 301 is next
    expect_ok(log.flush_subject_index());
    expect_ok(ledger->commit());
    CHECK(expect_ok(log.subject_count()) == 600);
    CHECK(expect_ok(log.subject_index_count()) == 1200);

    std::vector<std::pair<std::int64_t, std::int64_t>> blocks;
    auto cursor = expect_ok(log.subject_cursor());
    AuditSubjectBlock block;
    while (expect_ok(cursor.next(block)))
        blocks.emplace_back(block.list, block.subject_count);
    CHECK(blocks == std::vector<std::pair<std::int64_t, std::int64_t>> { { 10, 256 }, { 10, 44 }, { 11, 256 }, { 11, 44 } });

    // Key 7 (every person_ref here) finds all 600; key 10257 one subject.
    int found = 0;
    expect_ok(log.subjects_with_key(7, [&](AuditSubjectRow const&) {
        ++found;
        return true;
    }));
    CHECK(found == 600);
    expect_ok(log.subjects_with_key(10257, [&](AuditSubjectRow const& row) {
        CHECK(row.list == 10);
        CHECK(row.ordinal == 257);
        CHECK(row.account_ref == "A10-257");
        return true;
    }));

    // A second chunk; rolled back rows leave no trace.
    expect_ok(ledger->begin());
    expect_ok(log.add_subject({ 12, 1, "B", "Q", "Y" }, 99, 98));
    expect_ok(ledger->rollback());
    expect_ok(ledger->begin());
    expect_ok(log.add_subject({ 13, 1, "C", "C", "Z" }, 77, 77));
    expect_ok(log.flush_subject_index());
    expect_ok(ledger->commit());
    CHECK(expect_ok(log.subject_count()) == 601);
    CHECK(expect_ok(log.subject_index_count()) == 1201);
    int c_found = 0;
    expect_ok(log.subjects_with_key(77, [&](AuditSubjectRow const& row) {
        CHECK(row.account_ref == "C");
        ++c_found;
        return true;
    }));
    CHECK(c_found == 1);
    CHECK(expect_ok(log.subject_index_count(12)) == 1);

    CHECK(expect_ok(log.purge_subjects_through(11)) == 600);
    CHECK(expect_ok(log.subject_count()) == 1);
    found = 0;
    expect_ok(log.subjects_with_key(7, [&](AuditSubjectRow const&) {
        ++found;
        return true;
    }));
    CHECK(found == 0);
}
