// Send uploads only the file its transfer row names in the agency's spool folder: a row
// edited to name a file elsewhere ("/etc/passwd", "../"), or a link in the spool, is
// refused with the row named, and nothing is uploaded (issue 12, item 1).
#include "exchange_workspace.hpp"

#include "../../support/ledger_tamper.hpp"

namespace fs = std::filesystem;
using namespace dcagw;

using dcagw::exchange::testing::Workspace;
using dcagw::testing::sql_text;
using dcagw::testing::tamper_with_ledger;

namespace {

// A file outside the state directory whose size and hash the attacker writes into the
// row too, so that only the path check stands between it and the agency.
fs::path outside_secret(Workspace const& work)
{
    auto const secret = work.root / "secret-key";
    std::ofstream(secret) << "-----BEGIN OPENSSH PRIVATE KEY-----";
    return secret;
}

void point_transfer_at(Workspace& work, std::string const& path, std::string const& content)
{
    auto const hash = crypto::digest_hex(crypto::Sha256::digest(content));
    tamper_with_ledger(work.config.state_directory, "UPDATE transfers SET local_path = " + sql_text(path) + ", size_bytes = "
            + std::to_string(content.size()) + ", sha256 = " + sql_text(hash) + " WHERE id = 1");
}

void queue(Workspace& work)
{
    auto ledger = store::Ledger::open(work.config.state_directory, store::OpenMode::Create).release_value();
    REQUIRE(store::Transfers(*ledger).enqueue_spooled("agency-a").value() == 1);
}

void expect_refused(Workspace& work)
{
    auto const summary = exchange::send(work.config, work.options);
    REQUIRE(summary.ok());
    CHECK(summary.value().agencies.at(0).delivered == 0);
    CHECK(summary.value().agencies.at(0).failed_permanent == 1);
    auto const transfer = work.transfer(1);
    CHECK(transfer.status == store::TransferStatus::Failed);
    CHECK(transfer.permanent);
    CHECK_THAT(transfer.last_error, Catch::Contains("transfers 1 local_path"));
    CHECK(fs::is_empty(work.root / "server/incoming"));
    CHECK(work.audit_files("delivery").empty());
}

} // namespace

TEST_CASE("send stores the spooled file's path relative to the state directory")
{
    Workspace work;
    work.spool("f1.age", "one");
    queue(work);
    CHECK(work.transfer(1).local_path == "spool/agency-a/f1.age");
    REQUIRE(exchange::send(work.config, work.options).ok());
    CHECK(work.transfer(1).status == store::TransferStatus::Delivered);
}

TEST_CASE("send refuses a transfer row edited to name a file outside the spool")
{
    Workspace work;
    work.spool("f1.age", "one");
    queue(work);
    auto const secret = outside_secret(work);
    SECTION("an absolute path") { point_transfer_at(work, secret.string(), "-----BEGIN OPENSSH PRIVATE KEY-----"); }
    SECTION("/etc/passwd")
    {
        std::ifstream passwd("/etc/passwd");
        std::string const content((std::istreambuf_iterator<char>(passwd)), std::istreambuf_iterator<char>());
        point_transfer_at(work, "/etc/passwd", content);
    }
    SECTION("a path that climbs out with ../")
    {
        point_transfer_at(work, "spool/agency-a/../../secret-key", "-----BEGIN OPENSSH PRIVATE KEY-----");
    }
    SECTION("another agency's folder") { point_transfer_at(work, "spool/agency-b/f1.age", "one"); }
    expect_refused(work);
}

TEST_CASE("send refuses a symbolic link in the spool in place of the spooled file")
{
    Workspace work;
    work.spool("f1.age", "-----BEGIN OPENSSH PRIVATE KEY-----");
    queue(work);
    auto const secret = outside_secret(work);
    auto const spooled = work.config.state_directory / "spool/agency-a/f1.age";
    fs::remove(spooled);
    fs::create_symlink(secret, spooled);
    expect_refused(work);
}

TEST_CASE("a transfer left sending with nothing on the server is sent again when its attempt never reached the rename")
{
    Workspace work;
    work.spool("f1.age", "one");
    work.interrupt_while_sending(1); // killed before the upload completed: the rename step is not recorded
    SECTION("nothing on the server: the upload never completed; sent again without a warning")
    {
        // Issue 12.5: before the rename step was recorded this case was ambiguous and
        // warned "it now has it twice"; now it is known that the agency cannot have it.
        auto const summary = exchange::send(work.config, work.options);
        REQUIRE(summary.ok());
        CHECK(summary.value().agencies.at(0).delivered == 1);
        CHECK(summary.value().agencies.at(0).recovered == 0);
        for (auto const& warning : summary.value().warnings)
            CHECK(warning.find("twice") == std::string::npos);
        CHECK(fs::exists(work.root / "server/incoming/f1.age"));
    }
    SECTION("a temporary upload left on the server: the upload never finished; sent again without a warning")
    {
        std::ofstream(work.root / "server/incoming/.dcagw-upload-1-f1.age") << "on";
        auto const summary = exchange::send(work.config, work.options);
        REQUIRE(summary.ok());
        CHECK(summary.value().agencies.at(0).delivered == 1);
        for (auto const& warning : summary.value().warnings)
            CHECK(warning.find("sent again") == std::string::npos);
        CHECK_FALSE(fs::exists(work.root / "server/incoming/.dcagw-upload-1-f1.age"));
    }
}

// Issue 12.5: killed after the remote rename and before recording the delivery, with the
// agency taking the file away in between. The next run must not send it again.
TEST_CASE("killed after the remote rename, file taken by the agency: delivered, not sent again")
{
    Workspace work;
    work.spool("f1.age", "one");
    auto const final_file = work.root / "server/incoming/f1.age";
    work.after_publish = [&](transport::RemoteFile const&) -> base::Result<transport::RemoteFile> {
        fs::remove(final_file); // the agency collects it at once
        // Not a transport error: the run stops where it is, as a crash would leave it.
        return base::make_error(base::ErrorCode::Internal, "simulated crash after the rename");
    };
    REQUIRE(exchange::send(work.config, work.options).is_error());
    CHECK(work.transfer(1).status == store::TransferStatus::Sending);
    CHECK(work.transfer(1).rename_reached);

    work.after_publish = {};
    auto const summary = exchange::send(work.config, work.options);
    REQUIRE(summary.ok());
    auto const& agency = summary.value().agencies.at(0);
    CHECK(agency.delivered == 0);
    CHECK(agency.recovered == 1);
    CHECK_FALSE(fs::exists(final_file)); // not sent again
    CHECK(work.transfer(1).status == store::TransferStatus::Delivered);
    auto const& warnings = summary.value().warnings;
    CAPTURE(warnings);
    CHECK(std::count_if(warnings.begin(), warnings.end(), [](std::string const& warning) {
        return warning.find("f1.age (transfer 1)") != std::string::npos && warning.find("taken by the agency before the gateway recorded it") != std::string::npos;
    }) == 1);
    CHECK(work.audit_files("delivery") == std::vector<std::string> { "f1.age" });

    // A third run has nothing to do.
    auto const again = exchange::send(work.config, work.options);
    REQUIRE(again.ok());
    CHECK(again.value().agencies.at(0).delivered == 0);
    CHECK_FALSE(fs::exists(final_file));
}

TEST_CASE("rename step recorded but the temporary upload still there: sent again")
{
    Workspace work;
    work.spool("f1.age", "one");
    work.after_publish = [&](transport::RemoteFile const&) -> base::Result<transport::RemoteFile> {
        // As if the rename had not happened: the final name back to the temporary one.
        fs::rename(work.root / "server/incoming/f1.age", work.root / "server/incoming/.dcagw-upload-1-f1.age");
        return base::make_error(base::ErrorCode::Internal, "simulated crash before the rename");
    };
    REQUIRE(exchange::send(work.config, work.options).is_error());
    REQUIRE(work.transfer(1).rename_reached);
    work.after_publish = {};
    auto const summary = exchange::send(work.config, work.options);
    REQUIRE(summary.ok());
    CHECK(summary.value().agencies.at(0).delivered == 1);
    CHECK(summary.value().agencies.at(0).recovered == 0);
    CHECK(fs::exists(work.root / "server/incoming/f1.age"));
    CHECK_FALSE(fs::exists(work.root / "server/incoming/.dcagw-upload-1-f1.age"));
    CHECK(work.transfer(1).status == store::TransferStatus::Delivered);
    CHECK(work.audit_files("delivery") == std::vector<std::string> { "f1.age" });
}
