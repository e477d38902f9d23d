#include "gateway/base/file.hpp"
#include "gateway/reporting/posting_writer.hpp"
#include "tests/unit/reporting/reporting_test_support.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

using namespace dcagw;
using reporting::testing::expect_ok;
using reporting::testing::Workspace;

namespace {

std::string read_text(std::filesystem::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string const header = std::string(reporting::posting_header) + "\n";

// PAY-1 (A1, £12.50), PAY-2 (A2, £30.00), a direct payment and a refund of £5.00 of PAY-1.
void record_money(Workspace& workspace)
{
    workspace.pay("PAY-1", 1, 1250, "2026-11-20");
    workspace.pay("PAY-2", 2, 3000, "2026-11-21");
    workspace.pay("DIRECT-1", 1, 700, "2026-11-21", "direct_payment");
    workspace.refund("R-1", "PAY-1", 1, { 500, 125, 25, 350 }, "2026-11-25");
}

} // namespace

TEST_CASE("postings: one line per cleared payment or refund, keyed by our account_ref")
{
    Workspace workspace;
    record_money(workspace);
    auto const summary = expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, {}));
    REQUIRE(summary.files.size() == 1);
    auto const& file = summary.files[0];
    CHECK(file.file_name == "postings-agency-a-000001.csv");
    CHECK(file.path == workspace.path() / "state" / "postings" / "postings-agency-a-000001.csv");
    CHECK(read_text(file.path) == header
            + "agency-a-000001-000001,agency-a,A1,payment,1250,2026-11-20,PAY-1,PAY-1\n"
              "agency-a-000001-000002,agency-a,A2,payment,3000,2026-11-21,PAY-2,PAY-2\n"
              "agency-a-000001-000003,agency-a,A1,refund,-500,2026-11-25,R-1,PAY-1\n");
    CHECK(file.lines == 3);
    CHECK(file.payments == 2);
    CHECK(file.refunds == 1);
    CHECK(file.payments_pence == 4250);
    CHECK(file.refunds_pence == -500);
    CHECK(file.total_pence == 3750);
    CHECK_FALSE(file.recovered);
    struct stat status {};
    REQUIRE(::stat(file.path.c_str(), &status) == 0);
    CHECK((status.st_mode & 0777) == 0600);
    CHECK(read_text(file.path).find("REF-A") == std::string::npos);
    store::Postings postings(*workspace.ledger);
    auto const files = expect_ok(postings.list_files(std::nullopt));
    REQUIRE(files.size() == 1);
    CHECK(files[0].state == store::PostingFileState::Published);
    CHECK(files[0].sha256 == file.sha256);
    CHECK(files[0].total_pence == 3750);
}

TEST_CASE("postings: a rerun posts nothing twice; money recorded later goes to the next file")
{
    Workspace workspace;
    record_money(workspace);
    expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, {}));
    CHECK(expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, {})).files.empty());
    workspace.pay("PAY-3", 2, 999, "2026-11-30");
    auto const next = expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, {}));
    REQUIRE(next.files.size() == 1);
    CHECK(next.files[0].sequence == 2);
    CHECK(read_text(next.files[0].path) == header + "agency-a-000002-000001,agency-a,A2,payment,999,2026-11-30,PAY-3,PAY-3\n");
    CHECK(read_text(workspace.path() / "state" / "postings" / "postings-agency-a-000001.csv").find("PAY-3") == std::string::npos);
}

TEST_CASE("postings: a run killed after its claim: the rerun writes the same lines, new money waits")
{
    Workspace workspace;
    record_money(workspace);
    store::Postings postings(*workspace.ledger);
    auto const claimed = expect_ok(postings.claim_file("agency-a", [](std::int64_t sequence) { return reporting::posting_file_name("agency-a", sequence); }));
    REQUIRE(claimed);
    auto const expected = reporting::posting_csv(*claimed, expect_ok(postings.lines_of(*claimed)));
    workspace.pay("PAY-3", 2, 999, "2026-11-19");  // after the claim: not this file's, although older
    auto const summary = expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, {}));
    REQUIRE(summary.files.size() == 2);
    CHECK(summary.files[0].recovered);
    CHECK(summary.files[0].sequence == 1);
    CHECK(read_text(summary.files[0].path) == expected);
    CHECK(expected.find("PAY-3") == std::string::npos);
    CHECK(summary.files[1].sequence == 2);
    CHECK(read_text(summary.files[1].path) == header + "agency-a-000002-000001,agency-a,A2,payment,999,2026-11-19,PAY-3,PAY-3\n");
}

TEST_CASE("postings: killed after the rename, before the mark: the file there is only marked")
{
    Workspace workspace;
    record_money(workspace);
    store::Postings postings(*workspace.ledger);
    auto const claimed = expect_ok(postings.claim_file("agency-a", [](std::int64_t sequence) { return reporting::posting_file_name("agency-a", sequence); }));
    REQUIRE(claimed);
    auto const content = reporting::posting_csv(*claimed, expect_ok(postings.lines_of(*claimed)));
    auto const folder = workspace.path() / "state" / "postings";
    expect_ok(base::ensure_private_directory(folder));
    auto renamed = expect_ok(base::AtomicFile::create(folder / claimed->file_name));
    expect_ok(renamed.write(content));
    expect_ok(renamed.commit());
    auto const summary = expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, {}));
    REQUIRE(summary.files.size() == 1);
    CHECK(summary.files[0].recovered);
    CHECK(summary.files[0].lines == 3);
    CHECK(read_text(folder / claimed->file_name) == content);
    CHECK(expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, {})).files.empty());
    CHECK_FALSE(expect_ok(postings.pending_file("agency-a")));
}

TEST_CASE("postings: a file of other content under the name is refused and left alone")
{
    Workspace workspace;
    record_money(workspace);
    store::Postings postings(*workspace.ledger);
    auto const claimed = expect_ok(postings.claim_file("agency-a", [](std::int64_t sequence) { return reporting::posting_file_name("agency-a", sequence); }));
    REQUIRE(claimed);
    auto const folder = workspace.path() / "state" / "postings";
    expect_ok(base::ensure_private_directory(folder));
    std::ofstream(folder / claimed->file_name) << "someone else's file\n";
    auto const refused = reporting::write_postings(*workspace.ledger, workspace.config, {});
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::AlreadyExists);
    CHECK(read_text(folder / claimed->file_name) == "someone else's file\n");
    CHECK(expect_ok(postings.pending_file("agency-a")));
}

TEST_CASE("postings: --output and --agency; a direct payment alone posts nothing")
{
    Workspace workspace;
    workspace.pay("DIRECT-1", 1, 700, "2026-11-21", "direct_payment");
    reporting::PostingOptions options;
    options.agency = "agency-a";
    options.output = workspace.path() / "out";
    auto const summary = expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, options));
    CHECK(summary.files.empty());
    CHECK(summary.output == workspace.path() / "out");
    CHECK(std::filesystem::is_directory(workspace.path() / "out"));
    options.agency = "agency-b";
    workspace.pay("PAY-1", 1, 100);
    CHECK(expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, options)).files.empty());
}

TEST_CASE("postings: the store refuses to mark a file published twice")
{
    Workspace workspace;
    record_money(workspace);
    store::Postings postings(*workspace.ledger);
    auto const claimed = expect_ok(postings.claim_file("agency-a", [](std::int64_t sequence) { return reporting::posting_file_name("agency-a", sequence); }));
    REQUIRE(claimed);
    auto const lines = expect_ok(postings.lines_of(*claimed));
    expect_ok(postings.mark_published(*claimed, lines, "x", 0));
    CHECK(postings.mark_published(*claimed, lines, "x", 0).is_error());
    CHECK(postings.claim_file("agency-a", [](std::int64_t) { return std::string("n"); }).value() == std::nullopt);
}

TEST_CASE("postings: publishing lowers what the agency holds by the money posted (issue 15's told balance)")
{
    Workspace workspace;
    record_money(workspace);
    expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, {}));
    std::vector<store::OpenPlacement> open;
    expect_ok(workspace.ledger->open_placements_of("A1", open));
    REQUIRE(open.size() == 1);
    // PAY-1 less its refund; the direct payment is in the creditor's books already and
    // never posted.
    CHECK(open[0].posted_pence == 1250 - 500);
    CHECK_FALSE(open[0].posted_at.empty());
    expect_ok(workspace.ledger->open_placements_of("A2", open));
    REQUIRE(open.size() == 1);
    CHECK(open[0].posted_pence == 3000);
    // A second run posts nothing new and moves nothing.
    expect_ok(reporting::write_postings(*workspace.ledger, workspace.config, {}));
    expect_ok(workspace.ledger->open_placements_of("A2", open));
    CHECK(open[0].posted_pence == 3000);
}
