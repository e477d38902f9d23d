// The real `dcagw` binary against the real servers run_with_servers.sh started: the
// bundled example placed, sent to an SFTP agency (OpenSSH, host key pinned) and to an
// HTTPS agency (nginx, test CA, client certificate), sent again (nothing twice), listed,
// and the agencies' answers collected (once). Then what must fail, through the CLI: a
// wrong host key, an unknown CA, an upload folder the agency's user may not write.
#include "tests/integration/exchange_cli/cli_fixture.hpp"

#include "gateway/audit/entry.hpp"
#include "gateway/store/audit_log.hpp"
#include "gateway/store/ledger.hpp"

using namespace dcagw::test;

namespace {

struct Agency {
    std::string name;       // of the test, and of the agency's folder on its server
    std::string transport;  // the agency's transport object
    fs::path server_root;   // the server's folder served to the gateway
    std::string server_user;
};

void check_delivered(fs::path const& work, Agency const& agency, std::map<std::string, std::string> const& spooled)
{
    auto const incoming = agency.server_root / agency.name / "incoming";
    // Every spooled file under its final name, byte for byte; nothing else (no temporary
    // upload left behind).
    CHECK(folder_hashes(incoming) == spooled);

    auto const listed = run_dcagw(work, { "transfers", "list", "--config", "gateway.json", "--format", "json" });
    INFO(listed);
    REQUIRE(listed.exit_code == 0);
    for (auto const& [name, hash] : spooled) {
        auto const row = transfer_json(listed.out, name);
        INFO(name << ": " << row);
        CHECK(row.find(R"("status": "delivered")") != std::string::npos);
        CHECK(row.find(R"("remote_name": ")" + name + "\"") != std::string::npos);
        CHECK(row.find(R"("size_bytes": )" + std::to_string(fs::file_size(incoming / name)) + ",") != std::string::npos);
        CHECK(row.find(R"("sha256": ")" + hash + "\"") != std::string::npos);
        CHECK(row.find(R"("acknowledgement": "awaiting")") != std::string::npos);
    }
}

// The audit log's key entries for logging in to the agency (docs/audit.md, "Key entries"):
// type and use of each, in order.
std::vector<std::string> login_key_entries(fs::path const& work)
{
    auto ledger = dcagw::store::Ledger::open(work / "state", dcagw::store::OpenMode::Create);
    REQUIRE(ledger.ok());
    std::vector<std::string> found;
    REQUIRE(ledger.value()->audit().entries_of_kind("key", [&](dcagw::store::AuditEntryRow const& row) {
        auto const entry = dcagw::audit::decode(row.body);
        REQUIRE(entry.ok());
        auto const type = entry.value().text("key_type");
        if (type == "ssh-private-key" || type == "tls-client-key") {
            // Public material only: the SSH public key's fingerprint, the TLS certificate's
            // public key hash (tests/unit/audit/test_keys_in_use.cpp checks the values).
            auto const identity = entry.value().text("public");
            if (type == "ssh-private-key")
                CHECK(identity.rfind("SHA256:", 0) == 0);
            else
                CHECK(identity.size() == 64);
            CHECK(!fs::path(entry.value().text("path")).is_absolute());
            found.push_back(type + ": " + entry.value().text("use"));
        }
        return true;
    }).ok());
    return found;
}

void check_collection(fs::path const& work, Agency const& agency, std::string const& delivered)
{
    auto const outgoing = agency.server_root / agency.name / "outgoing";
    std::string const returns = "pseudonym,status\nP-1,paid\n";
    std::string const acknowledgement = "received " + delivered + "\n";
    agency_file(outgoing / "returns-20261124.csv", returns, agency.server_user);
    agency_file(outgoing / (delivered + ".ack"), acknowledgement, agency.server_user);

    auto const collected = run_dcagw(work, { "collect", "--config", "gateway.json" });
    INFO(collected);
    REQUIRE(collected.exit_code == 0);
    CHECK(collected.out.find("2 listed, 2 collected, 0 already collected, 0 refused, 1 acknowledgements, 0 failed") != std::string::npos);
    CHECK(collected.err.find("collect example-agency returns-20261124.csv") != std::string::npos);
    auto const inbox = work / "state/inbox/example-agency";
    CHECK(read_text(inbox / "returns-20261124.csv") == returns);
    CHECK(read_text(inbox / (delivered + ".ack")) == acknowledgement);
    CHECK(fs::status(inbox / "returns-20261124.csv").permissions() == fs::perms(0600));
    // Archived on the server, as the profile says.
    CHECK(folder_hashes(outgoing).size() == 1); // only archive/ is left
    CHECK(read_text(outgoing / "archive/returns-20261124.csv") == returns);
    CHECK(read_text(outgoing / "archive" / (delivered + ".ack")) == acknowledgement);

    auto const listed = run_dcagw(work, { "transfers", "list", "--config", "gateway.json", "--format", "json" });
    INFO(listed);
    CHECK(transfer_json(listed.out, delivered).find(R"("acknowledgement": "acknowledged")") != std::string::npos);

    // Nothing new: nothing collected. The same return offered again: not processed twice.
    auto again = run_dcagw(work, { "collect", "--config", "gateway.json" });
    INFO(again);
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("0 listed, 0 collected") != std::string::npos);
    agency_file(outgoing / "returns-20261124.csv", returns, agency.server_user);
    again = run_dcagw(work, { "collect", "--config", "gateway.json", "--format", "json" });
    INFO(again);
    CHECK(again.exit_code == 0);
    CHECK(again.out.find(R"("listed": 1, "collected": 0, "already_collected": 1)") != std::string::npos);
    CHECK(folder_hashes(inbox).size() == 2);

    // A hostile name: refused, shown escaped, nothing written locally, left on the server.
    std::string const hostile = "evil\x1b[2J.csv";
    agency_file(outgoing / hostile, "nasty", agency.server_user);
    auto const refused = run_dcagw(work, { "collect", "--config", "gateway.json" });
    INFO(refused);
    CHECK(refused.exit_code == 1);
    CHECK(refused.out.find("1 refused") != std::string::npos);
    CHECK(refused.err.find("remote file name 'evil\\x1b[2J.csv' refused: it contains a control character") != std::string::npos);
    CHECK(refused.err.find('\x1b') == std::string::npos);
    CHECK(folder_hashes(inbox).size() == 2);
    CHECK(fs::exists(outgoing / hostile));
}

void exchange_with(Agency const& agency)
{
    server_folder(agency.server_root, agency.name + "/incoming", agency.server_user);
    server_folder(agency.server_root, agency.name + "/outgoing/archive", agency.server_user);
    auto const work = workspace(agency.name, agency.transport);

    auto const checked = run_dcagw(work, { "config", "check", "--config", "gateway.json" });
    INFO(checked);
    REQUIRE(checked.exit_code == 0);
    auto const tested = run_dcagw(work, { "agency", "test", "--config", "gateway.json", "--agency", "example-agency" });
    INFO(tested);
    REQUIRE(tested.exit_code == 0);
    CHECK(tested.out.find("ok     connect, verify the server and authenticate") != std::string::npos);
    CHECK(tested.out.find("ok     list the upload area (" + agency.name + "/incoming): 0 files") != std::string::npos);
    CHECK(tested.out.find("ok     list the collect area (" + agency.name + "/outgoing): 0 files") != std::string::npos);
    CHECK(tested.out.find("FAILED") == std::string::npos);

    auto const spooled = place_example(work);
    auto const sent = run_dcagw(work, { "send", "--config", "gateway.json" });
    INFO(sent);
    REQUIRE(sent.exit_code == 0);
    CHECK(sent.out.find(std::to_string(spooled.size()) + " newly queued, " + std::to_string(spooled.size()) + " delivered") != std::string::npos);
    for (auto const& [name, hash] : spooled)
        CHECK(sent.err.find("send example-agency " + name) != std::string::npos);
    check_delivered(work, agency, spooled);

    // Sent again: nothing to do, no connection, nothing duplicated on the server.
    auto const resent = run_dcagw(work, { "send", "--config", "gateway.json" });
    INFO(resent);
    CHECK(resent.exit_code == 0);
    CHECK(resent.out.find("0 newly queued, 0 delivered") != std::string::npos);
    CHECK(resent.err.find("dcagw: transfer: send") == std::string::npos);
    check_delivered(work, agency, spooled);

    // The first send recorded the key it logs in with; later runs with the same key do not.
    auto const expected_key = agency.transport.find("\"sftp\"") != std::string::npos ? "ssh-private-key: SFTP login to agency example-agency"
                                                                                     : "tls-client-key: TLS client authentication to agency example-agency";
    CHECK(login_key_entries(work) == std::vector<std::string> { expected_key });

    check_collection(work, agency, spooled.begin()->first);
    CHECK(login_key_entries(work) == std::vector<std::string> { expected_key });  // collect used the same key
}

// Sends once more after the setup of `work`'s agency went wrong: it must fail without
// delivering anything and return promptly (no endless retries).
Outcome failing_send(fs::path const& work)
{
    place_example(work);
    auto const start = std::chrono::steady_clock::now();
    auto sent = run_dcagw(work, { "send", "--config", "gateway.json" });
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
    INFO(sent);
    CHECK(sent.exit_code == 3);
    auto const listed = run_dcagw(work, { "transfers", "list", "--config", "gateway.json", "--format", "json" });
    CHECK(listed.out.find(R"("status": "delivered")") == std::string::npos);
    return sent;
}

std::size_t count_of(std::string const& text, std::string const& part)
{
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size()))
        ++count;
    return count;
}

} // namespace

TEST_CASE("the CLI delivers to and collects from an SFTP agency", "[exchange_cli]")
{
    exchange_with({ "sftp-agency", sftp_transport("sftp-agency"), server_env("SFTP_ROOT"), server_env("SFTP_USER") });
}

TEST_CASE("the CLI delivers to and collects from an HTTPS agency (mutual TLS)", "[exchange_cli]")
{
    exchange_with({ "https-agency", https_transport("https-agency"), server_env("HTTPS_ROOT"), "nobody" });
}

TEST_CASE("a changed SFTP host key: refused, both fingerprints shown, nothing delivered", "[exchange_cli]")
{
    auto const expected = server_env("SFTP_OTHER_HOST_KEY_SHA256"); // what the configuration pins
    auto const seen = server_env("SFTP_HOST_KEY_SHA256");            // what the server presents
    auto const incoming = server_folder(server_env("SFTP_ROOT"), "host-key/incoming", server_env("SFTP_USER"));
    auto const work = workspace("host-key", sftp_transport("host-key", expected));

    auto const tested = run_dcagw(work, { "agency", "test", "--config", "gateway.json", "--agency", "example-agency" });
    INFO(tested);
    CHECK(tested.exit_code == 3);
    CHECK(tested.out.find("FAILED connect, verify the server and authenticate") != std::string::npos);
    CHECK(tested.out.find(seen) != std::string::npos);

    auto const sshd_log = fs::path(server_env("DCAGW_TEST_STATE")) / "sftp/sshd.log";
    for (int run = 0; run < 2; ++run) {
        auto const connections_before = count_of(read_text(sshd_log), "Connection from 127.0.0.1");
        auto const sent = failing_send(work);
        INFO(sent);
        CHECK(sent.err.find(seen) != std::string::npos);
        CHECK(sent.err.find(expected) != std::string::npos);
        CHECK(sent.out.find("0 delivered, 0 found already delivered after an interruption, 0 failed (will be retried), 0 failed permanently, 1 left queued") != std::string::npos);
        CHECK(fs::is_empty(incoming));
        // The outbox says why the file is still queued.
        auto const listed = run_dcagw(work, { "transfers", "list", "--config", "gateway.json", "--format", "json" });
        INFO(listed);
        CHECK(listed.out.find(R"("status": "queued")") != std::string::npos);
        CHECK(listed.out.find(R"("failure_reason": "host key mismatch")") != std::string::npos);
        CHECK(listed.out.find(seen) != std::string::npos);
        // Not retried: one connection per run (trying again does not change a host key).
        CHECK(count_of(read_text(sshd_log), "Connection from 127.0.0.1") == connections_before + 1);
    }
}

TEST_CASE("an HTTPS server whose certificate the configured CA did not sign: refused", "[exchange_cli]")
{
    auto const incoming = server_folder(server_env("HTTPS_ROOT"), "wrong-ca/incoming", "nobody");
    auto const work = workspace("wrong-ca", https_transport("wrong-ca", server_env("HTTPS_OTHER_CA")));
    auto const sent = failing_send(work);
    INFO(sent);
    CHECK(sent.err.find("SSL certificate problem: unable to get local issuer certificate") != std::string::npos);
    CHECK(sent.out.find("0 delivered, 0 found already delivered after an interruption, 0 failed (will be retried), 0 failed permanently, 1 left queued") != std::string::npos);
    CHECK(fs::is_empty(incoming));
    auto const tested = run_dcagw(work, { "agency", "test", "--config", "gateway.json", "--agency", "example-agency" });
    INFO(tested);
    CHECK(tested.exit_code == 3);
    CHECK(tested.out.find("FAILED connect") != std::string::npos);
}

TEST_CASE("an upload folder the agency's user may not write: a permanent failure, re-queued once fixed", "[exchange_cli]")
{
    auto const sftp_root = fs::path(server_env("SFTP_ROOT"));
    server_folder(sftp_root, "read-only/outgoing/archive", server_env("SFTP_USER"));
    // The upload folder belongs to root (mode 0755): the SFTP user may list it, not write.
    auto const incoming = sftp_root / "read-only/incoming";
    fs::create_directories(incoming);
    auto const work = workspace("read-only", sftp_transport("read-only"));

    auto const sent = failing_send(work);
    INFO(sent);
    CHECK(sent.err.find("ermission denied") != std::string::npos);
    CHECK(sent.out.find("1 failed permanently") != std::string::npos);
    CHECK(fs::is_empty(incoming));
    auto listed = run_dcagw(work, { "transfers", "list", "--config", "gateway.json", "--format", "json" });
    CHECK(listed.out.find(R"("status": "failed_permanent", "attempts": 1)") != std::string::npos);

    // Permanent: the next run does not try again.
    auto const resent = run_dcagw(work, { "send", "--config", "gateway.json" });
    INFO(resent);
    CHECK(resent.exit_code == 0);
    CHECK(resent.out.find("0 newly queued, 0 delivered") != std::string::npos);
    listed = run_dcagw(work, { "transfers", "list", "--config", "gateway.json", "--format", "json" });
    CHECK(listed.out.find(R"("status": "failed_permanent", "attempts": 1)") != std::string::npos);

    // The agency fixes the folder; the operator re-queues the transfer; it is delivered.
    server_folder(sftp_root, "read-only/incoming", server_env("SFTP_USER"));
    auto const retried = run_dcagw(work, { "transfers", "retry", "--config", "gateway.json", "--id", "1" });
    INFO(retried);
    CHECK(retried.exit_code == 0);
    auto const delivered = run_dcagw(work, { "send", "--config", "gateway.json" });
    INFO(delivered);
    CHECK(delivered.exit_code == 0);
    CHECK(delivered.out.find("0 newly queued, 1 delivered") != std::string::npos);
    CHECK(folder_hashes(incoming) == spooled_files(work));
    listed = run_dcagw(work, { "transfers", "list", "--config", "gateway.json", "--format", "json" });
    // (`transfers retry` starts the count of attempts again.)
    CHECK(listed.out.find(R"("status": "delivered", "attempts": 1)") != std::string::npos);
}

TEST_CASE("a name already taken on the HTTPS server by another file: refused, never replaced", "[exchange_cli]")
{
    auto const incoming = server_folder(server_env("HTTPS_ROOT"), "collision/incoming", "nobody");
    auto const work = workspace("collision", https_transport("collision"));
    auto const spooled = place_example(work);
    auto const& name = spooled.begin()->first;
    agency_file(incoming / name, "somebody else's file", "nobody");

    auto const sent = run_dcagw(work, { "send", "--config", "gateway.json" });
    INFO(sent);
    CHECK(sent.exit_code == 3);
    CHECK(sent.out.find("1 failed permanently") != std::string::npos);
    CHECK(sent.err.find(name) != std::string::npos);
    // The other file is untouched, and no temporary upload is left beside it.
    CHECK(read_text(incoming / name) == "somebody else's file");
    CHECK(folder_hashes(incoming).size() == 1);
}

TEST_CASE("an HTTPS upload folder the server forbids (403): refused at once, not retried", "[exchange_cli]")
{
    // The listener with a bearer token, where nginx denies /dca/denied/. The session
    // opens the upload folder when it connects, so the refusal comes before any upload:
    // the file stays queued (as with a wrong host key) and each run asks once.
    auto transport = https_transport("denied");
    replace_all(transport, server_env("HTTPS_MTLS_PORT"), server_env("HTTPS_PORT"));
    replace_all(transport, R"("client_certificate": ")" + server_env("HTTPS_CLIENT_CERT") + R"(", "client_key": ")" + server_env("HTTPS_CLIENT_KEY"),
        R"("bearer_token_file": ")" + server_env("HTTPS_TOKEN_FILE"));
    auto const work = workspace("denied", transport);
    auto const sent = failing_send(work);
    INFO(sent);
    CHECK(sent.out.find("0 delivered, 0 found already delivered after an interruption, 0 failed (will be retried), 0 failed permanently, 1 left queued") != std::string::npos);
    CHECK(sent.err.find("(attempt 1 of 2)") != std::string::npos);
    CHECK(sent.err.find("HTTP 403") != std::string::npos);
    // nginx logs a request after sending its response: give it a moment to write the line.
    std::string access_log;
    for (int waited = 0; waited < 100 && count_of(access_log, " /dca/denied/incoming/ 403") == 0; ++waited) {
        if (waited > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        access_log = read_text(fs::path(server_env("DCAGW_TEST_STATE")) / "https/access.log");
    }
    INFO(access_log);
    CHECK(count_of(access_log, " /dca/denied/incoming/ 403") == 1);
    CHECK(access_log.find("PUT /dca/denied/") == std::string::npos);
}
