// Pure logic of the transport module: failure classification, fingerprints, names in
// URLs and SFTP commands, the SFTP long listing.
#include "gateway/transport/curl_easy.hpp"
#include "gateway/transport/host_key.hpp"
#include "gateway/transport/remote_path.hpp"
#include "gateway/transport/sftp_listing.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace dcagw;
using namespace dcagw::transport;
using base::ErrorCode;

TEST_CASE("curl failures map to transient and permanent codes")
{
    CHECK(classify_curl_failure(CURLE_PEER_FAILED_VERIFICATION, Protocol::Sftp) == ErrorCode::HostKeyMismatch);
    CHECK(classify_curl_failure(CURLE_PEER_FAILED_VERIFICATION, Protocol::Https) == ErrorCode::TlsVerificationFailed);
    CHECK(classify_curl_failure(CURLE_SSL_PINNEDPUBKEYNOTMATCH, Protocol::Https) == ErrorCode::TlsVerificationFailed);
    CHECK(classify_curl_failure(CURLE_SSL_CACERT_BADFILE, Protocol::Https) == ErrorCode::TlsVerificationFailed);
    CHECK(classify_curl_failure(CURLE_LOGIN_DENIED, Protocol::Sftp) == ErrorCode::AuthenticationFailed);
    CHECK(classify_curl_failure(CURLE_REMOTE_ACCESS_DENIED, Protocol::Sftp) == ErrorCode::RemotePermissionDenied);
    CHECK(classify_curl_failure(CURLE_REMOTE_FILE_NOT_FOUND, Protocol::Sftp) == ErrorCode::NotFound);
    CHECK(classify_curl_failure(CURLE_PARTIAL_FILE, Protocol::Https) == ErrorCode::TransferIncomplete);
    for (auto code : { CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_SSH,
             CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR, CURLE_COULDNT_RESOLVE_HOST, CURLE_UPLOAD_FAILED }) {
        INFO(curl_easy_strerror(code));
        CHECK(classify_curl_failure(code, Protocol::Sftp) == ErrorCode::TransportFailure);
        CHECK(base::is_transient(classify_curl_failure(code, Protocol::Https)));
    }
    for (auto code : { CURLE_PEER_FAILED_VERIFICATION, CURLE_LOGIN_DENIED, CURLE_REMOTE_ACCESS_DENIED })
        CHECK_FALSE(base::is_transient(classify_curl_failure(code, Protocol::Sftp)));
}

TEST_CASE("HTTP statuses map to the catalogue; redirects and client errors are permanent")
{
    CHECK(classify_http_status(401) == ErrorCode::AuthenticationFailed);
    CHECK(classify_http_status(403) == ErrorCode::RemotePermissionDenied);
    CHECK(classify_http_status(404) == ErrorCode::NotFound);
    CHECK(classify_http_status(412) == ErrorCode::RemoteFileExists);
    CHECK(classify_http_status(413) == ErrorCode::InputTooLarge);
    for (long status : { 408L, 429L, 500L, 502L, 503L, 504L })
        CHECK(classify_http_status(status) == ErrorCode::TransportFailure);
    for (long status : { 301L, 302L, 307L, 400L, 405L, 409L })
        CHECK_FALSE(base::is_transient(classify_http_status(status)));
    // A malformed or refused request is not a permission problem (Apache answers a MOVE
    // with a bare-path Destination with 400); 409 is WebDAV's missing parent folder.
    for (long status : { 301L, 302L, 400L, 405L, 409L, 415L, 422L })
        CHECK(classify_http_status(status) == ErrorCode::RemoteRequestRefused);
    for (long status : { 423L, 507L })
        CHECK(classify_http_status(status) == ErrorCode::TransportFailure);
}

TEST_CASE("host key pins: one per key type, the type optional")
{
    auto const fingerprint = std::string("SHA256:") + std::string(43, 'A');
    auto plain = parse_host_key_pin(fingerprint);
    REQUIRE(plain.has_value());
    CHECK(plain->type == HostKeyType::Any);
    CHECK(plain->fingerprint == fingerprint);
    std::vector<std::pair<std::string, HostKeyType>> const types { { "ssh-rsa", HostKeyType::Rsa }, { "RSA", HostKeyType::Rsa },
        { "ssh-ed25519", HostKeyType::Ed25519 }, { "ED25519", HostKeyType::Ed25519 }, { "ecdsa-sha2-nistp256", HostKeyType::Ecdsa },
        { "ECDSA", HostKeyType::Ecdsa }, { "ssh-dss", HostKeyType::Dss } };
    for (auto const& [text, type] : types) {
        INFO(text);
        auto typed = parse_host_key_pin(text + " " + fingerprint);
        REQUIRE(typed.has_value());
        CHECK(typed->type == type);
        CHECK(typed->fingerprint == fingerprint);
    }
    CHECK_FALSE(parse_host_key_pin("ssh-rsx " + fingerprint).has_value());
    CHECK_FALSE(parse_host_key_pin("ssh-rsa SHA256:short").has_value());
    CHECK_FALSE(parse_host_key_pin("").has_value());

    auto const other = std::string("SHA256:") + std::string(42, 'B') + "A";
    std::vector<HostKeyPin> const pins { *parse_host_key_pin("ssh-rsa " + fingerprint), *parse_host_key_pin(other) };
    CHECK(matches_a_pin(pins, HostKeyType::Rsa, fingerprint));
    CHECK_FALSE(matches_a_pin(pins, HostKeyType::Ed25519, fingerprint)); // that pin is for RSA only
    CHECK(matches_a_pin(pins, HostKeyType::Ed25519, other));
    CHECK_FALSE(matches_a_pin(pins, HostKeyType::Rsa, std::string("SHA256:") + std::string(43, 'C')));
    CHECK(describe_pins(pins) == "ssh-rsa " + fingerprint + ", " + other);
}

TEST_CASE("host key fingerprints are OpenSSH's SHA256 form")
{
    // ssh-keygen -lf of this ed25519 public key prints this fingerprint.
    auto fingerprint = openssh_fingerprint_of_base64("AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
    REQUIRE(fingerprint.has_value());
    CHECK(fingerprint->starts_with("SHA256:"));
    CHECK(fingerprint->size() == 7 + 43);
    CHECK_FALSE(openssh_fingerprint_of_base64("not base64!").has_value());

    auto canonical = canonical_fingerprint(*fingerprint);
    REQUIRE(canonical.has_value());
    CHECK(*canonical == *fingerprint);
    CHECK(canonical_fingerprint(fingerprint->substr(7)) == fingerprint);
    CHECK(canonical_fingerprint(fingerprint->substr(7) + "=") == fingerprint);
    CHECK_FALSE(canonical_fingerprint("SHA256:short").has_value());
    CHECK_FALSE(canonical_fingerprint("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48").has_value());
    CHECK_FALSE(canonical_fingerprint("").has_value());
}

TEST_CASE("names are encoded for URLs and quoted for SFTP commands")
{
    CHECK(percent_encode_segment("a b/c%d.csv") == "a%20b%2Fc%25d.csv");
    CHECK(percent_encode_segment("\xff\n") == "%FF%0A");
    CHECK(percent_encode_path("outgoing/archive") == "outgoing/archive");
    CHECK(percent_encode_path("/a b//c/") == "a%20b/c");
    CHECK(quote_sftp_path("in/a \"b\" \\c") == "\"in/a \\\"b\\\" \\\\c\"");

    CHECK(check_operation_name("return-1.csv", "server").ok());
    CHECK(check_operation_name(" odd name ", "server").ok());
    for (std::string_view bad : std::vector<std::string_view> { "", ".", "..", "../x", "a/b", "new\nline", std::string_view("nul\0", 4) }) {
        auto checked = check_operation_name(bad, "sftp://u@h:1");
        REQUIRE(checked.is_error());
        CHECK(checked.error().code() == ErrorCode::RemoteNameInvalid);
    }
}

TEST_CASE("the SFTP long listing gives regular files with sizes and names verbatim")
{
    auto files = parse_sftp_long_listing(
        "drwxr-xr-x    2 999      995          4096 Nov 23 14:48 .\n"
        "drwxr-xr-x    5 root     root         4096 Nov 23 14:48 ..\n"
        "-rw-r--r--    1 999      995             3 Nov 23 14:48 plain.csv\n"
        "-rw-r-----    1 999      995    1073741824 Jan  1  2020  two  spaces \n"
        "lrwxrwxrwx    1 999      995             7 Nov 23 14:48 link -> target\n"
        "drwxr-xr-x    2 999      995          4096 Nov 23 14:48 folder\n"
        "-rw-r--r--    1 999      995             5 Nov 23 14:48 first\n"
        "second line\n"
        "-rw-r--r--    1 999      995             1 Nov 23 14:48 \x1b[31mred\n"
        "not a listing line at all\n");
    REQUIRE(files.size() == 4);
    CHECK(files[0].name == "plain.csv");
    CHECK(files[0].size == 3);
    CHECK(files[1].name == " two  spaces ");
    CHECK(files[1].size == 1073741824);
    CHECK(files[2].name == "first\nsecond line");
    CHECK(files[3].name == "\x1b[31mred\nnot a listing line at all");
    CHECK(parse_sftp_long_listing("").empty());
    CHECK(parse_sftp_long_listing("garbage\n-rw-r--r-- 1 a b x Nov 23 14:48 bad-size\n").empty());
}

TEST_CASE("error excerpts keep printable ASCII only")
{
    CHECK(sanitised_excerpt("<h1>400</h1>\r\n\tNo  certificate\x01\xff", 100) == "<h1>400</h1> No certificate??");
    CHECK(sanitised_excerpt("abcdef", 3) == "abc");
}
