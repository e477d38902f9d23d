// The HTTPS collection listing as WebDAV PROPFIND answers it (RFC 4918 multistatus),
// confined to the folder that was asked for.
#include "gateway/listing/webdav_listing.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace dcagw;

namespace {

listing::WebdavListingScope const scope { "/dca/outgoing/", "127.0.0.1:8443" };

std::string response(std::string const& href, std::string const& props, std::string const& status = "HTTP/1.1 200 OK")
{
    return "<D:response><D:href>" + href + "</D:href><D:propstat><D:prop>" + props + "</D:prop><D:status>" + status
        + "</D:status></D:propstat></D:response>";
}

std::string multistatus(std::string const& responses)
{
    return R"(<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:">)" + responses + "</D:multistatus>";
}

std::string file(std::string const& href, std::string const& size)
{
    return response(href, "<D:resourcetype/><D:getcontentlength>" + size + "</D:getcontentlength>");
}

std::vector<listing::RemoteListingEntry> parse(std::string const& xml)
{
    auto entries = listing::parse_webdav_multistatus(xml, scope);
    if (entries.is_error())
        FAIL(entries.error().to_text());
    return entries.release_value();
}

} // namespace

TEST_CASE("WebDAV listing: Apache mod_dav's answer (its own prefixes, the folder itself first)")
{
    auto entries = parse(R"(<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:ns0="DAV:">
<D:response xmlns:lp1="DAV:" xmlns:lp2="http://apache.org/dav/props/">
<D:href>/dca/outgoing/</D:href>
<D:propstat><D:prop><lp1:resourcetype><D:collection/></lp1:resourcetype></D:prop>
<D:status>HTTP/1.1 200 OK</D:status></D:propstat>
</D:response>
<D:response xmlns:lp1="DAV:" xmlns:lp2="http://apache.org/dav/props/">
<D:href>/dca/outgoing/return%201.csv</D:href>
<D:propstat><D:prop><lp1:resourcetype/><lp1:getcontentlength>24</lp1:getcontentlength></D:prop>
<D:status>HTTP/1.1 200 OK</D:status></D:propstat>
</D:response>
<D:response xmlns:lp1="DAV:">
<D:href>/dca/outgoing/archive/</D:href>
<D:propstat><D:prop><lp1:resourcetype><D:collection/></lp1:resourcetype></D:prop>
<D:status>HTTP/1.1 200 OK</D:status></D:propstat>
</D:response>
</D:multistatus>)");
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].name == "return 1.csv");
    CHECK(entries[0].type == "file");
    CHECK(entries[0].size == 24u);
    CHECK(entries[1].name == "archive");
    CHECK(entries[1].type == "directory");
    CHECK_FALSE(entries[1].size.has_value());
}

TEST_CASE("WebDAV listing: any prefix, or the default namespace, bound to DAV:")
{
    auto entries = parse(R"(<multistatus xmlns="DAV:"><response><href>https://127.0.0.1:8443/dca/outgoing/a.csv</href>
<propstat><prop><getcontentlength> 7 </getcontentlength><resourcetype></resourcetype></prop><status>HTTP/1.1 200 OK</status></propstat>
<propstat><prop><quota/></prop><status>HTTP/1.1 404 Not Found</status></propstat></response></multistatus>)");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].name == "a.csv");
    CHECK(entries[0].size == 7u);

    auto other_prefix = parse(R"(<x:multistatus xmlns:x="DAV:"><x:response><x:href>/dca/outgoing/b.csv</x:href><x:propstat><x:prop>)"
                              R"(<x:getcontentlength>3</x:getcontentlength></x:prop><x:status>HTTP/1.1 200 OK</x:status></x:propstat></x:response></x:multistatus>)");
    REQUIRE(other_prefix.size() == 1);
    CHECK(other_prefix[0].size == 3u);

    // The same names in another namespace are not DAV's.
    auto foreign = listing::parse_webdav_multistatus(R"(<D:multistatus xmlns:D="urn:not-dav"/>)", scope);
    REQUIRE(foreign.is_error());
    CHECK(foreign.error().code() == base::ErrorCode::InputMalformed);
}

TEST_CASE("WebDAV listing: hrefs outside the folder are left out")
{
    auto entries = parse(multistatus(file("/dca/outgoing/../secret.csv", "1") // climbs
        + file("/dca/outgoing/%2e%2e", "1")                                    // ".." encoded
        + file("/dca/outgoing/.", "1")
        + file("https://elsewhere.example:8443/dca/outgoing/x.csv", "1")       // another host
        + file("http://127.0.0.2:8443/dca/outgoing/x.csv", "1")
        + file("ftp://127.0.0.1:8443/dca/outgoing/x.csv", "1")
        + file("/dca/outgoing/deeper/y.csv", "1")                               // not a direct member
        + file("/dca/outgoing%2Fz.csv", "1")                                    // an encoded slash in the folder part
        + file("/dca/other/z.csv", "1")
        + file("/dca/outgoing//z.csv", "1")
        + file("/dca/outgoing/q.csv?x=1", "1")
        + file("/dca/outgoing/bad%zz", "1")
        + file("/dca/outgoing/bad%2", "1")
        + file("dca/outgoing/relative.csv", "1")
        + file("/dca/outgoing/", "0")                                           // the folder itself
        + file("/dca/outgoing/kept.csv", "5")));
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].name == "kept.csv");
}

TEST_CASE("WebDAV listing: an absolute URI may leave out the default port, and hosts compare without case")
{
    listing::WebdavListingScope const default_port { "/dca/outgoing/", "Agency.Example" };
    auto entries = listing::parse_webdav_multistatus(multistatus(file("https://agency.example:443/dca/outgoing/a.csv", "1")
                                                       + file("https://AGENCY.example/dca/outgoing/b.csv", "2")
                                                       + file("https://agency.example:8443/dca/outgoing/other-port.csv", "3")),
        default_port);
    REQUIRE(entries.ok());
    REQUIRE(entries.value().size() == 2);
    CHECK(entries.value()[0].name == "a.csv");
    CHECK(entries.value()[1].name == "b.csv");
}

TEST_CASE("WebDAV listing: names are percent-decoded and otherwise kept as they are")
{
    auto entries = parse(multistatus(file("/dca/outgoing/a%2Fb.csv", "1") + file("/dca/outgoing/%FF%0Aline", "2")
        + file("/dca/outgoing/%C3%A9t%C3%A9.csv", "3") + file("/dca/out%67oing/encoded-folder.csv", "4")
        + file("/dca/outgoing/&lt;tag&gt;&amp;", "5")));
    REQUIRE(entries.size() == 5);
    CHECK(entries[0].name == "a/b.csv"); // refused later by the exchange, not hidden
    CHECK(entries[1].name == "\xff\nline");
    CHECK(entries[2].name == "\xc3\xa9t\xc3\xa9.csv");
    CHECK(entries[3].name == "encoded-folder.csv");
    CHECK(entries[4].name == "<tag>&");
}

TEST_CASE("WebDAV listing: sizes only from successful propstats; a bad size is no size")
{
    auto entries = parse(multistatus(response("/dca/outgoing/hidden-size", "<D:getcontentlength>9</D:getcontentlength>", "HTTP/1.1 403 Forbidden")
        + file("/dca/outgoing/negative", "-1") + file("/dca/outgoing/huge", "18446744073709551616")
        + file("/dca/outgoing/max", "18446744073709551615")));
    REQUIRE(entries.size() == 4);
    CHECK_FALSE(entries[0].size.has_value());
    CHECK_FALSE(entries[1].size.has_value());
    CHECK_FALSE(entries[2].size.has_value());
    CHECK(entries[3].size == UINT64_MAX);
}

TEST_CASE("WebDAV listing: malformed, foreign or oversized documents are refused")
{
    for (std::string bad : { "", "not xml", "<D:multistatus xmlns:D=\"DAV:\">", "[{\"name\":\"a\"}]", "<html><body>index</body></html>",
             "<multistatus/>" }) {
        INFO(bad);
        auto parsed = listing::parse_webdav_multistatus(bad, scope);
        REQUIRE(parsed.is_error());
        CHECK(parsed.error().code() == base::ErrorCode::InputMalformed);
    }
    // A DTD is not read: its entities stay undefined and are left as text, never expanded.
    auto bomb = listing::parse_webdav_multistatus(R"(<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>)"
                                                R"(<D:multistatus xmlns:D="DAV:"><D:response><D:href>/dca/outgoing/&b;</D:href></D:response></D:multistatus>)",
        scope);
    REQUIRE(bomb.ok());
    REQUIRE(bomb.value().size() == 1);
    CHECK(bomb.value()[0].name == "&b;");

    std::string large(listing::max_remote_listing_bytes + 1, ' ');
    auto too_large = listing::parse_webdav_multistatus(large, scope);
    REQUIRE(too_large.is_error());
    CHECK(too_large.error().code() == base::ErrorCode::InputTooLarge);
}

TEST_CASE("WebDAV listing: percent decoding")
{
    CHECK(listing::percent_decode("a%20b%2f%2F") == "a b//");
    CHECK(listing::percent_decode("") == "");
    CHECK_FALSE(listing::percent_decode("%").has_value());
    CHECK_FALSE(listing::percent_decode("%4").has_value());
    CHECK_FALSE(listing::percent_decode("%g0").has_value());
}
