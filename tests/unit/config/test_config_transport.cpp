// Tests of the agency "transport" object (config/config_transport.cpp): each kind loads with
// its settings and paths resolved; every problem is found at its JSON path: required keys,
// unknown keys, an SFTP server without a pinned host key, a base URL that is not https,
// secret files others may read, remote folders that are absolute or climb with "..",
// durations and limits out of range.
#include "tests/unit/config/config_test_support.hpp"

using namespace dcagw::test;
using dcagw::model::AfterCollect;
using dcagw::model::TransportKind;
using dcagw::model::UploadMethod;

namespace {

constexpr char const* host_key = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";
auto const public_mode = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;

// The installation with the files a transport names: secrets owner-only, the rest public.
class TransportInstallation : public Installation {
public:
    TransportInstallation()
    {
        for (auto const* secret : { "sftp.key", "sftp.passphrase", "sftp.password", "https.token", "https.basic", "client.key" })
            write_file(root() / "keys" / secret, "not read by the config check\n");
        for (auto const* file : { "known_hosts", "ca.pem", "client.pem" })
            write_file(root() / "keys" / file, "not read by the config check\n", public_mode);
    }

    // The valid configuration with `transport` (a JSON object) given to the first agency.
    static std::string with_transport(std::string const& transport)
    {
        return replaced(valid_config(), R"("agreement": {"reference": "DSA-2026-014")", R"("transport": )" + transport + R"(, "agreement": {"reference": "DSA-2026-014")");
    }

    std::vector<ConfigProblem> check_transport(std::string const& transport) { return check(with_transport(transport)); }

    dcagw::model::TransportProfile load(std::string const& transport)
    {
        auto const problems = check_transport(transport);
        INFO(describe(problems));
        REQUIRE(problems.empty());
        auto loaded = dcagw::config::load_config(config_path());
        REQUIRE(loaded.ok());
        REQUIRE(loaded.value().agencies[0].transport.has_value());
        return *loaded.value().agencies[0].transport;
    }
};

std::string const sftp_valid = std::string(R"({"kind": "sftp", "sftp": {"host": "127.0.0.1", "port": 2222, "user": "council",
    "private_key": "../keys/sftp.key", "private_key_passphrase_file": "../keys/sftp.passphrase", "host_key_sha256": ")")
    + host_key + R"(", "known_hosts": "../keys/known_hosts"}})";

std::string const https_valid = R"({"kind": "https", "https": {"base_url": "https://127.0.0.1:8443/dca/", "ca_file": "../keys/ca.pem",
    "pinned_public_key": "sha256//AAAA", "client_certificate": "../keys/client.pem", "client_key": "../keys/client.key",
    "bearer_token_file": "../keys/https.token", "upload_method": "multipart_post", "multipart_field": "upload"}})";

} // namespace

TEST_CASE("each transport kind loads with its settings and paths resolved", "[config][transport]")
{
    TransportInstallation installation;
    auto const keys = installation.root() / "keys";

    SECTION("directory, with every general setting")
    {
        auto const profile = installation.load(R"({"kind": "directory", "local_root": "../server", "description": "",
            "upload_directory": "in/box", "collect_directory": "out", "archive_directory": "out/done", "after_collect": "delete",
            "listing_path": "out/index.json", "connect_timeout_seconds": 5, "transfer_timeout_seconds": 60, "upload_buffer_bytes": 16384,
            "max_attempts": 3, "backoff_initial_milliseconds": 0, "backoff_max_milliseconds": 250, "acknowledgement_required": true,
            "acknowledgement_suffix": ".ok", "acknowledgement_due_hours": 48, "returns_require_signature": false, "max_collect_bytes": 1000,
            "collect_max_bytes_per_run": 5000})");
        CHECK(profile.kind == TransportKind::LocalDirectory);
        CHECK(profile.local_root == installation.root() / "server");
        CHECK(profile.upload_directory == "in/box");
        CHECK(profile.collect_directory == "out");
        CHECK(profile.archive_directory == "out/done");
        CHECK(profile.after_collect == AfterCollect::Delete);
        CHECK(profile.listing_path == "out/index.json");
        CHECK(profile.connect_timeout == std::chrono::seconds(5));
        CHECK(profile.transfer_timeout == std::chrono::seconds(60));
        CHECK(profile.upload_buffer_bytes == 16384);
        CHECK(profile.max_attempts == 3);
        CHECK(profile.backoff_initial == std::chrono::milliseconds(0));
        CHECK(profile.backoff_max == std::chrono::milliseconds(250));
        CHECK(profile.acknowledgement_required);
        CHECK(profile.acknowledgement_suffix == ".ok");
        CHECK(profile.acknowledgement_due == std::chrono::hours(48));
        // true needs the agency's returns section to verify with: test_config_returns.cpp.
        CHECK_FALSE(profile.returns_require_signature);
        CHECK(profile.max_collect_bytes == 1000);
        CHECK(profile.collect_max_bytes_per_run == 5000);
    }
    SECTION("directory with the defaults")
    {
        auto const profile = installation.load(R"({"kind": "directory", "local_root": "/srv/agency"})");
        dcagw::model::TransportProfile const defaults;
        CHECK(profile.local_root == fs::path("/srv/agency"));
        CHECK(profile.upload_directory == defaults.upload_directory);
        CHECK(profile.collect_directory == defaults.collect_directory);
        CHECK(profile.archive_directory == defaults.archive_directory);
        CHECK(profile.after_collect == AfterCollect::Archive);
        CHECK(profile.connect_timeout == defaults.connect_timeout);
        CHECK(profile.transfer_timeout == defaults.transfer_timeout);
        CHECK(profile.upload_buffer_bytes == defaults.upload_buffer_bytes);
        CHECK(profile.max_attempts == defaults.max_attempts);
        CHECK(profile.backoff_initial == defaults.backoff_initial);
        CHECK(profile.backoff_max == defaults.backoff_max);
        CHECK_FALSE(profile.acknowledgement_required);
    }
    SECTION("sftp")
    {
        auto const profile = installation.load(sftp_valid);
        CHECK(profile.kind == TransportKind::Sftp);
        CHECK(profile.sftp.host == "127.0.0.1");
        CHECK(profile.sftp.port == 2222);
        CHECK(profile.sftp.user == "council");
        CHECK(profile.sftp.private_key == keys / "sftp.key");
        CHECK(profile.sftp.private_key_passphrase_file == keys / "sftp.passphrase");
        CHECK(profile.sftp.host_key_sha256 == std::vector<std::string> { host_key });
        CHECK(profile.sftp.known_hosts == keys / "known_hosts");
        CHECK_FALSE(profile.sftp.allow_password);
        CHECK_FALSE(profile.sftp.password_file.has_value());
    }
    SECTION("sftp: the default port, a known_hosts file alone, password authentication when asked for")
    {
        auto const profile = installation.load(R"({"kind": "sftp", "sftp": {"host": "sftp.agency.example", "user": "council",
            "known_hosts": "../keys/known_hosts", "allow_password": true, "password_file": "../keys/sftp.password"}})");
        CHECK(profile.sftp.port == 22);
        CHECK(profile.sftp.host_key_sha256.empty());
        CHECK(profile.sftp.allow_password);
        CHECK(profile.sftp.password_file == keys / "sftp.password");
    }
    SECTION("https")
    {
        auto const profile = installation.load(https_valid);
        CHECK(profile.kind == TransportKind::Https);
        CHECK(profile.https.base_url == "https://127.0.0.1:8443/dca/");
        CHECK(profile.https.ca_file == keys / "ca.pem");
        CHECK(profile.https.pinned_public_key == std::string("sha256//AAAA"));
        CHECK(profile.https.client_certificate == keys / "client.pem");
        CHECK(profile.https.client_key == keys / "client.key");
        CHECK(profile.https.bearer_token_file == keys / "https.token");
        CHECK_FALSE(profile.https.basic_auth_file.has_value());
        CHECK(profile.https.upload_method == UploadMethod::MultipartPost);
        CHECK(profile.https.multipart_field == "upload");
    }
    SECTION("https with the system CA store and basic authentication")
    {
        auto const profile = installation.load(R"({"kind": "https", "https": {"base_url": "https://dca.example/",
            "basic_auth_file": "../keys/https.basic"}})");
        CHECK_FALSE(profile.https.ca_file.has_value());
        CHECK(profile.https.basic_auth_file == keys / "https.basic");
        CHECK(profile.https.upload_method == UploadMethod::Put);
        CHECK(profile.https.multipart_field == "file");
    }
}

TEST_CASE("each transport problem is found at its JSON path", "[config][transport]")
{
    TransportInstallation installation;
    std::string const at = "/agencies/0/transport";

    SECTION("the kind: required, spelled right, with the settings it needs and no others")
    {
        check_single_problem(installation.check_transport(R"({"local_root": "../server"})"), at + "/kind", "required key is missing");
        check_single_problem(installation.check_transport(R"({"kind": "stfp"})"), at + "/kind", "did you mean 'sftp'?");
        check_single_problem(installation.check_transport(R"({"kind": 3, "local_root": "../server"})"), at + "/kind", "not number");
        check_single_problem(installation.check_transport(R"({"kind": "directory"})"), at + "/local_root", "kind 'directory' needs local_root");
        check_single_problem(installation.check_transport(R"({"kind": "https"})"), at + "/https", "required key is missing");
        check_single_problem(installation.check_transport(R"({"kind": "sftp"})"), at + "/sftp", "required key is missing");
        check_single_problem(installation.check_transport(replaced(sftp_valid, R"({"kind": "sftp",)", R"({"kind": "sftp", "local_root": "../server",)")),
            at + "/local_root", "only for kind 'directory'");
        check_single_problem(installation.check_transport(R"({"kind": "directory", "local_root": "../server", "sftp": {}})"), at + "/sftp",
            "sftp settings given but kind is 'directory': they would not be used");
        auto const both = replaced(sftp_valid, R"({"kind": "sftp",)", R"({"kind": "sftp", "https": {"base_url": "https://x/"},)");
        check_single_problem(installation.check_transport(both), at + "/https", "they would not be used");
        check_single_problem(installation.check_transport(R"("sftp")"), at, "must be an object");
    }
    SECTION("unknown keys are refused, with a suggestion")
    {
        check_single_problem(installation.check_transport(R"({"kind": "directory", "local_root": "../server", "upload_directry": "in"})"), at + "/upload_directry",
            "unknown key 'upload_directry' (did you mean 'upload_directory'?)");
        check_single_problem(installation.check_transport(replaced(sftp_valid, R"("port": 2222)", R"("prot": 2222)")), at + "/sftp/prot",
            "did you mean 'port'?");
        check_single_problem(installation.check_transport(replaced(https_valid, R"("ca_file")", R"("cafile")")), at + "/https/cafile",
            "did you mean 'ca_file'?");
        check_single_problem(installation.check_transport(replaced(sftp_valid, R"("user": "council",)", R"("user": "council", "password": "hunter2",)")),
            at + "/sftp/password", "unknown key");
    }
    SECTION("sftp: host and user required, a key or an explicit password")
    {
        check_single_problem(installation.check_transport(replaced(sftp_valid, R"("host": "127.0.0.1", )", "")), at + "/sftp/host", "required key is missing");
        check_single_problem(installation.check_transport(replaced(sftp_valid, R"("user": "council",)", "")), at + "/sftp/user", "required key is missing");
        check_single_problem(installation.check_transport(replaced(sftp_valid, R"("host": "127.0.0.1")", R"("host": "")")), at + "/sftp/host", "must not be empty");
        auto const keyless = replaced(sftp_valid, R"("private_key": "../keys/sftp.key", "private_key_passphrase_file": "../keys/sftp.passphrase", )", "");
        check_single_problem(installation.check_transport(keyless), at + "/sftp/private_key", "needs private_key (or allow_password with password_file)");
        check_single_problem(installation.check_transport(replaced(keyless, R"("user": "council",)", R"("user": "council", "allow_password": true,)")),
            at + "/sftp/password_file", "allow_password needs password_file");
        check_single_problem(installation.check_transport(replaced(sftp_valid, R"("user": "council",)", R"("user": "council", "password_file": "../keys/sftp.password",)")),
            at + "/sftp/password_file", "password authentication stays off");
        check_single_problem(installation.check_transport(replaced(sftp_valid, R"("port": 2222)", R"("port": 65536)")), at + "/sftp/port", "at most 65535");
        check_single_problem(installation.check_transport(replaced(sftp_valid, R"("port": 2222)", R"("port": 0)")), at + "/sftp/port", "at least 1");
    }
    SECTION("sftp: the host key must be pinned, by a fingerprint of the right form or a known_hosts file that exists")
    {
        auto const fingerprint = R"(, "host_key_sha256": ")" + std::string(host_key) + "\"";
        auto const unpinned = replaced(replaced(sftp_valid, fingerprint, ""), R"(, "known_hosts": "../keys/known_hosts")", "");
        check_single_problem(installation.check_transport(unpinned), at + "/sftp/host_key_sha256", "the server's host key must be pinned");
        for (std::string const wrong : { "uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s", "SHA256:short", "MD5:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s", "" }) {
            INFO(wrong);
            auto const problems = installation.check_transport(replaced(sftp_valid, host_key, wrong));
            CHECK(has_problem(problems, at + "/sftp/host_key_sha256", wrong.empty() ? "must not be empty" : "is not a host key fingerprint"));
        }
        check_single_problem(installation.check_transport(replaced(sftp_valid, "../keys/known_hosts", "../keys/absent_known_hosts")),
            at + "/sftp/known_hosts", "file not found");
    }
    SECTION("sftp: one pin per host key type, each optionally naming its type")
    {
        auto const pins = std::string(R"(["ssh-rsa )") + host_key + R"(", "ED25519 )" + host_key + R"(", ")" + host_key + R"("])";
        auto const profile = installation.load(replaced(sftp_valid, "\"" + std::string(host_key) + "\"", pins));
        CHECK(profile.sftp.host_key_sha256
            == std::vector<std::string> { "ssh-rsa " + std::string(host_key), "ED25519 " + std::string(host_key), host_key });
        auto const unknown_type = replaced(sftp_valid, "\"" + std::string(host_key) + "\"", "[\"ssh-rsx " + std::string(host_key) + "\"]");
        check_single_problem(installation.check_transport(unknown_type), at + "/sftp/host_key_sha256", "unknown key type 'ssh-rsx' (did you mean 'ssh-rsa'?)");
        auto const empty_list = replaced(replaced(sftp_valid, "\"" + std::string(host_key) + "\"", "[]"), R"(, "known_hosts": "../keys/known_hosts")", "");
        check_single_problem(installation.check_transport(empty_list), at + "/sftp/host_key_sha256", "the server's host key must be pinned");
    }
    SECTION("low-speed limit and HTTPS listing format")
    {
        dcagw::model::TransportProfile const defaults;
        CHECK(defaults.low_speed_bytes_per_second == 1024);
        CHECK(defaults.low_speed_time == std::chrono::seconds(60));
        CHECK(defaults.https.listing == dcagw::model::ListingFormat::Propfind);
        auto const profile = installation.load(R"({"kind": "directory", "local_root": "/srv/agency", "low_speed_bytes_per_second": 10,
            "low_speed_seconds": 30})");
        CHECK(profile.low_speed_bytes_per_second == 10);
        CHECK(profile.low_speed_time == std::chrono::seconds(30));
        check_single_problem(installation.check_transport(R"({"kind": "directory", "local_root": "/srv/agency", "low_speed_seconds": 0})"),
            at + "/low_speed_seconds", "at least 1");
        auto const json_listing = installation.load(replaced(https_valid, R"("multipart_field": "upload")", R"("multipart_field": "upload", "listing": "nginx_json")"));
        CHECK(json_listing.https.listing == dcagw::model::ListingFormat::NginxJson);
        check_single_problem(installation.check_transport(replaced(https_valid, R"("multipart_field": "upload")", R"("multipart_field": "upload", "listing": "json")")),
            at + "/https/listing", "must be 'propfind' or 'nginx_json'");
    }
    SECTION("https: an https base URL, certificate and key together, one way to authenticate")
    {
        check_single_problem(installation.check_transport(R"({"kind": "https", "https": {"ca_file": "../keys/ca.pem"}})"), at + "/https/base_url",
            "required key is missing");
        for (auto const* url : { "http://127.0.0.1:8080/dca/", "HTTPS://127.0.0.1/", "ftp://127.0.0.1/", "127.0.0.1:8443/dca/" }) {
            INFO(url);
            check_single_problem(installation.check_transport(replaced(https_valid, "https://127.0.0.1:8443/dca/", url)), at + "/https/base_url",
                "must start with https://");
        }
        check_single_problem(installation.check_transport(replaced(https_valid, "sha256//AAAA", "AAAA")), at + "/https/pinned_public_key", "'sha256//'");
        check_single_problem(installation.check_transport(replaced(https_valid, R"(, "client_key": "../keys/client.key")", "")), at + "/https/client_key",
            "client_certificate and client_key go together");
        check_single_problem(installation.check_transport(replaced(https_valid, R"("client_certificate": "../keys/client.pem", )", "")),
            at + "/https/client_certificate", "go together");
        check_single_problem(installation.check_transport(replaced(https_valid, "../keys/ca.pem", "../keys/absent.pem")), at + "/https/ca_file", "file not found");
        check_single_problem(installation.check_transport(replaced(https_valid, R"("bearer_token_file": "../keys/https.token")",
                                 R"("bearer_token_file": "../keys/https.token", "basic_auth_file": "../keys/https.basic")")),
            at + "/https/basic_auth_file", "not both");
        check_single_problem(installation.check_transport(replaced(https_valid, "multipart_post", "post")), at + "/https/upload_method",
            "must be 'put' or 'multipart_post'");
    }
    SECTION("secret files: present, regular, and readable by their owner only")
    {
        struct Secret {
            std::string file;
            std::string transport;
            std::string path;
        };
        auto const passworded = replaced(sftp_valid, R"("user": "council",)", R"("user": "council", "allow_password": true, "password_file": "../keys/sftp.password",)");
        for (auto const& [file, transport, path] : { Secret { "sftp.key", sftp_valid, "/sftp/private_key" },
                 Secret { "sftp.passphrase", sftp_valid, "/sftp/private_key_passphrase_file" }, Secret { "sftp.password", passworded, "/sftp/password_file" },
                 Secret { "client.key", https_valid, "/https/client_key" }, Secret { "https.token", https_valid, "/https/bearer_token_file" } }) {
            INFO(file);
            auto const secret = installation.root() / "keys" / file;
            fs::permissions(secret, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
            check_single_problem(installation.check_transport(transport), at + path, "mode 0640");
            fs::permissions(secret, fs::perms::owner_read | fs::perms::others_read);
            check_single_problem(installation.check_transport(transport), at + path, "chmod 600");
            fs::permissions(secret, fs::perms::owner_read | fs::perms::owner_write);
            REQUIRE(installation.check_transport(transport).empty());
        }
        auto const basic = replaced(https_valid, R"("bearer_token_file": "../keys/https.token")", R"("basic_auth_file": "../keys/https.basic")");
        fs::permissions(installation.root() / "keys/https.basic", public_mode);
        check_single_problem(installation.check_transport(basic), at + "/https/basic_auth_file", "mode 0644");
        check_single_problem(installation.check_transport(replaced(sftp_valid, "../keys/sftp.key", "../keys/absent.key")), at + "/sftp/private_key", "absent.key");
        fs::create_directories(installation.root() / "keys/folder.key");
        fs::permissions(installation.root() / "keys/folder.key", fs::perms::owner_all);
        check_single_problem(installation.check_transport(replaced(sftp_valid, "../keys/sftp.key", "../keys/folder.key")), at + "/sftp/private_key",
            "not a regular file");
    }
    SECTION("remote folders are relative to the server's root and never climb out of it")
    {
        for (auto const* key : { "upload_directory", "collect_directory", "archive_directory", "listing_path" }) {
            for (auto const* folder : { "/incoming", "..", "../incoming", "incoming/../../etc", "incoming/.." }) {
                INFO(key << " = " << folder);
                auto const transport = std::string(R"({"kind": "directory", "local_root": "../server", ")") + key + R"(": ")" + folder + "\"}";
                check_single_problem(installation.check_transport(transport), at + "/" + key, "must be a folder relative to the server's root, without '..'");
            }
        }
        // A name that merely contains two dots is not a parent reference.
        CHECK(installation.check_transport(R"({"kind": "directory", "local_root": "../server", "upload_directory": "in..box/v1..2"})").empty());
    }
    SECTION("durations, counts and sizes")
    {
        auto const with = [](std::string const& setting) { return R"({"kind": "directory", "local_root": "../server", )" + setting + "}"; };
        check_single_problem(installation.check_transport(with(R"("connect_timeout_seconds": 0)")), at + "/connect_timeout_seconds", "at least 1");
        check_single_problem(installation.check_transport(with(R"("connect_timeout_seconds": -5)")), at + "/connect_timeout_seconds", "negative");
        check_single_problem(installation.check_transport(with(R"("connect_timeout_seconds": 1.5)")), at + "/connect_timeout_seconds", "");
        check_single_problem(installation.check_transport(with(R"("transfer_timeout_seconds": "60")")), at + "/transfer_timeout_seconds", "not string");
        check_single_problem(installation.check_transport(with(R"("transfer_timeout_seconds": 0)")), at + "/transfer_timeout_seconds", "at least 1");
        check_single_problem(installation.check_transport(with(R"("acknowledgement_due_hours": 0)")), at + "/acknowledgement_due_hours", "at least 1");
        check_single_problem(installation.check_transport(with(R"("backoff_initial_milliseconds": 500, "backoff_max_milliseconds": 100)")),
            at + "/backoff_max_milliseconds", "must not be less than backoff_initial_milliseconds");
        check_single_problem(installation.check_transport(with(R"("backoff_initial_milliseconds": 120000)")), at + "/backoff_max_milliseconds",
            "must not be less than");
        check_single_problem(installation.check_transport(with(R"("backoff_initial_milliseconds": -1)")), at + "/backoff_initial_milliseconds", "negative");
        check_single_problem(installation.check_transport(with(R"("max_attempts": 0)")), at + "/max_attempts", "at least 1");
        check_single_problem(installation.check_transport(with(R"("max_attempts": 101)")), at + "/max_attempts", "at most 100");
        check_single_problem(installation.check_transport(with(R"("upload_buffer_bytes": 1024)")), at + "/upload_buffer_bytes", "at least 16384");
        check_single_problem(installation.check_transport(with(R"("upload_buffer_bytes": 67108865)")), at + "/upload_buffer_bytes", "at most 67108864");
        check_single_problem(installation.check_transport(with(R"("max_collect_bytes": 0)")), at + "/max_collect_bytes", "at least 1");
        check_single_problem(installation.check_transport(with(R"("collect_max_bytes_per_run": 0)")), at + "/collect_max_bytes_per_run", "at least 1");
        CHECK(installation.check_transport(with(R"("upload_buffer_bytes": 67108864, "max_attempts": 100)")).empty());
    }
    SECTION("collection and acknowledgement settings")
    {
        auto const with = [](std::string const& setting) { return R"({"kind": "directory", "local_root": "../server", )" + setting + "}"; };
        check_single_problem(installation.check_transport(with(R"("after_collect": "archiv")")), at + "/after_collect", "did you mean 'archive'?");
        check_single_problem(installation.check_transport(with(R"("acknowledgement_suffix": "/../x")")), at + "/acknowledgement_suffix", "must not contain '/'");
        check_single_problem(installation.check_transport(with(R"("acknowledgement_required": "yes")")), at + "/acknowledgement_required", "must be true or false");
    }
}

TEST_CASE("upload_directory equal to collect_directory is refused", "[codec][config][transport]")
{
    TransportInstallation installation;
    auto const at = std::string("/agencies/0/transport");
    for (auto const& [upload, collect] : { std::pair { "same", "same" }, std::pair { "same/", "same" } }) {
        auto const transport = replaced(sftp_valid, R"({"kind": "sftp",)",
            std::string(R"({"kind": "sftp", "upload_directory": ")") + upload + R"(", "collect_directory": ")" + collect + R"(",)");
        auto const problems = installation.check_transport(transport);
        INFO(describe(problems));
        CHECK(has_problem(problems, at + "/collect_directory", "must differ from upload_directory"));
    }
    CHECK(installation.check_transport(sftp_valid).empty());
}

TEST_CASE("an empty secret key file is a problem of the config check", "[codec][config][transport]")
{
    TransportInstallation installation;
    write_file(installation.root() / "keys" / "sftp.key", "");
    auto const problems = installation.check_transport(sftp_valid);
    CHECK(has_problem(problems, "/agencies/0/transport/sftp/private_key", "the file is empty"));
}
