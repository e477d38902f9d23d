// Tests of JSON Lines return files (layouts/return_jsonl): the same line builder as CSV
// (pence, dates, codes), a missing required key, undeclared and repeated keys, values that
// are not strings, numbers or null, broken JSON, the size limits, BOM and CRLF; and that
// no rejection carries a value from the line.
#include "gateway/layouts/return_reader.hpp"
#include "return_test_support.hpp"

#include <catch2/catch.hpp>

#include <sstream>

namespace {

using namespace dcagw;
using model::ReturnField;

model::ReturnLayout jsonl_payment_layout()
{
    model::ReturnLayout layout;
    layout.name = "pay-jsonl";
    layout.kind = model::ReturnKind::Payment;
    layout.format = model::ReturnFormat::JsonLines;
    layout.file_name_glob = "*.jsonl";
    layout.money_unit = model::MoneyUnit::Pounds;
    layout.columns = { { "id", ReturnField::PaymentId, true }, { "ref", ReturnField::AccountReference, true }, { "amount", ReturnField::Amount, true },
        { "date", ReturnField::Date, true }, { "note", ReturnField::Ignore, false } };
    return layout;
}

struct Outcome {
    base::Result<layouts::ReturnReadCounts> counts;
    test::CollectingSink sink;
};

Outcome read(std::string const& text, model::InputLimits limits = {})
{
    std::istringstream input(text);
    test::CollectingSink sink;
    auto counts = layouts::read_return_stream(jsonl_payment_layout(), input, { limits, base::Date { 2026, 6, 30 }, "returns.jsonl" }, sink);
    return { std::move(counts), std::move(sink) };
}

// The one rejection of a one-line file.
model::Rejection only_rejection(std::string const& line)
{
    auto outcome = read(line + "\n");
    REQUIRE(outcome.counts.ok());
    REQUIRE(outcome.sink.lines.empty());
    REQUIRE(outcome.sink.rejections.size() == 1);
    CHECK(outcome.sink.rejections[0].line == 1);
    CHECK(outcome.sink.rejections[0].file == "returns.jsonl");
    CHECK(outcome.sink.rejections[0].reason.find("SECRET") == std::string::npos);
    return outcome.sink.rejections[0];
}

} // namespace

TEST_CASE("a JSON Lines payment becomes pence and a date like a CSV one", "[layouts][returns][jsonl]")
{
    auto outcome = read("{\"id\": \"P1\", \"ref\": \"A\\u0031\", \"amount\": \"12.50\", \"date\": \"2026-06-01\"}\n"
                        "\n"
                        "{\"date\":\"2026-06-02\",\"amount\":3.05,\"ref\":\"A2\",\"id\":\"P2\",\"note\":null}\n");
    REQUIRE(outcome.counts.ok());
    CHECK(outcome.counts.value().lines_accepted == 2);
    REQUIRE(outcome.sink.lines.size() == 2);
    CHECK(outcome.sink.rejections.empty());
    auto const& first = std::get<model::PaymentLine>(outcome.sink.lines[0].facts);
    CHECK(outcome.sink.lines[0].line_number == 1);
    CHECK(first.payment_id == "P1");
    CHECK(first.account.agency_reference == "A1");
    CHECK(first.amount_pence == 1250);
    CHECK(first.payment_date == base::Date { 2026, 6, 1 });
    auto const& second = std::get<model::PaymentLine>(outcome.sink.lines[1].facts);
    CHECK(outcome.sink.lines[1].line_number == 3);
    CHECK(second.amount_pence == 305);
}

TEST_CASE("a JSON Lines line missing a required key is quarantined naming the column", "[layouts][returns][jsonl]")
{
    auto const rejection = only_rejection(R"({"id": "P1", "amount": "1.00", "date": "2026-06-01"})");
    CHECK(rejection.field == "ref");
    CHECK(rejection.reason.find("required") != std::string::npos);
}

TEST_CASE("a JSON Lines key the layout does not declare is quarantined without showing it", "[layouts][returns][jsonl]")
{
    auto const rejection = only_rejection(R"({"id": "P1", "ref": "A1", "SECRET": "x", "amount": "1.00", "date": "2026-06-01"})");
    CHECK(rejection.field.empty());
    CHECK(rejection.reason == "key 3 is not a column of layout 'pay-jsonl'");
}

TEST_CASE("JSON Lines lines with bad values are quarantined by column", "[layouts][returns][jsonl]")
{
    CHECK(only_rejection(R"({"id": "P1", "id": "P2", "ref": "A1", "amount": "1.00", "date": "2026-06-01"})").field == "id");
    CHECK(only_rejection(R"({"id": "P1", "ref": {"x": "SECRET"}, "amount": "1.00", "date": "2026-06-01"})").reason == "is not a JSON string, number or null");
    CHECK(only_rejection(R"({"id": "P1", "ref": true, "amount": "1.00", "date": "2026-06-01"})").field == "ref");
    CHECK(only_rejection(R"({"id": "P1", "ref": "A1", "amount": 12.5, "date": "2026-06-01"})").field == "amount");
    CHECK(only_rejection(R"({"id": "P1", "ref": "A1", "amount": "-1.00", "date": "2026-06-01"})").field == "amount");
    CHECK(only_rejection(R"({"id": "P1", "ref": "A1", "amount": "1.00", "date": "2026-02-30"})").field == "date");
    CHECK(only_rejection(R"({"id": "P1", "ref": "A1", "amount": 1., "date": "2026-06-01"})").reason == "is not a well-formed JSON number");
    CHECK(only_rejection("{\"id\": \"P1\", \"ref\": \"\xff\", \"amount\": \"1.00\", \"date\": \"2026-06-01\"}").field == "ref");
    CHECK(only_rejection(R"(["SECRET"])").reason == "line is not a JSON object");
    CHECK(only_rejection(R"({"id": "P1" "ref": "SECRET"})").field.empty());
    CHECK(only_rejection(R"({"id": "P1", "ref": "A1", "amount": "1.00", "date": "2026-06-01"} SECRET)").reason == "line has text after its JSON object");
    CHECK(only_rejection(R"({"id": "P1", "ref": "SECRET)").field == "ref");
}

TEST_CASE("JSON Lines limits: line, value and key count, and the good lines still come", "[layouts][returns][jsonl]")
{
    model::InputLimits limits;
    limits.max_record_bytes = 120;
    limits.max_field_bytes = 10;
    limits.max_fields = 5;
    std::string const good = R"({"id": "P1", "ref": "A1", "amount": "1.00", "date": "2026-06-01"})";
    auto outcome = read(good + "\n{\"id\": \"" + std::string(200, 'S') + "\"}\n"
            + R"({"id": "P1", "ref": "A1234567890", "amount": "1.00", "date": "2026-06-01"})" + "\n"
            + R"({"id": "P1", "ref": "A1", "amount": "1.00", "date": "2026-06-01", "note": "", "x": 1})" + "\n" + good + "\n",
        limits);
    REQUIRE(outcome.counts.ok());
    CHECK(outcome.sink.lines.size() == 2);
    REQUIRE(outcome.sink.rejections.size() == 3);
    CHECK(outcome.sink.rejections[0].line == 2);
    CHECK(outcome.sink.rejections[0].reason == "line is longer than 120 bytes");
    CHECK(outcome.sink.rejections[1].field == "ref");
    CHECK(outcome.sink.rejections[1].reason == "field is longer than 10 bytes");
    CHECK(outcome.sink.rejections[2].reason == "line has more than 5 keys");
    CHECK(outcome.sink.lines[1].line_number == 5);
}

TEST_CASE("a JSON Lines file with a BOM and CRLF reads; a larger file than the limit is refused", "[layouts][returns][jsonl]")
{
    auto outcome = read("\xef\xbb\xbf{\"id\": \"P1\", \"ref\": \"A1\", \"amount\": \"1.00\", \"date\": \"2026-06-01\"}\r\n");
    REQUIRE(outcome.counts.ok());
    CHECK(outcome.sink.lines.size() == 1);
    model::InputLimits limits;
    limits.max_file_bytes = 10;
    auto const too_large = read("{\"id\": \"P1\", \"ref\": \"A1\", \"amount\": \"1.00\", \"date\": \"2026-06-01\"}\n", limits);
    REQUIRE_FALSE(too_large.counts.ok());
    CHECK(too_large.counts.error().code() == base::ErrorCode::InputTooLarge);
}
