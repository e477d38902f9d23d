// The shape of every message on standard error, and how an error is reported (derived
// from the error table).
#include "gateway/base/result.hpp"
#include "gateway/cli/messages.hpp"

#include <catch2/catch.hpp>

using namespace dcagw::cli;
using dcagw::base::ErrorCode;
using dcagw::base::make_error;

TEST_CASE("every message line starts with dcagw: and its kind")
{
    CHECK(message_line(MessageKind::Error, "x") == "dcagw: error: x");
    CHECK(message_line(MessageKind::Hint, "x") == "dcagw: hint: x");
    CHECK(message_line(MessageKind::Warning, "x") == "dcagw: warning: x");
    CHECK(message_line(MessageKind::Note, "x") == "dcagw: note: x");
    CHECK(message_line(MessageKind::Rejected, "x") == "dcagw: rejected: x");
    CHECK(message_line(MessageKind::Audit, "x") == "dcagw: audit: x");
    CHECK(message_line(MessageKind::Transfer, "x") == "dcagw: transfer: x");
}

TEST_CASE("decryption failures are named by kind first, then the hint of their kind")
{
    auto const lines = error_lines(make_error(ErrorCode::NoMatchingIdentity, "no identity matched").with_context("reading c.age"));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "dcagw: error: no match: reading c.age: no identity matched");
    CHECK(lines[1] == "dcagw: hint: the file was not encrypted to any of the identities given");
}

TEST_CASE("other errors print their text only, with a hint only when there is one")
{
    auto const config = error_lines(make_error(ErrorCode::ConfigInvalid, "bad.json: /colour: unknown key"));
    REQUIRE(config.size() == 2);
    CHECK(config[0] == "dcagw: error: bad.json: /colour: unknown key");
    CHECK(config[1] == "dcagw: hint: run `dcagw config check --config FILE` to list every problem");

    auto const io = error_lines(make_error(ErrorCode::FileNotFound, "x.csv: no such file"));
    CHECK(io == std::vector<std::string> { "dcagw: error: x.csv: no such file" });

    auto const own = error_lines(make_error(ErrorCode::Usage, "unknown command 'x'").with_hint("run `dcagw --help`"));
    CHECK(own == std::vector<std::string> { "dcagw: error: unknown command 'x'", "dcagw: hint: run `dcagw --help`" });
}
