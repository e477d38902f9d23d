// SFTP transport against servers other than OpenSSH: ProFTPD mod_sftp (an RSA and an
// ed25519 host key) and rclone's `serve sftp` (sftp_servers.sh, started by
// run_with_servers.sh): send, collect, archive, a wrong host key, one pin per key type,
// a server killed mid-upload, and rclone's rename that replaces its target.
#include "server_fixture.hpp"

#include "gateway/transport/session.hpp"

#include <algorithm>
#include <cstdlib>

using namespace dcagw;
using dcagw::test::server_env;

namespace {

struct SftpServer {
    std::string name;
    std::string which; // for sftp_servers.sh start|stop
    std::string port_variable;
    std::string root_variable;
    std::vector<std::string> pins;
};

model::TransportProfile sftp_profile(SftpServer const& server)
{
    model::TransportProfile profile;
    profile.kind = model::TransportKind::Sftp;
    profile.sftp.host = "127.0.0.1";
    profile.sftp.port = static_cast<std::uint16_t>(std::stoi(server_env(server.port_variable.c_str())));
    profile.sftp.user = server_env("SFTP_USER");
    profile.sftp.private_key = server_env("SFTP_KEY");
    profile.sftp.host_key_sha256 = server.pins;
    profile.connect_timeout = std::chrono::seconds(10);
    profile.transfer_timeout = std::chrono::seconds(120);
    return profile;
}

std::vector<SftpServer> servers()
{
    return {
        { "ProFTPD mod_sftp", "proftpd", "PROFTPD_PORT", "PROFTPD_ROOT",
            { "ssh-rsa " + server_env("PROFTPD_RSA_SHA256"), "ssh-ed25519 " + server_env("PROFTPD_ED25519_SHA256") } },
        { "rclone serve sftp", "rclone", "RCLONE_SFTP_PORT", "RCLONE_SFTP_ROOT", { server_env("RCLONE_SFTP_HOST_KEY_SHA256") } },
    };
}

} // namespace

TEST_CASE("SFTP servers: publish, collision, list, download, archive and remove")
{
    for (auto const& server : servers()) {
        INFO(server.name);
        std::filesystem::path const root = server_env(server.root_variable.c_str());
        auto session = test::open_session(sftp_profile(server));
        auto local = test::make_local_file("sftp2-delivery.csv.age", 3 * 1024 * 1024 + 5);
        auto published = session->publish(local, "delivery 1.csv.age", ".delivery 1.csv.age.part");
        REQUIRE_OK(published);
        CHECK(test::read_whole(root / "incoming/delivery 1.csv.age") == test::read_whole(local));
        CHECK_FALSE(std::filesystem::exists(root / "incoming/.delivery 1.csv.age.part"));
        auto collision = session->publish(local, "delivery 1.csv.age", ".delivery 1.csv.age.part");
        REQUIRE(collision.is_error());
        CHECK(collision.error().code() == base::ErrorCode::RemoteFileExists);
        CHECK(test::read_whole(root / "incoming/delivery 1.csv.age") == test::read_whole(local));

        test::agency_file(root / "outgoing", "return-1.csv", "account,outcome\nA1,paid\n");
        auto listed = session->list(transport::RemoteArea::Collect);
        REQUIRE_OK(listed);
        REQUIRE(listed.value().size() == 1); // not the archive folder
        CHECK(listed.value()[0].name == "return-1.csv");
        CHECK(listed.value()[0].size == 24u);
        test::StringSink sink;
        REQUIRE_OK(session->download(transport::RemoteArea::Collect, "return-1.csv", sink, 1 << 20));
        CHECK(sink.text == "account,outcome\nA1,paid\n");
        REQUIRE_OK(session->archive("return-1.csv"));
        CHECK(std::filesystem::exists(root / "outgoing/archive/return-1.csv"));
        CHECK_FALSE(std::filesystem::exists(root / "outgoing/return-1.csv"));
        test::agency_file(root / "outgoing", "return-1.csv", "same name again\n");
        auto again = session->archive("return-1.csv");
        REQUIRE(again.is_error());
        CHECK(again.error().code() == base::ErrorCode::RemoteFileExists);
        CHECK(test::read_whole(root / "outgoing/archive/return-1.csv") == "account,outcome\nA1,paid\n");
        REQUIRE_OK(session->remove(transport::RemoteArea::Collect, "return-1.csv"));
        CHECK_FALSE(std::filesystem::exists(root / "outgoing/return-1.csv"));
        for (auto const* leftover : { "incoming/delivery 1.csv.age", "outgoing/archive/return-1.csv" })
            std::filesystem::remove(root / leftover);
    }
}

TEST_CASE("SFTP servers: a wrong host key is refused, naming the offered key and its type")
{
    for (auto const& server : servers()) {
        INFO(server.name);
        auto profile = sftp_profile(server);
        profile.sftp.host_key_sha256 = { server_env("SFTP_OTHER_HOST_KEY_SHA256") };
        auto refused = test::connect_error(profile, base::ErrorCode::HostKeyMismatch);
        CHECK_FALSE(base::is_transient(refused.code()));
        CHECK_THAT(refused.message(), Catch::Contains(server_env("SFTP_OTHER_HOST_KEY_SHA256")) && Catch::Contains("the type negotiated"));
    }
}

TEST_CASE("ProFTPD offering RSA and ed25519: one pin per key type; a pin for the other type names the type offered")
{
    auto const proftpd = servers()[0];
    auto rsa_only = sftp_profile(proftpd);
    rsa_only.sftp.host_key_sha256 = { server_env("PROFTPD_RSA_SHA256") };
    // libssh2 asks for ed25519 before RSA: the RSA pin alone cannot match what it gets.
    auto refused = test::connect_error(rsa_only, base::ErrorCode::HostKeyMismatch);
    CHECK_THAT(refused.message(), Catch::Contains(server_env("PROFTPD_ED25519_SHA256") + " (ssh-ed25519, the type negotiated)"));
    CHECK_THAT(refused.message(), Catch::Contains(server_env("PROFTPD_RSA_SHA256")));

    // A typed pin only matches a key of that type.
    auto wrong_type = sftp_profile(proftpd);
    wrong_type.sftp.host_key_sha256 = { "ssh-rsa " + server_env("PROFTPD_ED25519_SHA256") };
    test::connect_error(wrong_type, base::ErrorCode::HostKeyMismatch);

    // Both pins: whichever key libssh2 negotiates is accepted.
    REQUIRE(transport::connect(sftp_profile(proftpd)).ok());
    auto untyped = sftp_profile(proftpd);
    untyped.sftp.host_key_sha256 = { server_env("PROFTPD_RSA_SHA256"), server_env("PROFTPD_ED25519_SHA256") };
    REQUIRE(transport::connect(untyped).ok());
}

TEST_CASE("rclone's SFTP rename replaces an existing target (ProFTPD's refuses): the gateway's check is the guard")
{
    auto const rclone = servers()[1];
    std::filesystem::path const root = server_env("RCLONE_SFTP_ROOT");
    auto rename_by_curl = [&](std::string const& port, std::string const& fingerprint) {
        auto command = "curl -sS --key " + server_env("SFTP_KEY") + " --pubkey '' --hostpubsha256 " + fingerprint.substr(7) + " -u "
            + server_env("SFTP_USER") + ": -I -Q 'rename incoming/race-source incoming/race-target' sftp://127.0.0.1:" + port
            + "/~/incoming/ >/dev/null 2>&1";
        return std::system(command.c_str());
    };
    test::write_whole(root / "incoming/race-target", "first");
    test::write_whole(root / "incoming/race-source", "second");
    CHECK(rename_by_curl(server_env("RCLONE_SFTP_PORT"), server_env("RCLONE_SFTP_HOST_KEY_SHA256")) == 0);
    CHECK(test::read_whole(root / "incoming/race-target") == "second");
    std::filesystem::remove(root / "incoming/race-target");

    std::filesystem::path const proftpd_root = server_env("PROFTPD_ROOT");
    test::agency_file(proftpd_root / "incoming", "race-target", "first");
    test::agency_file(proftpd_root / "incoming", "race-source", "second");
    CHECK(rename_by_curl(server_env("PROFTPD_PORT"), server_env("PROFTPD_ED25519_SHA256")) != 0);
    CHECK(test::read_whole(proftpd_root / "incoming/race-target") == "first");
    std::filesystem::remove(proftpd_root / "incoming/race-target");
    std::filesystem::remove(proftpd_root / "incoming/race-source");

    // Through the session, a name that exists is refused before anything is renamed.
    test::write_whole(root / "incoming/taken.csv.age", "the agency's");
    auto session = test::open_session(sftp_profile(rclone));
    auto local = test::make_local_file("rclone-taken.csv.age", 1000);
    auto refused = session->publish(local, "taken.csv.age", ".taken.csv.age.part");
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::RemoteFileExists);
    CHECK(test::read_whole(root / "incoming/taken.csv.age") == "the agency's");
    std::filesystem::remove(root / "incoming/taken.csv.age");
}

TEST_CASE("SFTP servers: killed mid-upload; the next attempt publishes once, never a partial file")
{
    auto local = test::make_local_file("sftp2-large.csv.age", 96ull << 20);
    for (auto const& server : servers()) {
        INFO(server.name);
        std::filesystem::path const root = server_env(server.root_variable.c_str());
        {
            auto session = test::open_session(sftp_profile(server));
            test::StopWhenGrown stopper(root / "incoming", 4u << 20, "sftp_servers.sh", "sftp2", server.which);
            auto published = session->publish(local, "large.csv.age", ".large.csv.age.part");
            REQUIRE(stopper.stopped());
            REQUIRE(published.is_error());
            CHECK(base::is_transient(published.error().code()));
            CHECK_FALSE(std::filesystem::exists(root / "incoming/large.csv.age"));
        }
        test::server_control("sftp_servers.sh", "start", "sftp2", server.which);
        auto session = test::open_session(sftp_profile(server));
        REQUIRE_OK(session->publish(local, "large.csv.age", ".large.csv.age.part"));
        CHECK(std::filesystem::file_size(root / "incoming/large.csv.age") == (96ull << 20));
        CHECK_FALSE(std::filesystem::exists(root / "incoming/.large.csv.age.part"));
        auto listed = session->list(transport::RemoteArea::Upload);
        REQUIRE_OK(listed);
        CHECK(std::count_if(listed.value().begin(), listed.value().end(),
                  [](auto const& file) { return file.name.find("large.csv.age") != std::string::npos; })
            == 1);
        std::filesystem::remove(root / "incoming/large.csv.age");
    }
    std::filesystem::remove(local);
}

TEST_CASE("ProFTPD: a known_hosts file with one entry per key type, or only the RSA one, connects")
{
    // libcurl asks libssh2 for the key type of the first known_hosts entry for the host.
    auto const state = std::filesystem::path(server_env("DCAGW_TEST_STATE")) / "sftp2";
    auto entry = [&](std::string const& key_file) {
        auto line = test::read_whole(state / key_file);
        return "[127.0.0.1]:" + server_env("PROFTPD_PORT") + " " + line.substr(0, line.rfind(' ')) + "\n";
    };
    auto profile = sftp_profile(servers()[0]);
    profile.sftp.host_key_sha256.clear();
    for (auto const& contents : { entry("proftpd_rsa_key.pub") + entry("proftpd_ed25519_key.pub"), entry("proftpd_rsa_key.pub") }) {
        auto known_hosts = state / "known_hosts_proftpd";
        test::write_whole(known_hosts, contents);
        profile.sftp.known_hosts = known_hosts;
        INFO(contents);
        auto session = transport::connect(profile);
        if (session.is_error())
            FAIL(session.error().to_text());
    }
}
