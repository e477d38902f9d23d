// Recovery acts only on the files its batch rows name in the agency's spool folder: a row
// edited to name a file elsewhere, or a link in the spool, stops recovery with the row
// named, and nothing outside the state directory is deleted or created (issue 12, item 1).
#include "../../support/ledger_tamper.hpp"
#include "gateway/pipeline/agency_output.hpp"
#include "gateway/pipeline/place.hpp"
#include "gateway/store/ledger.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace dcagw;
using dcagw::testing::sql_text;
using dcagw::testing::tamper_with_ledger;

namespace {

struct Interrupted {
    Interrupted()
    {
        root = fs::temp_directory_path() / ("dcagw-recovery-paths-" + std::to_string(::getpid()));
        fs::remove_all(root);
        fs::create_directories(root);
        config.state_directory = root / "state";
        spool = pipeline::spool_folder(config, "agency-a");
        fs::create_directories(spool);
        outside = root / "precious.txt";
        std::ofstream(outside) << "not the gateway's";
    }
    ~Interrupted() { fs::remove_all(root); }

    // A batch as a killed run leaves it: `writing` (temporary file only) or `sealed`.
    std::int64_t batch(std::string const& name, store::BatchStatus status)
    {
        auto ledger = store::Ledger::open(config.state_directory, store::OpenMode::Create).release_value();
        auto const run = ledger->begin_run("place", "cases.csv", "2026-11-23").release_value();
        auto const temporary = spool / ("." + name + ".tmp-1");
        std::ofstream(temporary) << "age-encryption.org/v1\n...";
        store::Batch batch;
        batch.run = run;
        batch.agency = "agency-a";
        batch.file_name = name;
        batch.temporary_path = temporary.string();
        batch.final_path = (spool / name).string();
        REQUIRE(ledger->next_sequence("agency-a", "20261123").ok());
        auto const id = ledger->create_batch(batch).release_value();
        if (status == store::BatchStatus::Sealed)
            REQUIRE(ledger->update_batch(id, status, 3, 20, "ab").ok());
        return id;
    }

    std::string recover_and_expect_refusal(std::string const& row)
    {
        auto const recovered = pipeline::recover_interrupted_batches(config);
        REQUIRE(recovered.is_error());
        CHECK(recovered.error().code() == base::ErrorCode::StoreCorrupt);
        CHECK_THAT(recovered.error().to_text(), Catch::Contains(row));
        return recovered.error().to_text();
    }

    fs::path root;
    model::GatewayConfig config;
    fs::path spool;
    fs::path outside;
};

} // namespace

TEST_CASE("recovery refuses a writing batch whose temporary path names a file outside the spool")
{
    Interrupted work;
    auto const id = work.batch("a.csv.age", store::BatchStatus::Writing);
    SECTION("absolute") { tamper_with_ledger(work.config.state_directory, "UPDATE batches SET temporary_path = " + sql_text(work.outside.string())); }
    SECTION("../") { tamper_with_ledger(work.config.state_directory, "UPDATE batches SET temporary_path = 'spool/agency-a/../../precious.txt'"); }
    work.recover_and_expect_refusal("batches " + std::to_string(id) + " temporary_path");
    CHECK(fs::exists(work.outside));
}

TEST_CASE("recovery refuses a sealed batch whose final path names a place outside the spool")
{
    Interrupted work;
    auto const id = work.batch("a.csv.age", store::BatchStatus::Sealed);
    auto const target = work.root / "planted.age";
    tamper_with_ledger(work.config.state_directory, "UPDATE batches SET final_path = " + sql_text(target.string()));
    work.recover_and_expect_refusal("batches " + std::to_string(id) + " final_path");
    CHECK_FALSE(fs::exists(target));
}

TEST_CASE("recovery refuses a link in the spool in place of a temporary file")
{
    Interrupted work;
    auto const id = work.batch("a.csv.age", store::BatchStatus::Writing);
    auto const temporary = work.spool / ".a.csv.age.tmp-1";
    fs::remove(temporary);
    fs::create_symlink(work.outside, temporary);
    work.recover_and_expect_refusal("batches " + std::to_string(id) + " temporary_path");
    CHECK(fs::exists(work.outside));
}
