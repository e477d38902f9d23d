// The directory transport's publication rules, and the remote name check.
#include "gateway/transport/local_directory.hpp"
#include "tests/support/temporary_folder.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace dcagw;

namespace {

struct Server {
    Server()
    {
        fs::create_directories(root / "server/incoming");
        fs::create_directories(root / "server/outgoing");
        profile.local_root = root / "server";
    }
    test::TemporaryFolder folder { "transport" };
    fs::path root { folder.path() };
    model::TransportProfile profile;
};

} // namespace

TEST_CASE("check_remote_name refuses names that could escape or hide")
{
    for (std::string_view good : { "returns-20261124.csv", "ack 1.txt", "Siân.csv", "a..b" })
        CHECK(transport::check_remote_name(good).ok());
    for (std::string_view bad : { "", ".", "..", ".hidden", "../x", "a/b", "a\\b", "tab\tname", "esc\x1bname", "bell\x7f" })
        CHECK(transport::check_remote_name(bad).error().code() == base::ErrorCode::RemoteNameInvalid);
    CHECK(transport::check_remote_name(std::string_view("nul\0name", 8)).is_error());
    CHECK(transport::check_remote_name("bad\xff utf8").is_error());
    CHECK(transport::check_remote_name("c1\xc2\x9b").is_error());
    CHECK(transport::check_remote_name(std::string(200, 'a')).ok());
    CHECK(transport::check_remote_name(std::string(201, 'a')).is_error());
}

TEST_CASE("the directory transport publishes complete files and never replaces one")
{
    Server server;
    std::ofstream(server.root / "local.age") << "ciphertext";
    auto session = transport::make_local_directory_session(server.profile);
    REQUIRE(session.ok());
    auto& s = *session.value();

    std::ofstream(server.root / "server/incoming/.tmp-1") << "leftover of a killed attempt, longer";
    auto const published = s.publish(server.root / "local.age", "final.age", ".tmp-1");
    REQUIRE(published.ok());
    CHECK(published.value().size == 10);
    CHECK_FALSE(fs::exists(server.root / "server/incoming/.tmp-1"));
    auto const stat = s.stat(transport::RemoteArea::Upload, "final.age");
    REQUIRE(stat.ok());
    REQUIRE(stat.value());
    CHECK(stat.value()->size == 10);
    CHECK_FALSE(s.stat(transport::RemoteArea::Upload, "other.age").value());

    auto const again = s.publish(server.root / "local.age", "final.age", ".tmp-2");
    REQUIRE(again.is_error());
    CHECK(again.error().code() == base::ErrorCode::RemoteFileExists);
    CHECK(s.publish(server.root / "local.age", "../escape.age", ".tmp-3").is_error());

    // The hook runs after the upload and before the rename; when it fails, nothing is
    // renamed and the temporary upload is abandoned (issue 12.5).
    int hook_calls = 0;
    auto const refused = s.publish(server.root / "local.age", "hooked.age", ".tmp-4", [&]() -> base::Result<void> {
        ++hook_calls;
        CHECK(fs::exists(server.root / "server/incoming/.tmp-4"));
        CHECK_FALSE(fs::exists(server.root / "server/incoming/hooked.age"));
        return base::make_error(base::ErrorCode::StoreFailure, "the ledger is full");
    });
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::StoreFailure);
    CHECK(hook_calls == 1);
    CHECK_FALSE(fs::exists(server.root / "server/incoming/hooked.age"));
    CHECK_FALSE(fs::exists(server.root / "server/incoming/.tmp-4"));
    REQUIRE(s.publish(server.root / "local.age", "hooked.age", ".tmp-4", [&]() -> base::Result<void> { ++hook_calls; return {}; }).ok());
    CHECK(hook_calls == 2);
    CHECK(fs::exists(server.root / "server/incoming/hooked.age"));

    std::ofstream(server.root / "server/outgoing/r.csv") << "r";
    fs::create_directories(server.root / "server/outgoing/folder");
    auto const listed = s.list(transport::RemoteArea::Collect);
    REQUIRE(listed.ok());
    REQUIRE(listed.value().size() == 1);
    CHECK(listed.value()[0].name == "r.csv");
    REQUIRE(s.archive("r.csv").ok());
    CHECK(fs::exists(server.root / "server/outgoing/archive/r.csv"));
    CHECK_FALSE(fs::exists(server.root / "server/outgoing/r.csv"));
}

TEST_CASE("a missing agency folder is a transport failure, worth a retry")
{
    Server server;
    server.profile.local_root = server.root / "nowhere";
    auto const session = transport::make_local_directory_session(server.profile);
    REQUIRE(session.is_error());
    CHECK(session.error().code() == base::ErrorCode::TransportFailure);
}
