// The HTTPS collection listing (nginx autoindex_format json), read strictly.
#include "gateway/listing/remote_listing.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;

TEST_CASE("remote listing: nginx's JSON autoindex")
{
    auto entries = listing::parse_remote_listing(R"([
{ "name":"archive", "type":"directory", "mtime":"Mon, 23 Nov 2026 14:53:13 GMT" },
{ "name":"return-1.csv", "type":"file", "mtime":"Mon, 23 Nov 2026 14:53:13 GMT", "size":24 },
{ "name":"a \"quoted\" \\ name\u001b\n", "type":"file", "mtime":"x", "size":0 }
])");
    REQUIRE(entries.ok());
    REQUIRE(entries.value().size() == 3);
    CHECK(entries.value()[0].type == "directory");
    CHECK_FALSE(entries.value()[0].size.has_value());
    CHECK(entries.value()[1].name == "return-1.csv");
    CHECK(entries.value()[1].size == 24u);
    CHECK(entries.value()[2].name == "a \"quoted\" \\ name\x1b\n");
    CHECK(listing::parse_remote_listing("[]").value().empty());
}

TEST_CASE("remote listing: bytes that are not UTF-8 pass through; escapes decode to UTF-8")
{
    auto entries = listing::parse_remote_listing("[{\"name\":\"bad-\xff\xfe\",\"type\":\"file\",\"size\":1},"
                                               "{\"name\":\"\\u00e9\\ud83d\\ude00\",\"type\":\"file\",\"size\":18446744073709551615}]");
    REQUIRE(entries.ok());
    CHECK(entries.value()[0].name == "bad-\xff\xfe");
    CHECK(entries.value()[1].name == "\xc3\xa9\xf0\x9f\x98\x80");
    CHECK(entries.value()[1].size == UINT64_MAX);
}

TEST_CASE("remote listing: anything but the flat shape is refused")
{
    for (std::string_view bad : {
             "", "{}", "[", "[{}]", "[{\"name\":\"a\"}]", "[{\"name\":1,\"type\":\"file\"}]",
             "[{\"name\":\"a\",\"type\":\"file\",\"size\":\"1\"}]", "[{\"name\":\"a\",\"type\":\"file\",\"size\":-1}]",
             "[{\"name\":\"a\",\"type\":\"file\",\"size\":1.5}]", "[{\"name\":\"a\",\"type\":\"file\",\"size\":01}]",
             "[{\"name\":\"a\",\"type\":\"file\",\"size\":18446744073709551616}]",
             "[{\"name\":\"a\",\"name\":\"b\",\"type\":\"file\"}]", "[{\"name\":\"a\",\"type\":\"file\",\"x\":{}}]",
             "[{\"name\":\"a\",\"type\":\"file\",\"x\":[1]}]", "[{\"name\":\"a\",\"type\":\"file\",\"x\":true}]",
             "[{\"name\":\"a\nb\",\"type\":\"file\"}]", "[{\"name\":\"\\ud800\",\"type\":\"file\"}]",
             "[{\"name\":\"\\x\",\"type\":\"file\"}]", "[{\"name\":\"a\",\"type\":\"file\"},]", "[] []",
             "[{\"name\":\"a\",\"type\":\"file\"}", "[{\"name\":\"unterminated" }) {
        INFO(bad);
        auto parsed = listing::parse_remote_listing(bad);
        REQUIRE(parsed.is_error());
        CHECK(parsed.error().code() == base::ErrorCode::InputMalformed);
    }
    auto huge = std::string(listing::max_remote_listing_bytes + 1, ' ');
    CHECK(listing::parse_remote_listing(huge).error().code() == base::ErrorCode::InputTooLarge);
}
