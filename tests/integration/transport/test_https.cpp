// HTTPS transport against a real nginx (WebDAV over TLS with a test CA, a listener
// requiring a client certificate), started by run_with_servers.sh.
#include "server_fixture.hpp"

#include "gateway/transport/session.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>
#include <thread>

using namespace dcagw;
using dcagw::test::server_env;

namespace {

std::filesystem::path https_root() { return server_env("HTTPS_ROOT"); }

model::TransportProfile https_profile()
{
    model::TransportProfile profile;
    profile.kind = model::TransportKind::Https;
    profile.https.base_url = "https://127.0.0.1:" + server_env("HTTPS_PORT") + "/dca/";
    profile.https.ca_file = server_env("HTTPS_CA");
    profile.https.bearer_token_file = server_env("HTTPS_TOKEN_FILE");
    profile.connect_timeout = std::chrono::seconds(10);
    profile.transfer_timeout = std::chrono::seconds(300);
    return profile;
}

model::TransportProfile mutual_tls_profile()
{
    auto profile = https_profile();
    profile.https.base_url = "https://127.0.0.1:" + server_env("HTTPS_MTLS_PORT") + "/dca/";
    profile.https.bearer_token_file.reset();
    profile.https.client_certificate = server_env("HTTPS_CLIENT_CERT");
    profile.https.client_key = server_env("HTTPS_CLIENT_KEY");
    return profile;
}

} // namespace

TEST_CASE("HTTPS: PUT and MOVE publication, JSON listing, download, archive and delete")
{
    auto session = test::open_session(https_profile());
    auto local = test::make_local_file("https-delivery.csv.age", 5 * 1024 * 1024 + 3);
    auto published = session->publish(local, "delivery.csv.age", ".delivery.csv.age.part");
    REQUIRE_OK(published);
    CHECK(published.value().size == 5 * 1024 * 1024 + 3);
    CHECK(test::read_whole(https_root() / "incoming/delivery.csv.age") == test::read_whole(local));
    CHECK_FALSE(std::filesystem::exists(https_root() / "incoming/.delivery.csv.age.part"));

    auto collision = session->publish(local, "delivery.csv.age", ".delivery.csv.age.part");
    REQUIRE(collision.is_error());
    CHECK(collision.error().code() == base::ErrorCode::RemoteFileExists);
    CHECK_FALSE(std::filesystem::exists(https_root() / "incoming/.delivery.csv.age.part"));

    test::agency_file(https_root() / "outgoing", "return-1.csv", "account,outcome\nA1,paid\n");
    test::agency_file(https_root() / "outgoing", "return 2 \"quoted\".csv", "x");
    auto listed = session->list(transport::RemoteArea::Collect);
    REQUIRE_OK(listed);
    REQUIRE(listed.value().size() == 2); // not the archive folder
    test::StringSink sink;
    auto downloaded = session->download(transport::RemoteArea::Collect, "return-1.csv", sink, 1 << 20);
    REQUIRE_OK(downloaded);
    CHECK(sink.text == "account,outcome\nA1,paid\n");

    REQUIRE_OK(session->archive("return-1.csv"));
    CHECK(std::filesystem::exists(https_root() / "outgoing/archive/return-1.csv"));
    REQUIRE_OK(session->remove(transport::RemoteArea::Collect, "return 2 \"quoted\".csv"));
    CHECK_FALSE(std::filesystem::exists(https_root() / "outgoing/return 2 \"quoted\".csv"));

    test::agency_file(https_root() / "outgoing", "return-1.csv", "same name again\n");
    auto again = session->archive("return-1.csv");
    REQUIRE(again.is_error());
    CHECK(again.error().code() == base::ErrorCode::RemoteFileExists);
    CHECK(test::read_whole(https_root() / "outgoing/archive/return-1.csv") == "account,outcome\nA1,paid\n");
    std::filesystem::remove(https_root() / "outgoing/return-1.csv");

    auto missing = session->download(transport::RemoteArea::Collect, "nothing", sink, 100);
    REQUIRE(missing.is_error());
    CHECK(missing.error().code() == base::ErrorCode::NotFound);
}

TEST_CASE("HTTPS: one session, one TLS connection")
{
    auto log_path = std::filesystem::path(server_env("DCAGW_TEST_STATE")) / "https/access.log";
    auto lines_before = test::read_whole(log_path).size();
    {
        auto session = test::open_session(https_profile());
        auto local = test::make_local_file("reuse.csv.age", 1000);
        REQUIRE_OK(session->publish(local, "reuse.csv.age", ".reuse.csv.age.part"));
        REQUIRE_OK(session->list(transport::RemoteArea::Upload));
        REQUIRE_OK(session->remove(transport::RemoteArea::Upload, "reuse.csv.age"));
    }
    // nginx logs a request after sending its response: wait (briefly) for the last line.
    std::string logged;
    for (int waited = 0; waited < 100; ++waited) {
        logged = test::read_whole(log_path).substr(lines_before);
        if (std::count(logged.begin(), logged.end(), '\n') >= 7)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::istringstream log(logged);
    std::set<std::string> connections;
    int requests = 0;
    for (std::string line; std::getline(log, line); ++requests)
        connections.insert(line.substr(0, line.find(' ')));
    CHECK(requests == 7); // open (GET folder), HEAD final, PUT, HEAD temporary, MOVE, GET listing, DELETE
    CHECK(connections.size() == 1);
}

TEST_CASE("HTTPS: a redirect is not followed")
{
    auto profile = https_profile();
    profile.upload_directory = "moved";
    auto moved = test::connect_error(profile, base::ErrorCode::RemoteRequestRefused);
    CHECK_THAT(moved.message(), Catch::Contains("HTTP 302") && Catch::Contains("never followed"));
}

TEST_CASE("HTTPS: the server key pin is enforced")
{
    auto profile = https_profile();
    profile.https.pinned_public_key = server_env("HTTPS_PIN");
    REQUIRE(transport::connect(profile).ok());
    profile.https.pinned_public_key = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    auto pinned = test::connect_error(profile, base::ErrorCode::TlsVerificationFailed);
}

TEST_CASE("HTTPS: a certificate from an unknown CA is refused")
{
    auto profile = https_profile();
    profile.https.ca_file = server_env("HTTPS_OTHER_CA");
    auto session = test::connect_error(profile, base::ErrorCode::TlsVerificationFailed);
    CHECK_FALSE(base::is_transient(session.code()));
    profile.https.ca_file.reset(); // the system store does not know the test CA either
    auto system_store = test::connect_error(profile, base::ErrorCode::TlsVerificationFailed);
}

TEST_CASE("HTTPS: a wrong token fails authentication, permanently")
{
    auto profile = https_profile();
    auto token = std::filesystem::path(server_env("DCAGW_TEST_STATE")) / "wrong_token";
    test::write_whole(token, "not-the-token\n");
    std::filesystem::permissions(token, std::filesystem::perms(0600));
    profile.https.bearer_token_file = token;
    auto session = test::connect_error(profile, base::ErrorCode::AuthenticationFailed);
    CHECK_THAT(session.to_text(), !Catch::Contains("not-the-token"));
}

TEST_CASE("HTTPS: basic authentication from a user:password file")
{
    auto profile = https_profile();
    profile.https.base_url = "https://127.0.0.1:" + server_env("HTTPS_PORT") + "/basic/";
    profile.https.bearer_token_file.reset();
    profile.https.basic_auth_file = server_env("HTTPS_BASIC_AUTH_FILE");
    auto session = test::open_session(profile);
    auto local = test::make_local_file("basic.csv.age", 2048);
    REQUIRE_OK(session->publish(local, "basic.csv.age", ".basic.csv.age.part"));
    CHECK(std::filesystem::file_size(https_root() / "incoming/basic.csv.age") == 2048);

    profile.https.basic_auth_file.reset();
    test::connect_error(profile, base::ErrorCode::AuthenticationFailed);
}

TEST_CASE("HTTPS: mutual TLS works with the client certificate and is refused without it")
{
    auto session = test::open_session(mutual_tls_profile());
    auto local = test::make_local_file("mtls.csv.age", 4096);
    REQUIRE_OK(session->publish(local, "mtls.csv.age", ".mtls.csv.age.part"));
    CHECK(std::filesystem::exists(https_root() / "incoming/mtls.csv.age"));

    auto profile = mutual_tls_profile();
    profile.https.client_certificate.reset();
    profile.https.client_key.reset();
    auto refused = transport::connect(profile);
    REQUIRE(refused.is_error());
    CHECK_FALSE(base::is_transient(refused.error().code()));
    CHECK_THAT(refused.error().message(), Catch::Contains("certificate"));
}

TEST_CASE("HTTPS: a folder nginx may not write is a permission error, not retried")
{
    auto profile = https_profile();
    profile.upload_directory = "denied";
    // The session looks at its upload folder first.
    auto denied = test::connect_error(profile, base::ErrorCode::RemotePermissionDenied);
    CHECK_FALSE(base::is_transient(denied.code()));
    CHECK_THAT(denied.message(), Catch::Contains("HTTP 403"));

    auto allowed = test::open_session(https_profile());
    test::StringSink sink;
    auto downloaded = allowed->download(transport::RemoteArea::Upload, "x", sink, 100);
    REQUIRE(downloaded.is_error());
    CHECK(downloaded.error().code() == base::ErrorCode::NotFound);
}

TEST_CASE("HTTPS: hostile remote names come back from the listing verbatim")
{
    // (nginx's autoindex leaves out names starting with '.', so "..." is not among them.)
    std::vector<std::string> const hostile { " leading", "escape\x1b[0m", "two\nlines", "not-utf8-\xff",
        "quote\"and\\backslash", "%2e%2e" };
    for (auto const& name : hostile)
        test::agency_file(https_root() / "outgoing", name, "x");
    auto session = test::open_session(https_profile());
    auto listed = session->list(transport::RemoteArea::Collect);
    REQUIRE_OK(listed);
    std::vector<std::string> names;
    for (auto const& file : listed.value())
        names.push_back(file.name);
    for (auto const& name : hostile) {
        INFO("name: " << name);
        CHECK(std::find(names.begin(), names.end(), name) != names.end());
        std::filesystem::remove(https_root() / "outgoing" / name);
    }
}

TEST_CASE("HTTPS: nginx stopped mid-upload; the next attempt publishes once, never a partial file")
{
    auto local = test::make_local_file("https-large.csv.age", 256ull << 20);
    auto body_temp = std::filesystem::path(server_env("DCAGW_TEST_STATE")) / "https/body_temp";
    {
        auto session = test::open_session(https_profile());
        test::StopWhenGrown stopper(body_temp, 8u << 20, "nginx.sh", "https");
        auto published = session->publish(local, "large.csv.age", ".large.csv.age.part");
        REQUIRE(stopper.stopped());
        REQUIRE(published.is_error());
        CHECK(base::is_transient(published.error().code()));
        CHECK_FALSE(std::filesystem::exists(https_root() / "incoming/large.csv.age"));
    }
    test::server_control("nginx.sh", "start", "https");
    auto session = test::open_session(https_profile());
    auto published = session->publish(local, "large.csv.age", ".large.csv.age.part");
    REQUIRE_OK(published);
    CHECK(std::filesystem::file_size(https_root() / "incoming/large.csv.age") == (256ull << 20));
    CHECK_FALSE(std::filesystem::exists(https_root() / "incoming/.large.csv.age.part"));
    std::filesystem::remove(local);
}

TEST_CASE("HTTPS: nginx's JSON autoindex listing stays available as an option")
{
    auto profile = https_profile();
    profile.https.listing = model::ListingFormat::NginxJson;
    auto session = test::open_session(profile);
    test::agency_file(https_root() / "outgoing", "json-listed.csv", "abc");
    auto listed = session->list(transport::RemoteArea::Collect);
    REQUIRE_OK(listed);
    REQUIRE(listed.value().size() == 1);
    CHECK(listed.value()[0].name == "json-listed.csv");
    CHECK(listed.value()[0].size == 3u);

    // The default, PROPFIND, answered by nginx's dav-ext module: the same file.
    auto propfind = test::open_session(https_profile())->list(transport::RemoteArea::Collect);
    REQUIRE_OK(propfind);
    REQUIRE(propfind.value().size() == 1);
    CHECK(propfind.value()[0].name == "json-listed.csv");
    CHECK(propfind.value()[0].size == 3u);
    std::filesystem::remove(https_root() / "outgoing/json-listed.csv");
}

TEST_CASE("HTTPS: proxy settings in the environment are ignored; the server is reached directly")
{
    // A proxy nobody listens on: a transfer that used it would fail to connect.
    std::vector<std::string> const variables { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" };
    for (auto const& variable : variables)
        ::setenv(variable.c_str(), "http://127.0.0.1:9", 1);
    ::unsetenv("no_proxy");
    ::unsetenv("NO_PROXY");
    auto session = transport::connect(https_profile());
    std::optional<base::Result<std::vector<transport::RemoteFile>>> listed;
    if (session.ok())
        listed = session.value()->list(transport::RemoteArea::Collect);
    for (auto const& variable : variables)
        ::unsetenv(variable.c_str());
    REQUIRE_OK(session);
    REQUIRE(listed.has_value());
    REQUIRE_OK(*listed);
}

TEST_CASE("HTTPS: a server slower than the low-speed limit is abandoned early, transiently")
{
    test::agency_file(https_root() / "outgoing", "slow.csv", std::string(64 * 1024, 's'));
    auto profile = https_profile();
    profile.https.base_url = "https://127.0.0.1:" + server_env("HTTPS_PORT") + "/slow/";
    profile.https.bearer_token_file.reset();
    profile.https.listing = model::ListingFormat::NginxJson;
    profile.transfer_timeout = std::chrono::seconds(60);
    profile.low_speed_bytes_per_second = 2000; // nginx sends 200 bytes a second
    profile.low_speed_time = std::chrono::seconds(2);
    auto session = test::open_session(profile);
    test::StringSink sink;
    auto started = std::chrono::steady_clock::now();
    auto downloaded = session->download(transport::RemoteArea::Collect, "slow.csv", sink, 1 << 20);
    auto elapsed = std::chrono::steady_clock::now() - started;
    REQUIRE(downloaded.is_error());
    CHECK(downloaded.error().code() == base::ErrorCode::TransportFailure);
    CHECK(elapsed < std::chrono::seconds(20));
    std::filesystem::remove(https_root() / "outgoing/slow.csv");
}
