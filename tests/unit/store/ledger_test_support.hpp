// Shared helpers for the store's unit tests: a private temporary state folder, and
// shortcuts that open a ledger and record a run, a batch or a placement.
#pragma once

#include "gateway/store/ledger.hpp"
#include "tests/support/temporary_folder.hpp"

#include "tests/support/expect_ok.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace dcagw::store::testing {

// The shared scratch folder, with the state directory the store's tests open in it.
class TemporaryFolder : public test::TemporaryFolder {
public:
    TemporaryFolder() : test::TemporaryFolder("store") {}
    std::filesystem::path state() const { return path() / "state"; }
};

// SQL that removes what migrations 6, 7 and 11 added (returns, postings, lifecycle), for tests that
// turn a ledger back into an earlier version.
inline constexpr char const* drop_returns_tables =
    "DROP TABLE lifecycle_messages; ALTER TABLE placements DROP COLUMN told_change_pence; ALTER TABLE placements DROP COLUMN told_hold; ALTER TABLE placements DROP COLUMN told_recall; ALTER TABLE placements DROP COLUMN posted_pence; ALTER TABLE placements DROP COLUMN posted_at; "
    "DROP TABLE posted_money; DROP TABLE posting_files; DROP TABLE return_quarantine; DROP TABLE trace_results; DROP TABLE suspense_items; DROP TABLE payout_lines; "
    "DROP TABLE payouts; DROP TABLE refunds; DROP TABLE payments; DROP TABLE return_events; DROP TABLE inbound_files; "
    "DROP TABLE pseudonym_index; DROP TABLE pseudonym_index_marks; ";

inline std::unique_ptr<Ledger> open_ledger(std::filesystem::path const& state)
{
    auto opened = Ledger::open(state, OpenMode::Create);
    if (opened.is_error())
        FAIL(opened.error().to_text());
    return opened.release_value();
}

using test::expect_ok;

inline std::int64_t make_batch(Ledger& ledger, std::int64_t run, std::string const& agency, std::string const& date, std::string const& name)
{
    Batch batch;
    batch.run = run;
    batch.agency = agency;
    batch.file_name = name;
    batch.temporary_path = "spool/" + agency + "/." + name + ".tmp";
    batch.final_path = "spool/" + agency + "/" + name;
    batch.file_date = date;
    batch.sequence = expect_ok(ledger.next_sequence(agency, date));
    return expect_ok(ledger.create_batch(batch));
}

inline PlacementRow make_row(std::int64_t run, std::int64_t batch, std::string_view agency, std::string_view account, std::string_view person,
    std::string_view pseudonym, std::int64_t field_set)
{
    PlacementRow row;
    row.run = run;
    row.batch = batch;
    row.agency = agency;
    row.account_ref = account;
    row.person_ref = person;
    row.pseudonym = pseudonym;
    row.debt_type = "FTA";
    row.balance_pence = 12345;
    row.field_set = field_set;
    return row;
}

} // namespace dcagw::store::testing
