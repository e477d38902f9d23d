// Tests of the return reader on hand-made layouts: the facts each kind yields, the header
// check, the size limits, CSV edge cases (quotes, quoted line breaks, BOM, CRLF), and the
// choice of layout by file name, remote folder and header row.
#include "gateway/layouts/return_reader.hpp"
#include "return_test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

using namespace dcagw;
using model::ReturnField;

model::ReturnLayout payment_layout()
{
    model::ReturnLayout layout;
    layout.name = "pay";
    layout.kind = model::ReturnKind::Payment;
    layout.file_name_glob = "*.csv";
    layout.columns = { { "Id", ReturnField::PaymentId, false }, { "Ref", ReturnField::AccountReference, false }, { "Amount", ReturnField::Amount, false }, { "Date", ReturnField::Date, false } };
    return layout;
}

layouts::ReturnReadOptions options(model::InputLimits limits = {})
{
    return { limits, base::Date { 2026, 6, 30 }, "returns.csv" };
}

struct Outcome {
    base::Result<layouts::ReturnReadCounts> counts;
    test::CollectingSink sink;
};

Outcome read(model::ReturnLayout const& layout, std::string const& text, model::InputLimits limits = {})
{
    std::istringstream input(text);
    test::CollectingSink sink;
    auto counts = layouts::read_return_stream(layout, input, options(limits), sink);
    return { std::move(counts), std::move(sink) };
}

} // namespace

TEST_CASE("a payment line becomes integer pence and a date", "[layouts][returns]")
{
    auto outcome = read(payment_layout(), "Id,Ref,Amount,Date\nP1,A1,1250,2026-06-01\n");
    REQUIRE(outcome.counts.ok());
    REQUIRE(outcome.sink.lines.size() == 1);
    auto const& line = outcome.sink.lines[0];
    CHECK(line.line_number == 2);
    auto const& payment = std::get<model::PaymentLine>(line.facts);
    CHECK(payment.payment_id == "P1");
    CHECK(payment.account.agency_reference == "A1");
    CHECK(payment.amount_pence == 1250);
    CHECK(payment.payment_date == base::Date { 2026, 6, 1 });
}

TEST_CASE("pounds need exactly two decimals and never pass through floating point", "[layouts][returns]")
{
    auto layout = payment_layout();
    layout.money_unit = model::MoneyUnit::Pounds;
    auto outcome = read(layout, "Id,Ref,Amount,Date\nP1,A1,92233720368547758.07,2026-06-01\nP2,A1,0.10,2026-06-01\nP3,A1,.10,2026-06-01\nP4,A1,92233720368547758.08,2026-06-01\n");
    REQUIRE(outcome.counts.ok());
    REQUIRE(outcome.sink.lines.size() == 2);
    CHECK(std::get<model::PaymentLine>(outcome.sink.lines[0].facts).amount_pence == 9223372036854775807);
    CHECK(std::get<model::PaymentLine>(outcome.sink.lines[1].facts).amount_pence == 10);
    REQUIRE(outcome.sink.rejections.size() == 2);
    CHECK(outcome.sink.rejections[0].line == 4);
    CHECK(outcome.sink.rejections[1].reason == "amount is too large");
}

TEST_CASE("a header row that is not the layout refuses the whole file, naming line 1 and the column", "[layouts][returns]")
{
    auto outcome = read(payment_layout(), "Id,Ref,Value,Date\nP1,A1,1250,2026-06-01\n");
    REQUIRE_FALSE(outcome.counts.ok());
    CHECK(outcome.counts.error().code() == base::ErrorCode::InputMalformed);
    CHECK(outcome.counts.error().message() == "returns.csv: line 1: column 3 is 'Value' but layout 'pay' declares 'Amount'");
    CHECK(outcome.sink.lines.empty());
    CHECK(outcome.sink.rejections.empty());

    auto extra = read(payment_layout(), "Id,Ref,Amount,Date,Extra\n");
    REQUIRE_FALSE(extra.counts.ok());
    CHECK(extra.counts.error().message() == "returns.csv: line 1: column 5 'Extra' is not in layout 'pay'");
    auto empty = read(payment_layout(), "");
    REQUIRE_FALSE(empty.counts.ok());
    CHECK(empty.counts.error().message().starts_with("returns.csv: line 1: the file is empty"));
}

TEST_CASE("BOM, CRLF, quoted delimiters, quotes and line breaks are read as CSV", "[layouts][returns]")
{
    auto outcome = read(payment_layout(), "\xEF\xBB\xBFId,Ref,Amount,Date\r\n\"P,1\",\"A \"\"x\"\"\n2\",1,2026-06-01\r\n\r\nP2,A2,2,2026-06-02");
    REQUIRE(outcome.counts.ok());
    REQUIRE(outcome.sink.lines.size() == 2);
    auto const& first = std::get<model::PaymentLine>(outcome.sink.lines[0].facts);
    CHECK(first.payment_id == "P,1");
    CHECK(first.account.agency_reference == "A \"x\"\n2");
    CHECK(outcome.sink.lines[1].line_number == 5); // physical lines: the quoted break counts
    CHECK(std::get<model::PaymentLine>(outcome.sink.lines[1].facts).amount_pence == 2);
}

TEST_CASE("size limits quarantine the line, never grow memory, and good lines still come", "[layouts][returns]")
{
    model::InputLimits limits;
    limits.max_field_bytes = 12;
    limits.max_record_bytes = 64;
    limits.max_fields = 6;
    std::string const long_line = "P1," + std::string(200, 'x') + ",1,2026-06-01\n";
    auto outcome = read(payment_layout(), "Id,Ref,Amount,Date\nP1,ABCDEFGHIJKLMN,1,2026-06-01\n" + long_line + "P1,A,1,2026-06-01,a,b,c\nP1,A\"B,1,2026-06-01\n\"P1,A,1,2026-06-01\n", limits);
    REQUIRE(outcome.counts.ok());
    auto const& rejections = outcome.sink.rejections;
    REQUIRE(rejections.size() == 5);
    CHECK(rejections[0].field == "Ref");
    CHECK(rejections[0].reason == "field is longer than 12 bytes");
    CHECK(rejections[1].reason == "line is longer than 64 bytes");
    CHECK(rejections[2].reason == "line has more than 6 fields");
    CHECK(rejections[3].reason.starts_with("field is not well-formed CSV"));
    CHECK(rejections[4].line == 6); // an unclosed quote swallows the rest: one bad line
    CHECK(outcome.sink.lines.empty());

    auto good_after = read(payment_layout(), "Id,Ref,Amount,Date\n" + long_line + "P2,A,1,2026-06-01\n", limits);
    REQUIRE(good_after.counts.ok());
    CHECK(good_after.sink.lines.size() == 1);
    CHECK(good_after.sink.rejections.size() == 1);
}

TEST_CASE("a file larger than max_file_bytes is refused", "[layouts][returns]")
{
    model::InputLimits limits;
    limits.max_file_bytes = 40;
    auto outcome = read(payment_layout(), "Id,Ref,Amount,Date\nP1,A1,1,2026-06-01\nP2,A1,1,2026-06-01\n", limits);
    REQUIRE_FALSE(outcome.counts.ok());
    CHECK(outcome.counts.error().code() == base::ErrorCode::InputTooLarge);
}

TEST_CASE("activity, closure flag, acknowledgement and trace facts", "[layouts][returns]")
{
    model::ReturnLayout activity;
    activity.name = "act";
    activity.kind = model::ReturnKind::Activity;
    activity.columns = { { "Ref", ReturnField::AccountReference, false }, { "Cust", ReturnField::CustomerReference, false }, { "Code", ReturnField::Code, false }, { "Date", ReturnField::Date, true } };
    activity.reasons = { { "Settled", model::ReturnReason::Settled }, { "Called", std::nullopt } };
    activity.closure_codes = { "Settled" };
    activity.date_format = model::ReturnDateFormat::UkDate;
    auto outcome = read(activity, "Ref,Cust,Code,Date\nA1,C1,Settled,01/06/2026\nA2,,Called,02/06/2026\nA3,,Called,\n");
    REQUIRE(outcome.counts.ok());
    REQUIRE(outcome.sink.lines.size() == 2);
    auto const& settled = std::get<model::ActivityLine>(outcome.sink.lines[0].facts);
    CHECK(settled.reason == model::ReturnReason::Settled);
    CHECK(settled.closure);
    CHECK(settled.account.customer_reference == "C1");
    CHECK(settled.date == base::Date { 2026, 6, 1 });
    auto const& called = std::get<model::ActivityLine>(outcome.sink.lines[1].facts);
    CHECK_FALSE(called.reason.has_value());
    CHECK_FALSE(called.closure);
    REQUIRE(outcome.sink.rejections.size() == 1);
    CHECK(outcome.sink.rejections[0].reason == "is empty; the layout marks it required");

    model::ReturnLayout trace;
    trace.name = "trace";
    trace.kind = model::ReturnKind::Trace;
    trace.columns = { { "Ref", ReturnField::AccountReference, false }, { "Date", ReturnField::Date, false }, { "Outcome", ReturnField::Code, false }, { "Postcode", ReturnField::Postcode, false } };
    trace.trace_outcomes = { { "T", model::TraceOutcome::Traced }, { "F", model::TraceOutcome::Failed } };
    auto traced = read(trace, "Ref,Date,Outcome,Postcode\nA1,2026-06-01,T,AB1 2CD\nA2,2026-06-01,F,\n");
    REQUIRE(traced.sink.lines.size() == 2);
    auto const& found = std::get<model::TraceLine>(traced.sink.lines[0].facts);
    CHECK(found.traced);
    CHECK(found.fields == std::vector<std::pair<std::string, std::string>> { { "postcode", "AB1 2CD" } });
    CHECK_FALSE(std::get<model::TraceLine>(traced.sink.lines[1].facts).traced);
}

TEST_CASE("refund ids are derived from the payment id and date when the layout has none", "[layouts][returns]")
{
    model::ReturnLayout layout;
    layout.name = "refunds";
    layout.kind = model::ReturnKind::Refund;
    layout.amount_sign = model::AmountSign::Negative;
    layout.columns = { { "Amount", ReturnField::Amount, false }, { "Type", ReturnField::RefundType, false }, { "Reason", ReturnField::Code, false }, { "Date", ReturnField::Date, false }, { "Payment", ReturnField::PaymentId, false }, { "Ref", ReturnField::AccountReference, false } };
    layout.refund_types = { { "Dispute", model::MoneyKind::Chargeback }, { "Refund", model::MoneyKind::Refund } };
    auto outcome = read(layout, "Amount,Type,Reason,Date,Payment,Ref\n-1250,Dispute,Fraudulent,2026-06-05,P1,A1\n");
    REQUIRE(outcome.sink.lines.size() == 1);
    auto const& refund = std::get<model::RefundLine>(outcome.sink.lines[0].facts);
    CHECK(refund.amount_pence == 1250);
    CHECK(refund.kind == model::MoneyKind::Chargeback);
    CHECK(refund.refund_id == "P1/2026-06-05");
    CHECK(refund.agency_code == "Dispute/Fraudulent");
}

TEST_CASE("the layout is chosen by file name, remote folder and header row", "[layouts][returns]")
{
    model::Mapping mapping;
    mapping.agency = "test";
    auto payments = payment_layout();
    payments.file_name_glob = R"(????-??-??.csv)";
    auto payouts = payments;
    payouts.name = "payouts";
    payouts.kind = model::ReturnKind::Payout;
    payouts.columns = { { "Payout", ReturnField::PayoutId, false }, { "Id", ReturnField::PaymentId, false }, { "Amount", ReturnField::Amount, false }, { "Date", ReturnField::Date, false } };
    auto foldered = payments;
    foldered.name = "foldered";
    foldered.file_name_glob = "*.txt";
    foldered.remote_folder = "reports/daily";
    mapping.returns = { payments, payouts, foldered };

    auto const path = std::filesystem::temp_directory_path() / ("dcagw-return-select-" + std::to_string(::getpid()) + ".csv");
    auto const choose = [&](std::string const& header, std::string const& name, std::string const& folder) {
        std::ofstream(path, std::ios::binary) << header << "\n";
        return layouts::select_return_layout(mapping, name, folder, path, {});
    };
    CHECK(choose("Id,Ref,Amount,Date", "2026-06-01.csv", "outgoing").value()->name == "pay");
    CHECK(choose("\xEF\xBB\xBFPayout,Id,Amount,Date\r", "2026-06-01.csv", "outgoing").value()->name == "payouts");
    auto neither = choose("Id,Amount", "2026-06-01.csv", "outgoing");
    REQUIRE_FALSE(neither.ok());
    CHECK(neither.error().message() == "2026-06-01.csv: the header row is none of the layouts this name can be ('pay', 'payouts') in mapping 'test' (docs/returns.md); the file is refused whole");
    CHECK(choose("Id,Ref,Amount,Date", "x.txt", "reports/daily").value()->name == "foldered");
    auto wrong_folder = choose("Id,Ref,Amount,Date", "x.txt", "outgoing");
    REQUIRE_FALSE(wrong_folder.ok());
    CHECK(wrong_folder.error().message().starts_with("x.txt: no return layout matches this file name and remote folder 'outgoing'"));
    std::filesystem::remove(path);
}

TEST_CASE("glob matching", "[layouts][returns]")
{
    CHECK(model::glob_matches(R"(????-??-??.csv)", "2026-06-01.csv"));
    CHECK_FALSE(model::glob_matches(R"(????-??-??.csv)", "2026-06-01-Refunds.csv"));
    CHECK(model::glob_matches("*-Refunds.csv", "2026-06-01-Refunds.csv"));
    CHECK(model::glob_matches("*.ack.csv", "a.csv.ack.csv"));
    CHECK_FALSE(model::glob_matches("*.ack.csv", "a.ack.csv.tmp"));
    CHECK(model::glob_matches("*", ""));
    CHECK_FALSE(model::glob_matches("?", ""));
    CHECK(model::glob_matches("a*b*c", "aXXbYYbc"));
}
