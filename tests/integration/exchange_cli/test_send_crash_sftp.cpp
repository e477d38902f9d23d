// Crash safety of `dcagw send` over real SFTP: the process is killed with SIGKILL at
// random moments while it delivers 50 files (40 MB) to the harness's sshd, then run
// again until a run completes. Afterwards every file is on the server exactly once under
// its final name, byte for byte, no temporary upload is left, and every transfer is
// delivered in the ledger with the file's size and hash.
#include "tests/integration/exchange_cli/cli_fixture.hpp"
#include "tests/support/spool.hpp"

#include <random>

using namespace dcagw;
using namespace dcagw::test;

TEST_CASE("a send run over SFTP killed at any moment delivers every file exactly once", "[send_crash_sftp]")
{
    auto const incoming = server_folder(server_env("SFTP_ROOT"), "crash/incoming", server_env("SFTP_USER"));
    server_folder(server_env("SFTP_ROOT"), "crash/outgoing", server_env("SFTP_USER"));
    auto const work = workspace("crash", sftp_transport("crash"));
    auto const hashes = make_spool(work / "state", { "example-agency", 50, 600000, 400000 });

    // How long the binary takes to start, connect and list (longer under the sanitizers):
    // the kills then land from halfway through that to 50 ms past it, so before the
    // connection, mid-upload, between rename and the ledger's `delivered`, and in the
    // recovery of the previous kill's transfer. Uploading all 40 MB takes about 0.6 s
    // more than that here, so each killed run gets through a few files at most and it
    // takes a dozen kills or more to get through; after 40 s (a slow machine) the kills
    // stop and an uninterrupted run finishes the work.
    auto const probe_start = std::chrono::steady_clock::now();
    auto const probe = run_dcagw(work, { "agency", "test", "--config", "gateway.json", "--agency", "example-agency" });
    INFO(probe);
    REQUIRE(probe.exit_code == 0);
    auto const ready = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - probe_start);
    std::mt19937 random(std::random_device {}());
    int killed = 0;
    int recovered = 0; // transfers a later run found complete on the server (diagnostic)
    int delivered = 0;
    auto const start = std::chrono::steady_clock::now();
    for (int round = 0; round < 300 && std::chrono::steady_clock::now() - start < std::chrono::seconds(40); ++round) {
        auto const delay = ready / 2 + std::chrono::microseconds(random() % (ready.count() / 2 + 50000));
        auto const run = run_dcagw(work, { "send", "--config", "gateway.json" }, delay);
        for (auto at = run.err.find(": delivered"); at != std::string::npos; at = run.err.find(": delivered", at + 1))
            ++(run.err.compare(at, 20, ": delivered (found c") == 0 ? recovered : delivered);
        if (!run.killed) {
            INFO(run);
            REQUIRE(run.exit_code == 0);
            break;
        }
        ++killed;
    }
    INFO("start and connect: " << ready.count() / 1000 << " ms; runs killed: " << killed << "; transfers delivered " << delivered << ", found complete after a kill " << recovered);
    CHECK(killed >= 8);
    auto const last = run_dcagw(work, { "send", "--config", "gateway.json" });
    INFO(last);
    CHECK(last.exit_code == 0);
    CHECK(last.out.find("0 newly queued") != std::string::npos);

    // The server: every file once, complete, nothing else (no temporary upload).
    CHECK(folder_hashes(incoming) == hashes);

    // The ledger: every transfer delivered once, with the file's size and hash.
    check_every_transfer_delivered(work / "state", hashes);
}
