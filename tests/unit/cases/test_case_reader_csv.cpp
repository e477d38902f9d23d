// CSV case export reader: RFC 4180 edge cases, header errors, limits, line numbers.
// Every input is read with several read-chunk sizes (1 byte, 7 bytes, whole), so records
// straddling buffer refills take the same path as in a large file.
#include "case_reader_test_support.hpp"
#include "gateway/cases/case_reader.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

using namespace dcagw;
using cases::ReadOutcome;
using model::CaseField;

namespace {

using test::ReadResult;

ReadResult read_all_chunked(std::string_view bytes, model::InputLimits const& limits, std::size_t chunk)
{
    return test::read_chunked(bytes, model::InputFormat::Csv, limits, chunk);
}

// Reads with 1-byte, 7-byte and whole reads and checks all three agree.
ReadResult read_all(std::string_view bytes, model::InputLimits const& limits = {})
{
    return test::read_all(bytes, model::InputFormat::Csv, limits, { 1, 7 });
}

std::string const header = "account_ref,person_ref,debt_type,balance_pence,first_name,last_name,address_line1,postcode";

} // namespace

TEST_CASE("csv: plain rows, LF and CRLF endings, final row without newline", "[cases][case_reader][csv]")
{
    std::string const text = header + "\r\nA1,P1,FTA,100,Siân,Evans,1 High St,CF10 1AA\r\n" + "A2,P2,SUNDRY,-5,Llŷr,Jones,2 Low St,SA1 1AA\n"
        + "A3,P3,GARAGE,0,Éowyn,Smith,3 Mid St,LS1 1AA";
    auto const result = read_all(text);
    REQUIRE(result.error.empty());
    REQUIRE(result.outcomes.size() == 3);
    CHECK(result.outcomes[0].kind == ReadOutcome::Record);
    CHECK(result.outcomes[0].line == 2);
    CHECK(result.outcomes[0].values.at("first_name") == "Siân");
    CHECK(result.outcomes[0].values.at("postcode") == "CF10 1AA"); // no stray CR
    CHECK(result.outcomes[1].values.at("first_name") == "Llŷr");
    CHECK(result.outcomes[1].values.at("balance_pence") == "-5");
    CHECK(result.outcomes[2].line == 4);
    CHECK(result.outcomes[2].values.at("first_name") == "Éowyn");
    CHECK(result.outcomes[2].values.at("postcode") == "LS1 1AA");
    CHECK(result.outcomes[2].values.count("notes") == 0);
}

TEST_CASE("csv: byte order mark, blank lines skipped, line numbers count physical lines", "[cases][case_reader][csv]")
{
    std::string const text = "\xEF\xBB\xBF" + header + "\n\nA1,P1,FTA,100,Ann,Evans,1 High St,CF10 1AA\n\r\n\"A2\",P2,FTA,1,\"Multi\nLine\",Jones,\"2\r\nLow St\",SA1\nA3,P3,FTA,1,Bo,Li,x,y\n\n";
    auto const result = read_all(text);
    REQUIRE(result.error.empty());
    REQUIRE(result.outcomes.size() == 3);
    CHECK(result.outcomes[0].line == 3);
    CHECK(result.outcomes[0].values.at("account_ref") == "A1");
    CHECK(result.outcomes[1].line == 5);
    CHECK(result.outcomes[1].values.at("first_name") == "Multi\nLine");
    CHECK(result.outcomes[1].values.at("address_line1") == "2\r\nLow St");
    CHECK(result.outcomes[2].line == 8);
}

TEST_CASE("csv: quoted fields with commas, doubled quotes, empty quoted fields", "[cases][case_reader][csv]")
{
    std::string const text = header + "\nA1,P1,FTA,100,\"O\"\"Brien, Seán\",\"\",\"1, High St\",\"CF10 1AA\"\n";
    auto const result = read_all(text);
    REQUIRE(result.outcomes.size() == 1);
    REQUIRE(result.outcomes[0].kind == ReadOutcome::Record);
    CHECK(result.outcomes[0].values.at("first_name") == "O\"Brien, Seán");
    CHECK(result.outcomes[0].values.at("last_name").empty());
    CHECK(result.outcomes[0].values.at("address_line1") == "1, High St");
    CHECK(result.outcomes[0].values.at("postcode") == "CF10 1AA");
}

TEST_CASE("csv: a quoted field may hold bare CR, LF and CRLF", "[cases][case_reader][csv]")
{
    std::string const text = header + "\nA1,P1,FTA,100,\"a\rb\",\"c\nd\",\"e\r\nf\",g\n";
    auto const result = read_all(text);
    REQUIRE(result.outcomes.size() == 1);
    CHECK(result.outcomes[0].values.at("first_name") == "a\rb");
    CHECK(result.outcomes[0].values.at("last_name") == "c\nd");
    CHECK(result.outcomes[0].values.at("address_line1") == "e\r\nf");
}

TEST_CASE("csv: wrong number of fields is a rejection and reading goes on", "[cases][case_reader][csv]")
{
    std::string const text = header + "\nA1,P1,FTA,100,Ann\nA2,P2,FTA,1,Bo,Li,x,y,extra\nA3,P3,FTA,1,Cy,Wu,z,w\n";
    auto const result = read_all(text);
    REQUIRE(result.outcomes.size() == 3);
    CHECK(result.outcomes[0].kind == ReadOutcome::Rejected);
    CHECK(result.outcomes[0].rejection.file == "cases.csv");
    CHECK(result.outcomes[0].rejection.line == 2);
    CHECK(result.outcomes[0].rejection.account_ref == "A1");
    CHECK(result.outcomes[0].rejection.person_ref == "P1");
    CHECK(result.outcomes[0].rejection.field.empty());
    CHECK(result.outcomes[0].rejection.reason == "row has 5 fields but the header has 8");
    CHECK(result.outcomes[1].rejection.reason == "row has 9 fields but the header has 8");
    CHECK(result.outcomes[2].kind == ReadOutcome::Record);
    CHECK(result.outcomes[2].line == 4);
}

TEST_CASE("csv: quoting mistakes are rejections naming the column", "[cases][case_reader][csv]")
{
    std::string const text = header + "\nA1,P1,FTA,100,Ann,Ev\"ans,x,y\nA2,P2,FTA,1,\"Bo\"x,Li,x,y\nA3,P3,FTA,1,Cy,Wu,z,w\nA4,P4,FTA,1,\"never closed,x,y\n";
    auto const result = read_all(text);
    REQUIRE(result.outcomes.size() == 4);
    CHECK(result.outcomes[0].kind == ReadOutcome::Rejected);
    CHECK(result.outcomes[0].rejection.field == "last_name");
    CHECK(result.outcomes[1].kind == ReadOutcome::Rejected);
    CHECK(result.outcomes[1].rejection.field == "first_name");
    CHECK(result.outcomes[1].rejection.reason == "text follows the closing quote of a quoted field");
    CHECK(result.outcomes[2].kind == ReadOutcome::Record);
    CHECK(result.outcomes[3].kind == ReadOutcome::Rejected);
    CHECK(result.outcomes[3].rejection.line == 5);
    CHECK(result.outcomes[3].rejection.reason == "a quoted field is not closed before the end of the file");
}

TEST_CASE("csv: header problems are file-level errors naming the column", "[cases][case_reader][csv]")
{
    SECTION("duplicate column")
    {
        auto const result = read_all(header + ",postcode\n");
        CHECK(result.code == base::ErrorCode::InputMalformed);
        CHECK(result.error.find("duplicate column 'postcode'") != std::string::npos);
        CHECK(result.error.find("cases.csv") != std::string::npos);
    }
    SECTION("missing required column")
    {
        auto const result = read_all("account_ref,person_ref,debt_type,balance_pence,first_name,last_name,address_line1\nA,B,C,D,E,F,G\n");
        CHECK(result.code == base::ErrorCode::InputMalformed);
        CHECK(result.error.find("required column 'postcode' is missing") != std::string::npos);
    }
    SECTION("empty file")
    {
        auto const result = read_all("");
        CHECK(result.code == base::ErrorCode::InputMalformed);
    }
    SECTION("unknown columns are ignored with one warning each")
    {
        auto const result = read_all(header + ",shoe_size,Postcode\nA1,P1,FTA,1,a,b,c,d,44,x\nA2,P2,FTA,1,a,b,c,d,45,y\n");
        REQUIRE(result.error.empty());
        REQUIRE(result.outcomes.size() == 2);
        CHECK(result.outcomes[0].kind == ReadOutcome::Record);
        CHECK(result.outcomes[0].values.at("postcode") == "d");
        CHECK(result.warnings == std::vector<std::string> { "unknown column 'shoe_size' ignored", "unknown column 'Postcode' ignored" });
    }
}

TEST_CASE("csv: invalid UTF-8 is a rejection naming the field", "[cases][case_reader][csv]")
{
    std::string const text = header + "\nA1,P1,FTA,100,Ann,Ev\xC3(ans,x,y\nA2,P2,FTA,1,\"B\xFF\",Li,x,y\nA3,P3,FTA,1,Cy,Wu,\xED\xA0\x80,w\n";
    auto const result = read_all(text);
    REQUIRE(result.outcomes.size() == 3);
    CHECK(result.outcomes[0].rejection.field == "last_name");
    CHECK(result.outcomes[0].rejection.reason == "the field is not valid UTF-8");
    CHECK(result.outcomes[1].rejection.field == "first_name");
    CHECK(result.outcomes[2].rejection.field == "address_line1"); // an encoded surrogate
}

TEST_CASE("csv: limits give the right outcome and reading goes on", "[cases][case_reader][csv]")
{
    model::InputLimits limits;
    limits.max_record_bytes = 200;
    limits.max_field_bytes = 20;
    limits.max_fields = 10;
    std::string const good = "A9,P9,FTA,1,Cy,Wu,z,w\n";
    SECTION("field over max_field_bytes")
    {
        auto const result = read_all(header + "\nA1,P1,FTA,1," + std::string(21, 'x') + ",b,c,d\n" + good, limits);
        REQUIRE(result.outcomes.size() == 2);
        CHECK(result.outcomes[0].rejection.field == "first_name");
        CHECK(result.outcomes[0].rejection.reason.find("max_field_bytes") != std::string::npos);
        CHECK(result.outcomes[1].kind == ReadOutcome::Record);
        CHECK(result.outcomes[1].line == 3);
    }
    SECTION("record over max_record_bytes, unquoted and quoted")
    {
        std::string const long_row = "A1,P1,FTA,1," + std::string(300, 'x') + ",b,c,d\n";
        std::string const long_quoted = "A2,P2,FTA,1,\"" + std::string(150, 'y') + "\n" + std::string(150, 'y') + "\",b,c,d\n";
        auto const result = read_all(header + "\n" + long_row + long_quoted + good, limits);
        REQUIRE(result.outcomes.size() == 3);
        CHECK(result.outcomes[0].kind == ReadOutcome::Rejected);
        CHECK(result.outcomes[0].rejection.reason.find("max_record_bytes") != std::string::npos);
        CHECK(result.outcomes[1].kind == ReadOutcome::Rejected);
        CHECK(result.outcomes[1].line == 3);
        CHECK(result.outcomes[2].kind == ReadOutcome::Record);
        CHECK(result.outcomes[2].line == 5);
    }
    SECTION("a huge unterminated quoted field is one rejection, in bounded memory")
    {
        // 8 MiB of input against a 200-byte record limit: the reader's buffer is fixed at
        // construction, so getting through this at all without growth is the check; ASan
        // builds would also flag any overrun.
        std::string text = header + "\nA1,P1,FTA,1,\"" + std::string(8u << 20, 'q');
        auto const result = read_all_chunked(text, limits, 0);
        REQUIRE(result.outcomes.size() == 1);
        CHECK(result.outcomes[0].kind == ReadOutcome::Rejected);
        CHECK(result.outcomes[0].rejection.reason.find("max_record_bytes") != std::string::npos);
    }
    SECTION("header over max_fields")
    {
        auto const result = read_all(header + ",a,b,c\n", limits);
        CHECK(result.code == base::ErrorCode::InputMalformed);
        CHECK(result.error.find("max_fields") != std::string::npos);
    }
    SECTION("file over max_file_bytes")
    {
        limits.max_file_bytes = 50;
        auto const result = read_all(header + "\n" + good, limits);
        CHECK(result.code == base::ErrorCode::InputTooLarge);
    }
}

TEST_CASE("csv: a file on disk over max_file_bytes is refused at open", "[cases][case_reader][csv]")
{
    auto const path = std::filesystem::temp_directory_path() / "dcagw_test_case_reader_large.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << header << "\nA1,P1,FTA,1,a,b,c,d\n";
    }
    model::InputLimits limits;
    limits.max_file_bytes = 20;
    auto opened = cases::open_case_reader(path, model::InputFormat::Auto, limits, "big.csv");
    REQUIRE(opened.is_error());
    CHECK(opened.error().code() == base::ErrorCode::InputTooLarge);
    limits.max_file_bytes = 1000;
    auto reopened = cases::open_case_reader(path, model::InputFormat::Auto, limits, "big.csv");
    REQUIRE(reopened.ok());
    model::RawRecord record;
    model::Rejection rejection;
    auto next = reopened.value()->next(record, rejection);
    REQUIRE(next.ok());
    CHECK(next.value() == ReadOutcome::Record);
    CHECK(record.value(CaseField::address_line1) == "c");
    std::filesystem::remove(path);
    auto missing = cases::open_case_reader(path, model::InputFormat::Auto, limits, "gone.csv");
    REQUIRE(missing.is_error());
    CHECK(missing.error().code() == base::ErrorCode::FileNotFound);
}

TEST_CASE("csv: many rows across many refills keep their values and lines", "[cases][case_reader][csv]")
{
    std::string text = header + "\n";
    for (int row = 0; row < 20000; ++row) {
        text += "A" + std::to_string(row) + ",P,FTA," + std::to_string(row) + ",";
        text += row % 3 == 0 ? "\"Quoted, \"\"name\"\"\"" : "Siân";
        text += ",Jones,\"1\nHigh St\",CF1\n";
    }
    auto const result = read_all_chunked(text, {}, 0);
    REQUIRE(result.outcomes.size() == 20000);
    for (int row = 0; row < 20000; row += 997) {
        auto const& outcome = result.outcomes[static_cast<std::size_t>(row)];
        REQUIRE(outcome.kind == ReadOutcome::Record);
        CHECK(outcome.line == static_cast<std::uint64_t>(2 + 2 * row));
        CHECK(outcome.values.at("balance_pence") == std::to_string(row));
        CHECK(outcome.values.at("first_name") == (row % 3 == 0 ? "Quoted, \"name\"" : "Siân"));
        CHECK(outcome.values.at("address_line1") == "1\nHigh St");
    }
}
