// HTTPS transport against WebDAV servers other than nginx, as RFC 4918 defines the
// protocol: Apache httpd 2.4 with mod_dav and rclone's `serve webdav` (webdav.sh, started
// by run_with_servers.sh): publication by PUT and MOVE (absolute Destination URI),
// collection from a PROPFIND listing, archive, and how their refusals are classified.
#include "server_fixture.hpp"

#include "gateway/transport/session.hpp"

#include <algorithm>
#include <cstdlib>

using namespace dcagw;
using dcagw::test::server_env;

namespace {

struct WebdavServer {
    std::string name;
    std::string port_variable;
    std::string root_variable;
};

model::TransportProfile webdav_profile(WebdavServer const& server)
{
    model::TransportProfile profile;
    profile.kind = model::TransportKind::Https;
    profile.https.base_url = "https://127.0.0.1:" + server_env(server.port_variable.c_str()) + "/dca/";
    profile.https.ca_file = server_env("HTTPS_CA");
    profile.https.basic_auth_file = server_env("WEBDAV_BASIC_AUTH_FILE");
    profile.connect_timeout = std::chrono::seconds(10);
    profile.transfer_timeout = std::chrono::seconds(120);
    return profile;
}

std::vector<std::string> names_of(std::vector<transport::RemoteFile> const& files)
{
    std::vector<std::string> names;
    for (auto const& file : files)
        names.push_back(file.name);
    std::sort(names.begin(), names.end());
    return names;
}

WebdavServer const apache { "Apache mod_dav", "APACHE_PORT", "APACHE_ROOT" };
WebdavServer const rclone { "rclone serve webdav", "RCLONE_WEBDAV_PORT", "RCLONE_WEBDAV_ROOT" };

} // namespace

TEST_CASE("WebDAV servers: publish (PUT, MOVE), PROPFIND listing, download, archive, delete")
{
    for (auto const& server : { apache, rclone }) {
        INFO(server.name);
        std::filesystem::path const root = server_env(server.root_variable.c_str());
        auto session = test::open_session(webdav_profile(server));
        auto local = test::make_local_file("webdav-delivery.csv.age", 3 * 1024 * 1024 + 7);
        auto published = session->publish(local, "delivery 1.csv.age", ".delivery 1.csv.age.part");
        REQUIRE_OK(published);
        CHECK(published.value().size == 3 * 1024 * 1024 + 7);
        CHECK(test::read_whole(root / "incoming/delivery 1.csv.age") == test::read_whole(local));
        CHECK_FALSE(std::filesystem::exists(root / "incoming/.delivery 1.csv.age.part"));

        auto collision = session->publish(local, "delivery 1.csv.age", ".delivery 1.csv.age.part");
        REQUIRE(collision.is_error());
        CHECK(collision.error().code() == base::ErrorCode::RemoteFileExists);
        CHECK_FALSE(std::filesystem::exists(root / "incoming/.delivery 1.csv.age.part"));

        test::agency_file(root / "outgoing", "return-1.csv", "account,outcome\nA1,paid\n");
        test::agency_file(root / "outgoing", "return 2 %41.csv", "xy");
        auto listed = session->list(transport::RemoteArea::Collect);
        REQUIRE_OK(listed);
        CHECK(names_of(listed.value()) == std::vector<std::string> { "return 2 %41.csv", "return-1.csv" }); // not archive/
        for (auto const& file : listed.value())
            CHECK(file.size == (file.name == "return-1.csv" ? 24u : 2u));

        test::StringSink sink;
        REQUIRE_OK(session->download(transport::RemoteArea::Collect, "return-1.csv", sink, 1 << 20));
        CHECK(sink.text == "account,outcome\nA1,paid\n");
        REQUIRE_OK(session->archive("return-1.csv"));
        CHECK(std::filesystem::exists(root / "outgoing/archive/return-1.csv"));
        test::agency_file(root / "outgoing", "return-1.csv", "same name again\n");
        auto again = session->archive("return-1.csv");
        REQUIRE(again.is_error());
        CHECK(again.error().code() == base::ErrorCode::RemoteFileExists);
        CHECK(test::read_whole(root / "outgoing/archive/return-1.csv") == "account,outcome\nA1,paid\n");
        REQUIRE_OK(session->remove(transport::RemoteArea::Collect, "return 2 %41.csv"));
        CHECK_FALSE(std::filesystem::exists(root / "outgoing/return 2 %41.csv"));

        auto missing = session->download(transport::RemoteArea::Collect, "nothing", sink, 100);
        REQUIRE(missing.is_error());
        CHECK(missing.error().code() == base::ErrorCode::NotFound);
        for (auto const* leftover : { "incoming/delivery 1.csv.age", "outgoing/return-1.csv", "outgoing/archive/return-1.csv" })
            std::filesystem::remove(root / leftover);
    }
}

TEST_CASE("WebDAV servers: a wrong password fails authentication, permanently")
{
    auto wrong = std::filesystem::path(server_env("DCAGW_TEST_STATE")) / "webdav_wrong_auth";
    test::write_whole(wrong, "dcagw:not-the-password\n");
    std::filesystem::permissions(wrong, std::filesystem::perms(0600));
    for (auto const& server : { apache, rclone }) {
        INFO(server.name);
        auto profile = webdav_profile(server);
        profile.https.basic_auth_file = wrong;
        auto refused = test::connect_error(profile, base::ErrorCode::AuthenticationFailed);
        CHECK_THAT(refused.to_text(), !Catch::Contains("not-the-password"));
    }
}

TEST_CASE("Apache mod_dav: refusals map to their own kinds; a refused MOVE leaves no temporary file")
{
    std::filesystem::path const root = server_env("APACHE_ROOT");
    auto local = test::make_local_file("apache-refusals.csv.age", 4096);

    auto denied_profile = webdav_profile(apache);
    denied_profile.upload_directory = "denied";
    auto denied = test::connect_error(denied_profile, base::ErrorCode::RemotePermissionDenied);
    CHECK_THAT(denied.message(), Catch::Contains("HTTP 403"));

    // The PUT is allowed there, the MOVE is not (403): the temporary copy is deleted.
    auto no_move = webdav_profile(apache);
    no_move.upload_directory = "nomove";
    auto session = test::open_session(no_move);
    auto refused = session->publish(local, "delivery.csv.age", ".delivery.csv.age.part");
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::RemotePermissionDenied);
    CHECK_THAT(refused.error().message(), Catch::Contains("moving") && Catch::Contains("HTTP 403"));
    CHECK_FALSE(std::filesystem::exists(root / "nomove/.delivery.csv.age.part"));
    CHECK_FALSE(std::filesystem::exists(root / "nomove/delivery.csv.age"));

    // A folder that does not exist: PUT answers 409 Conflict (RFC 4918 9.7.1), a refused
    // request, neither a permission problem nor worth a retry.
    auto missing_folder = webdav_profile(apache);
    missing_folder.upload_directory = "no-such-folder";
    auto missing_session = test::open_session(missing_folder);
    auto conflict = missing_session->publish(local, "delivery.csv.age", ".delivery.csv.age.part");
    REQUIRE(conflict.is_error());
    CHECK(conflict.error().code() == base::ErrorCode::RemoteRequestRefused);
    CHECK_FALSE(base::is_transient(conflict.error().code()));
    CHECK_THAT(conflict.error().message(), Catch::Contains("HTTP 409"));
}

TEST_CASE("WebDAV servers: stopped mid-upload; the next attempt publishes once, never a partial file")
{
    // Apache and rclone write a PUT straight into the target folder, so the temporary
    // file itself grows there.
    auto local = test::make_local_file("webdav-large.csv.age", 96ull << 20);
    for (auto const& [server, which] : { std::pair { apache, "apache" }, std::pair { rclone, "rclone" } }) {
        INFO(server.name);
        std::filesystem::path const root = server_env(server.root_variable.c_str());
        {
            auto session = test::open_session(webdav_profile(server));
            test::StopWhenGrown stopper(root / "incoming", 4u << 20, "webdav.sh", "webdav", which);
            auto published = session->publish(local, "large.csv.age", ".large.csv.age.part");
            REQUIRE(stopper.stopped());
            REQUIRE(published.is_error());
            CHECK(base::is_transient(published.error().code()));
            CHECK_FALSE(std::filesystem::exists(root / "incoming/large.csv.age"));
        }
        test::server_control("webdav.sh", "start", "webdav", which);
        auto session = test::open_session(webdav_profile(server));
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

TEST_CASE("HTTPS multipart POST: Apache with a CGI receiver publishes the file part; a taken name is refused")
{
    // Apache httpd with mod_cgid runs tests/integration/servers/cgi/receive_multipart.py,
    // which publishes the "file" part of a multipart/form-data POST, never replacing.
    auto profile = webdav_profile(apache);
    profile.https.base_url = "https://127.0.0.1:" + server_env("APACHE_PORT") + "/post/";
    profile.https.upload_method = model::UploadMethod::MultipartPost;
    std::filesystem::path const posted = server_env("APACHE_POSTED");
    auto session = test::open_session(profile);
    auto local = test::make_local_file("multipart.csv.age", 2 * 1024 * 1024 + 11);
    auto published = session->publish(local, "posted 1.csv.age", ".unused.part");
    REQUIRE_OK(published);
    CHECK(published.value().size == 2 * 1024 * 1024 + 11);
    CHECK(test::read_whole(posted / "posted 1.csv.age") == test::read_whole(local));

    auto again = session->publish(local, "posted 1.csv.age", ".unused.part");
    REQUIRE(again.is_error());
    CHECK(again.error().code() == base::ErrorCode::RemoteFileExists);
    CHECK(std::filesystem::file_size(posted / "posted 1.csv.age") == 2 * 1024 * 1024 + 11);

    // The field name is the profile's: another one is no file part for this receiver.
    profile.https.multipart_field = "upload";
    auto wrong_field = test::open_session(profile)->publish(local, "posted 2.csv.age", ".unused.part");
    REQUIRE(wrong_field.is_error());
    CHECK(wrong_field.error().code() == base::ErrorCode::RemoteRequestRefused);
    CHECK_FALSE(std::filesystem::exists(posted / "posted 2.csv.age"));
    std::filesystem::remove(local);
}
