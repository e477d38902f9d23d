// Collection decides by content, not by name and size: a new file reusing an old name and
// size is collected and flagged, never skipped and then lost when the server archives
// or deletes it (issue 12, item 6); the same content again is recognised.
#include "exchange_workspace.hpp"

namespace fs = std::filesystem;
using namespace dcagw;
using dcagw::exchange::testing::Workspace;
using dcagw::exchange::testing::agency_file;
using dcagw::exchange::testing::read_text;

TEST_CASE("a new file with the name and size of one collected before is collected and flagged")
{
    Workspace work;
    work.config.agencies[0].transport->after_collect = model::AfterCollect::Leave;
    agency_file(work, "returns.csv", "account,outcome\nA1,paid\n");
    REQUIRE(exchange::collect(work.config, work.options).ok());

    // The agency reuses the name for a new file of exactly the same size.
    agency_file(work, "returns.csv", "account,outcome\nA2,paid\n");
    auto const summary = exchange::collect(work.config, work.options);
    REQUIRE(summary.ok());
    auto const& agency = summary.value().agencies.at(0);
    CHECK(agency.collected == 1);
    CHECK(agency.already_collected == 0);
    CHECK(agency.same_name_different_content == 1);
    auto const& warnings = summary.value().warnings;
    auto const flagged = std::find_if(warnings.begin(), warnings.end(), [](std::string const& text) { return text.find("returns.csv") != std::string::npos; });
    REQUIRE(flagged != warnings.end());
    CHECK_THAT(*flagged, Catch::Contains("collected file 1") && Catch::Contains("both are kept"));
    CHECK_THAT(summary.value().to_json(), Catch::Contains("\"same_name_different_content\": 1"));
    CHECK(read_text(work.config.state_directory / "inbox/agency-a/returns.csv") == "account,outcome\nA1,paid\n");
    CHECK(read_text(work.config.state_directory / "inbox/agency-a/returns.csv.2") == "account,outcome\nA2,paid\n");

    auto ledger = store::Ledger::open(work.config.state_directory, store::OpenMode::Create).release_value();
    auto const collected = store::Transfers(*ledger).list_collected(std::nullopt).release_value();
    REQUIRE(collected.size() == 2);
    CHECK(collected[1].same_name_as == collected[0].id);
    CHECK(collected[1].local_path == "inbox/agency-a/returns.csv.2");
    ledger.reset();

    // The same content again: recognised after hashing, not collected a third time.
    auto const again = exchange::collect(work.config, work.options);
    REQUIRE(again.ok());
    CHECK(again.value().agencies.at(0).collected == 0);
    CHECK(again.value().agencies.at(0).already_collected == 1);
    CHECK(again.value().warnings.empty());
}

TEST_CASE("a reused name is archived on the server only after its new content is collected")
{
    Workspace work;
    work.config.agencies[0].transport->after_collect = model::AfterCollect::Delete;
    agency_file(work, "returns.csv", "first-1");
    REQUIRE(exchange::collect(work.config, work.options).ok());
    CHECK_FALSE(fs::exists(work.root / "server/outgoing/returns.csv"));
    agency_file(work, "returns.csv", "second2");
    REQUIRE(exchange::collect(work.config, work.options).ok());
    CHECK_FALSE(fs::exists(work.root / "server/outgoing/returns.csv"));
    CHECK(read_text(work.config.state_directory / "inbox/agency-a/returns.csv.2") == "second2");
}

TEST_CASE("an acknowledgement is refused when signed returns are required and no signature can be verified")
{
    Workspace work;
    auto& profile = *work.config.agencies[0].transport;
    profile.acknowledgement_suffix = ".ack";
    work.spool("f1.age", "one");
    REQUIRE(exchange::send(work.config, work.options).ok());
    REQUIRE(work.transfer(1).status == store::TransferStatus::Delivered);
    agency_file(work, "f1.age.ack", "received\n");

    SECTION("required: refused, kept, audited, not applied")
    {
        model::ReturnsProfile returns;
        returns.require_signature = true;
        work.config.agencies[0].returns = returns;
        auto const summary = exchange::collect(work.config, work.options);
        REQUIRE(summary.ok());
        auto const& agency = summary.value().agencies.at(0);
        CHECK(agency.acknowledgements == 0);
        CHECK(agency.refused == 1);
        CHECK(summary.value().has_refusals());
        REQUIRE(agency.errors.size() == 1);
        CHECK_THAT(agency.errors[0], Catch::Contains("not applied") && Catch::Contains("returns.require_signature"));
        CHECK(work.transfer(1).acknowledged_at.empty());
        CHECK(fs::exists(work.config.state_directory / "inbox/agency-a/f1.age.ack"));
        CHECK(work.audit_files("acknowledgement").empty());
        CHECK(work.audit_files("command").size() == 1);
    }
    SECTION("no returns section: applied as before")
    {
        auto const summary = exchange::collect(work.config, work.options);
        REQUIRE(summary.ok());
        CHECK(summary.value().agencies.at(0).acknowledgements == 1);
    }
    SECTION("not required: applied as before")
    {
        model::ReturnsProfile returns;
        returns.require_signature = false;
        work.config.agencies[0].returns = returns;
        auto const summary = exchange::collect(work.config, work.options);
        REQUIRE(summary.ok());
        CHECK(summary.value().agencies.at(0).acknowledgements == 1);
        CHECK_FALSE(work.transfer(1).acknowledged_at.empty());
    }
}
