// Pipeline pieces on their own: file names, the duplicate index, crash recovery.
#include "gateway/base/file.hpp"
#include "gateway/cases/case_reader.hpp"
#include "gateway/pipeline/agency_output.hpp"
#include "gateway/pipeline/duplicates.hpp"
#include "gateway/pipeline/place.hpp"
#include "gateway/store/ledger.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace dcagw;

namespace {

fs::path fresh_folder(std::string const& name)
{
    auto const folder = fs::temp_directory_path() / ("dcagw-pipeline-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(folder);
    fs::create_directories(folder);
    return folder;
}

std::string const header = "account_ref,person_ref,debt_type,balance_pence,first_name,last_name,address_line1,postcode\n";

} // namespace

TEST_CASE("file names follow the mapping's pattern, and a second file of the day never collides")
{
    auto const date = *base::Date::parse("2026-11-23");
    CHECK(pipeline::expand_file_name("{date}-placement.csv", "ophelos", date, 1) == "20261123-placement.csv");
    CHECK(pipeline::expand_file_name("{date}-placement.csv", "ophelos", date, 2) == "20261123-placement-2.csv");
    CHECK(pipeline::expand_file_name("{date}-indebted-accounts-{sequence:3}.csv", "indebted", date, 7) == "20261123-indebted-accounts-007.csv");
    CHECK(pipeline::expand_file_name("{agency}-{date}-{sequence}.xml", "generic-xml", date, 12) == "generic-xml-20261123-12.xml");
}

TEST_CASE("the duplicate index finds repeated keys, whether their rows agree, and shared accounts")
{
    auto const folder = fresh_folder("duplicates");
    std::ofstream(folder / "cases.csv") << header
                                        << "A1,P1,FTA,100,Ann,One,1 Road,CF10 1AA\n"   // line 2
                                        << "A2,P2,FTA,200,Bob,Two,2 Road,CF10 1AA\n"   // line 3: same key as line 5, differs
                                        << "A1,P1,FTA,100,Ann,One,1 Road,CF10 1AA\n"   // line 4: identical to line 2
                                        << "A2,P2,FTA,999,Bob,Two,2 Road,CF10 1AA\n"   // line 5
                                        << "A3,P3,FTA,300,Cy,Three,3 Road,CF10 1AA\n"  // line 6: joint account A3
                                        << "A3,P4,FTA,300,Di,Four,3 Road,CF10 1AA\n"   // line 7
                                        << "A4,P5,FTA,400,Ed,Five,4 Road,CF10 1AA\n";  // line 8: alone
    auto reader = cases::open_case_reader(folder / "cases.csv", model::InputFormat::Auto, {}, "cases.csv");
    REQUIRE(reader.ok());
    auto index = pipeline::DuplicateIndex::build(*reader.value(), folder / "scratch");
    REQUIRE(index.ok());
    CHECK(index.value().size() == 2);

    auto key_of = [](std::string_view account, std::string_view person) {
        model::RawRecord record;
        record.values[model::index_of(model::CaseField::account_ref)] = account;
        record.values[model::index_of(model::CaseField::person_ref)] = person;
        return pipeline::key_fingerprint(record);
    };
    auto const* identical = index.value().find(key_of("A1", "P1"));
    REQUIRE(identical != nullptr);
    CHECK_FALSE(identical->rows_disagree);
    CHECK(identical->first_line == 2);
    CHECK(identical->occurrences == 2);
    auto const* disagreeing = index.value().find(key_of("A2", "P2"));
    REQUIRE(disagreeing != nullptr);
    CHECK(disagreeing->rows_disagree);
    CHECK(disagreeing->first_line == 3);
    CHECK(index.value().find(key_of("A4", "P5")) == nullptr);

    CHECK(index.value().account_is_shared(pipeline::account_fingerprint("A3")));
    CHECK(index.value().account_is_shared(pipeline::account_fingerprint("A1")));
    CHECK_FALSE(index.value().account_is_shared(pipeline::account_fingerprint("A4")));
    // The scratch files are unlinked as soon as they are created.
    CHECK(fs::is_empty(folder / "scratch"));
    fs::remove_all(folder);
}

TEST_CASE("recovery discards unfinished files and finishes sealed ones")
{
    auto const folder = fresh_folder("recovery");
    model::GatewayConfig config;
    config.state_directory = folder / "state";
    auto ledger = store::Ledger::open(config.state_directory, store::OpenMode::Create);
    REQUIRE(ledger.ok());
    auto const run = ledger.value()->begin_run("place", "cases.csv", "2026-11-23");
    REQUIRE(run.ok());
    auto const spool = pipeline::spool_folder(config, "agency-a");
    REQUIRE(base::ensure_private_directory(spool).ok());

    // A killed run left one file half written (batch "writing") and one complete and
    // committed but not yet renamed (batch "sealed").
    auto make_batch = [&](std::string const& name, store::BatchStatus status) {
        auto const temporary = spool / ("." + name + ".tmp-1");
        std::ofstream(temporary) << "age-encryption.org/v1\n...";
        store::Batch batch;
        batch.run = run.value();
        batch.agency = "agency-a";
        batch.file_name = name;
        batch.temporary_path = temporary.string();
        batch.final_path = (spool / name).string();
        batch.status = store::BatchStatus::Writing;
        REQUIRE(ledger.value()->next_sequence("agency-a", "20261123").ok());
        auto const id = ledger.value()->create_batch(batch);
        REQUIRE(id.ok());
        if (status == store::BatchStatus::Sealed)
            REQUIRE(ledger.value()->update_batch(id.value(), status, 3, 20, "ab").ok());
        return temporary;
    };
    auto const unfinished = make_batch("20261123-placement.csv.age", store::BatchStatus::Writing);
    auto const sealed = make_batch("20261123-placement-2.csv.age", store::BatchStatus::Sealed);
    ledger.value().reset();

    auto actions = pipeline::recover_interrupted_batches(config);
    REQUIRE(actions.ok());
    REQUIRE(actions.value().size() == 3);
    CHECK(actions.value()[2] == "marked run " + std::to_string(run.value()) + " as interrupted");
    CHECK_FALSE(fs::exists(unfinished));
    CHECK_FALSE(fs::exists(spool / "20261123-placement.csv.age"));
    CHECK_FALSE(fs::exists(sealed));
    CHECK(fs::exists(spool / "20261123-placement-2.csv.age"));

    auto reopened = store::Ledger::open(config.state_directory, store::OpenMode::Create);
    REQUIRE(reopened.ok());
    CHECK(reopened.value()->batches_with_status(store::BatchStatus::Writing).value().empty());
    CHECK(reopened.value()->batches_with_status(store::BatchStatus::Sealed).value().empty());
    CHECK(reopened.value()->batches_with_status(store::BatchStatus::Spooled).value().size() == 1);
    CHECK(reopened.value()->batches_with_status(store::BatchStatus::Abandoned).value().size() == 1);
    reopened.value().reset();

    // Recovery is idempotent: a second pass finds nothing to do.
    auto again = pipeline::recover_interrupted_batches(config);
    REQUIRE(again.ok());
    CHECK(again.value().empty());
    fs::remove_all(folder);
}
