// SFTP transport against a real OpenSSH sshd (internal-sftp, chroot, key or opt-in
// password login), started by run_with_servers.sh: delivery, collection, host key refusal, permissions, collisions,
// a server stopped mid-upload, hostile names.
#include "server_fixture.hpp"

#include "gateway/transport/session.hpp"

#include <fstream>

using namespace dcagw;
using dcagw::test::server_env;

namespace {

std::filesystem::path sftp_root() { return server_env("SFTP_ROOT"); }

model::TransportProfile sftp_profile()
{
    model::TransportProfile profile;
    profile.kind = model::TransportKind::Sftp;
    profile.sftp.host = "127.0.0.1";
    profile.sftp.port = static_cast<std::uint16_t>(std::stoi(server_env("SFTP_PORT")));
    profile.sftp.user = server_env("SFTP_USER");
    profile.sftp.private_key = server_env("SFTP_KEY");
    profile.sftp.host_key_sha256 = { server_env("SFTP_HOST_KEY_SHA256") };
    profile.connect_timeout = std::chrono::seconds(10);
    profile.transfer_timeout = std::chrono::seconds(300);
    return profile;
}

int accepted_logins()
{
    auto log = test::read_whole(std::filesystem::path(server_env("DCAGW_TEST_STATE")) / "sftp" / "sshd.log");
    int count = 0;
    for (std::size_t at = log.find("Accepted publickey"); at != std::string::npos; at = log.find("Accepted publickey", at + 1))
        ++count;
    return count;
}

} // namespace

TEST_CASE("SFTP: publish, list, stat, download, archive and remove over one connection")
{
    auto const logins_before = accepted_logins();
    auto session = test::open_session(sftp_profile());
    CHECK(session->describe() == "sftp://" + server_env("SFTP_USER") + "@127.0.0.1:" + server_env("SFTP_PORT"));

    auto local = test::make_local_file("delivery.csv.age", 3 * 1024 * 1024 + 17);
    auto published = session->publish(local, "delivery.csv.age", ".delivery.csv.age.part");
    REQUIRE_OK(published);
    CHECK(published.value().size == 3 * 1024 * 1024 + 17);
    CHECK(test::read_whole(sftp_root() / "incoming/delivery.csv.age") == test::read_whole(local));
    CHECK_FALSE(std::filesystem::exists(sftp_root() / "incoming/.delivery.csv.age.part"));

    auto listed = session->list(transport::RemoteArea::Upload);
    REQUIRE_OK(listed);
    REQUIRE(listed.value().size() == 1);
    CHECK(listed.value()[0].name == "delivery.csv.age");
    CHECK(listed.value()[0].size == 3 * 1024 * 1024 + 17);

    auto missing = session->stat(transport::RemoteArea::Upload, "nothing-here");
    REQUIRE(missing.ok());
    CHECK_FALSE(missing.value().has_value());

    test::agency_file(sftp_root() / "outgoing", "return-1.csv", "account,outcome\nA1,paid\n");
    test::agency_file(sftp_root() / "outgoing", "return-2.csv", "account,outcome\nA2,disputed\n");
    std::filesystem::create_directory(sftp_root() / "outgoing/a-folder");
    auto returns = session->list(transport::RemoteArea::Collect);
    REQUIRE_OK(returns);
    CHECK(returns.value().size() == 2); // the folders are not files

    test::StringSink sink;
    auto downloaded = session->download(transport::RemoteArea::Collect, "return-1.csv", sink, 1 << 20);
    REQUIRE_OK(downloaded);
    CHECK(downloaded.value() == 24);
    CHECK(sink.text == "account,outcome\nA1,paid\n");

    // Every operation so far (publish with its stat, upload, stat and rename; listings;
    // a missing file; a download) went over the one SSH connection the session opened.
    CHECK(accepted_logins() == logins_before + 1);

    test::StringSink small;
    auto too_large = session->download(transport::RemoteArea::Collect, "return-1.csv", small, 10);
    REQUIRE(too_large.is_error());
    CHECK(too_large.error().code() == base::ErrorCode::InputTooLarge);

    REQUIRE(session->archive("return-1.csv").ok());
    CHECK(std::filesystem::exists(sftp_root() / "outgoing/archive/return-1.csv"));
    CHECK_FALSE(std::filesystem::exists(sftp_root() / "outgoing/return-1.csv"));
    REQUIRE(session->remove(transport::RemoteArea::Collect, "return-2.csv").ok());
    CHECK_FALSE(std::filesystem::exists(sftp_root() / "outgoing/return-2.csv"));

    auto gone = session->download(transport::RemoteArea::Collect, "return-2.csv", sink, 1 << 20);
    REQUIRE(gone.is_error());
    CHECK(gone.error().code() == base::ErrorCode::NotFound);


    // Archiving never replaces a file already in the archive.
    test::agency_file(sftp_root() / "outgoing", "return-1.csv", "a second file of the same name\n");
    auto again = session->archive("return-1.csv");
    REQUIRE(again.is_error());
    CHECK(again.error().code() == base::ErrorCode::RemoteFileExists);
    CHECK(test::read_whole(sftp_root() / "outgoing/archive/return-1.csv") == "account,outcome\nA1,paid\n");
    std::filesystem::remove(sftp_root() / "outgoing/return-1.csv");
    std::filesystem::remove_all(sftp_root() / "outgoing/a-folder");
}

TEST_CASE("SFTP: a name already on the server is never replaced")
{
    auto session = test::open_session(sftp_profile());
    test::write_whole(sftp_root() / "incoming/collision.csv.age", "the agency's file");
    auto local = test::make_local_file("collision.csv.age", 1000);
    auto published = session->publish(local, "collision.csv.age", ".collision.csv.age.part");
    REQUIRE(published.is_error());
    CHECK(published.error().code() == base::ErrorCode::RemoteFileExists);
    CHECK_FALSE(base::is_transient(published.error().code()));
    CHECK(test::read_whole(sftp_root() / "incoming/collision.csv.age") == "the agency's file");
    CHECK_THAT(published.error().to_text(), Catch::Contains("incoming/collision.csv.age"));
}

TEST_CASE("SFTP: the server's rename refuses an existing target, so a racing file survives")
{
    // The session checks for the final name before renaming; this is the second line of
    // defence, SSH_FXP_RENAME (SFTP v3) on OpenSSH, exercised as libcurl sends it.
    test::write_whole(sftp_root() / "incoming/race-target", "first");
    test::write_whole(sftp_root() / "incoming/race-source", "second");
    auto command = "curl -sS --key " + server_env("SFTP_KEY") + " --pubkey '' --hostpubsha256 "
        + server_env("SFTP_HOST_KEY_SHA256").substr(7) + " -u " + server_env("SFTP_USER") + ": -I"
        + " -Q 'rename /~/incoming/race-source /~/incoming/race-target' sftp://127.0.0.1:" + server_env("SFTP_PORT")
        + "/~/incoming/ 2>/dev/null";
    CHECK(std::system(command.c_str()) != 0);
    CHECK(test::read_whole(sftp_root() / "incoming/race-target") == "first");
    std::filesystem::remove(sftp_root() / "incoming/race-target");
    std::filesystem::remove(sftp_root() / "incoming/race-source");
}

TEST_CASE("SFTP: a wrong pinned host key is refused, naming both fingerprints")
{
    auto profile = sftp_profile();
    profile.sftp.host_key_sha256 = { server_env("SFTP_OTHER_HOST_KEY_SHA256") };
    auto session = test::connect_error(profile, base::ErrorCode::HostKeyMismatch);
    CHECK_FALSE(base::is_transient(session.code()));
    CHECK_THAT(session.message(), Catch::Contains(server_env("SFTP_HOST_KEY_SHA256")));
    CHECK_THAT(session.message(), Catch::Contains(server_env("SFTP_OTHER_HOST_KEY_SHA256")));
}

TEST_CASE("SFTP: known_hosts is enforced: a match connects, a different or missing key is refused")
{
    auto profile = sftp_profile();
    profile.sftp.host_key_sha256.clear();
    profile.sftp.known_hosts = server_env("SFTP_KNOWN_HOSTS");
    REQUIRE(transport::connect(profile).ok());

    profile.sftp.known_hosts = server_env("SFTP_KNOWN_HOSTS_WRONG");
    auto changed = test::connect_error(profile, base::ErrorCode::HostKeyMismatch);
    CHECK_THAT(changed.message(), Catch::Contains(server_env("SFTP_HOST_KEY_SHA256")));
    CHECK_THAT(changed.message(), Catch::Contains(server_env("SFTP_OTHER_HOST_KEY_SHA256")));

    auto empty = std::filesystem::path(server_env("DCAGW_TEST_STATE")) / "empty_known_hosts";
    test::write_whole(empty, "");
    profile.sftp.known_hosts = empty;
    auto unknown = test::connect_error(profile, base::ErrorCode::HostKeyMismatch);
    CHECK_THAT(unknown.message(), Catch::Contains("no entry"));

    // Both configured: both must agree.
    profile.sftp.known_hosts = server_env("SFTP_KNOWN_HOSTS");
    profile.sftp.host_key_sha256 = { server_env("SFTP_OTHER_HOST_KEY_SHA256") };
    auto pin_differs = test::connect_error(profile, base::ErrorCode::HostKeyMismatch);
}

TEST_CASE("SFTP: a key the server does not know fails authentication, permanently")
{
    auto profile = sftp_profile();
    profile.sftp.private_key = server_env("SFTP_OTHER_CLIENT_KEY");
    auto session = test::connect_error(profile, base::ErrorCode::AuthenticationFailed);
    CHECK_FALSE(base::is_transient(session.code()));
}

TEST_CASE("SFTP: a private key protected by a passphrase read from a 0600 file")
{
    auto profile = sftp_profile();
    profile.sftp.private_key = server_env("SFTP_PROTECTED_KEY");
    profile.sftp.private_key_passphrase_file = server_env("SFTP_PROTECTED_KEY_PASSPHRASE");
    REQUIRE_OK(transport::connect(profile));

    // A passphrase file others can read is refused before anything is sent.
    std::filesystem::permissions(*profile.sftp.private_key_passphrase_file, std::filesystem::perms(0644));
    auto open_file = transport::connect(profile);
    std::filesystem::permissions(*profile.sftp.private_key_passphrase_file, std::filesystem::perms(0600));
    REQUIRE(open_file.is_error());
    CHECK(open_file.error().code() == base::ErrorCode::PermissionsTooOpen);

    profile.sftp.private_key_passphrase_file.reset();
    auto no_passphrase = test::connect_error(profile, base::ErrorCode::AuthenticationFailed);
}

TEST_CASE("SFTP: a password file without allow_password is a configuration error")
{
    auto profile = sftp_profile();
    profile.sftp.password_file = server_env("SFTP_PROTECTED_KEY_PASSPHRASE");
    auto refused = test::connect_error(profile, base::ErrorCode::ConfigInvalid);
    CHECK_THAT(refused.message(), Catch::Contains("password authentication is not allowed"));
}

TEST_CASE("SFTP: password login only when allowed, from a 0600 file; no key offered without private_key")
{
    auto profile = sftp_profile();
    profile.sftp.private_key.clear();
    profile.sftp.allow_password = true;
    profile.sftp.password_file = server_env("SFTP_PASSWORD_FILE");
    auto session = test::open_session(profile);
    auto const listed = session->list(transport::RemoteArea::Upload);
    REQUIRE_OK(listed);
    auto const log = test::read_whole(std::filesystem::path(server_env("DCAGW_TEST_STATE")) / "sftp" / "sshd.log");
    CHECK(log.find("Accepted password for " + server_env("SFTP_USER")) != std::string::npos);
    session.reset();

    // A wrong password: refused, and not worth retrying.
    auto const wrong = std::filesystem::path(server_env("DCAGW_TEST_STATE")) / "wrong-password";
    {
        std::ofstream(wrong) << "not-the-password\n";
    }
    std::filesystem::permissions(wrong, std::filesystem::perms(0600));
    profile.sftp.password_file = wrong;
    auto refused = test::connect_error(profile, base::ErrorCode::AuthenticationFailed);
    CHECK_FALSE(base::is_transient(refused.code()));

    // A password file others can read is refused before anything is sent.
    profile.sftp.password_file = server_env("SFTP_PASSWORD_FILE");
    std::filesystem::permissions(*profile.sftp.password_file, std::filesystem::perms(0644));
    auto open_file = transport::connect(profile);
    std::filesystem::permissions(*profile.sftp.password_file, std::filesystem::perms(0600));
    REQUIRE(open_file.is_error());
    CHECK(open_file.error().code() == base::ErrorCode::PermissionsTooOpen);

    // Without allow_password the password is never sent, even though the server takes it.
    profile.sftp.allow_password = false;
    profile.sftp.password_file.reset();
    auto no_method = transport::connect(profile);
    REQUIRE(no_method.is_error());
    CHECK_FALSE(base::is_transient(no_method.error().code()));
}

TEST_CASE("SFTP: a folder the user may not write is a clear permission error, not retried")
{
    auto profile = sftp_profile();
    auto session = test::open_session(profile);
    profile.upload_directory = "denied";
    auto denied_session = test::open_session(profile);
    auto local = test::make_local_file("denied.csv.age", 100);
    auto published = denied_session->publish(local, "denied.csv.age", ".denied.csv.age.part");
    REQUIRE(published.is_error());
    CHECK(published.error().code() == base::ErrorCode::RemotePermissionDenied);
    CHECK_FALSE(base::is_transient(published.error().code()));
    CHECK_THAT(published.error().message(), Catch::Contains("denied/.denied.csv.age.part"));
}

TEST_CASE("SFTP: hostile remote names are listed verbatim for the exchange to refuse")
{
    std::vector<std::string> const hostile { "..", "...", " leading space", "trailing space ", "escape\x1b[31m",
        "two\nlines", "-rw-r--r-- 1 a b 5 Jan 1 00:00 fake", "not-utf8-\xff\xfe", "back\\slash", "semi;colon$(x)" };
    for (auto const& name : hostile) {
        if (name != "..")
            test::agency_file(sftp_root() / "outgoing", name, "x");
    }
    auto session = test::open_session(sftp_profile());
    auto listed = session->list(transport::RemoteArea::Collect);
    REQUIRE_OK(listed);
    std::vector<std::string> names;
    for (auto const& file : listed.value())
        names.push_back(file.name);
    for (auto const& name : hostile) {
        if (name != "..")
            CHECK(std::find(names.begin(), names.end(), name) != names.end());
    }
    CHECK(std::find(names.begin(), names.end(), "..") == names.end()); // a folder
    // The transport itself refuses a name with a separator or control character.
    test::StringSink sink;
    auto traversal = session->download(transport::RemoteArea::Collect, "../incoming/x", sink, 100);
    REQUIRE(traversal.is_error());
    CHECK(traversal.error().code() == base::ErrorCode::RemoteNameInvalid);
    for (auto const& name : hostile) {
        if (name != "..")
            std::filesystem::remove(sftp_root() / "outgoing" / name);
    }
}

TEST_CASE("SFTP: the server stopped mid-upload; the next attempt publishes once, never a partial file")
{
    auto local = test::make_local_file("large.csv.age", 256ull << 20);
    {
        auto session = test::open_session(sftp_profile());
        test::StopWhenGrown stopper(sftp_root() / "incoming", 8u << 20, "sshd.sh", "sftp");
        auto published = session->publish(local, "large.csv.age", ".large.csv.age.part");
        REQUIRE(stopper.stopped());
        REQUIRE(published.is_error());
        CHECK(base::is_transient(published.error().code()));
        CHECK_FALSE(std::filesystem::exists(sftp_root() / "incoming/large.csv.age"));
    }
    auto refused = transport::connect(sftp_profile());
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::TransportFailure);

    test::server_control("sshd.sh", "start", "sftp");
    auto session = test::open_session(sftp_profile());
    auto published = session->publish(local, "large.csv.age", ".large.csv.age.part");
    REQUIRE_OK(published);
    CHECK(std::filesystem::file_size(sftp_root() / "incoming/large.csv.age") == (256ull << 20));
    CHECK_FALSE(std::filesystem::exists(sftp_root() / "incoming/.large.csv.age.part"));
    auto listed = session->list(transport::RemoteArea::Upload);
    REQUIRE_OK(listed);
    CHECK(std::count_if(listed.value().begin(), listed.value().end(),
              [](auto const& file) { return file.name.find("large.csv.age") != std::string::npos; })
        == 1);
    std::filesystem::remove(local);
}
