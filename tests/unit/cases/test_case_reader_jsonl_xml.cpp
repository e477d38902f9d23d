// JSON Lines and XML case export readers, and the same record read from all three formats.
#include "case_reader_test_support.hpp"
#include "gateway/cases/case_reader.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

using namespace dcagw;
using cases::ReadOutcome;

namespace {

using test::ReadResult;
using test::read_chunked;

ReadResult read_all(std::string_view bytes, model::InputFormat format, model::InputLimits const& limits = {})
{
    return test::read_all(bytes, format, limits, { 1, 5 });
}

ReadResult read_jsonl(std::string_view bytes, model::InputLimits const& limits = {})
{
    return read_all(bytes, model::InputFormat::JsonLines, limits);
}
ReadResult read_xml(std::string_view bytes, model::InputLimits const& limits = {})
{
    return read_all(bytes, model::InputFormat::Xml, limits);
}

} // namespace

TEST_CASE("jsonl: strings, escapes, surrogate pairs, numbers for pence, blank lines", "[cases][case_reader][jsonl]")
{
    std::string const text = "\xEF\xBB\xBF{\"account_ref\":\"A1\",\"first_name\":\"Si\\u00e2n\",\"last_name\":\"Ll\xC5\xB7r\",\"balance_pence\":-1234}\r\n"
                             "\n   \n"
                             "{ \"account_ref\" : \"A2\" , \"notes\" : \"say \\\"hi\\\"\\n\\t\\\\ \\ud83d\\ude00\", \"shoe\": [1] }\n"
                             "{\"account_ref\":\"A3\",\"principal_pence\":0,\"extra\":{\"a\":1}}\n";
    auto const result = read_jsonl(text);
    REQUIRE(result.error.empty());
    REQUIRE(result.outcomes.size() == 3);
    CHECK(result.outcomes[0].kind == ReadOutcome::Record);
    CHECK(result.outcomes[0].line == 1);
    CHECK(result.outcomes[0].values.at("first_name") == "Siân");
    CHECK(result.outcomes[0].values.at("last_name") == "Llŷr");
    CHECK(result.outcomes[0].values.at("balance_pence") == "-1234");
    CHECK(result.outcomes[1].kind == ReadOutcome::Rejected); // nested value
    CHECK(result.outcomes[1].line == 4);
    CHECK(result.outcomes[1].rejection.account_ref == "A2");
    CHECK(result.outcomes[1].rejection.reason.find("nested") != std::string::npos);
    CHECK(result.outcomes[2].kind == ReadOutcome::Rejected);
}

TEST_CASE("jsonl: escapes decode to UTF-8", "[cases][case_reader][jsonl]")
{
    auto const result = read_jsonl("{\"notes\":\"say \\\"hi\\\"\\n\\t\\\\ \\/ \\ud83d\\ude00 \\u00C9owyn\"}\n");
    REQUIRE(result.outcomes.size() == 1);
    REQUIRE(result.outcomes[0].kind == ReadOutcome::Record);
    CHECK(result.outcomes[0].values.at("notes") == "say \"hi\"\n\t\\ / \xF0\x9F\x98\x80 Éowyn");
}

TEST_CASE("jsonl: strictness, each a rejection that does not stop reading", "[cases][case_reader][jsonl]")
{
    std::vector<std::pair<std::string, std::string>> const cases {
        { "[1,2]", "not a JSON object" },
        { "{\"account_ref\":\"A\",}", "trailing commas" },
        { "{\"account_ref\":\"A\",\"account_ref\":\"B\"}", "duplicate key" },
        { "{\"x\":1,\"x\":2}", "duplicate key" },
        { "{\"vulnerable\":true}", "not a boolean" },
        { "{\"first_name\":12}", "must be a string" },
        { "{\"balance_pence\":12.5}", "whole number" },
        { "{\"balance_pence\":012}", "malformed number" },
        { "{\"first_name\":null}", "not null" },
        { "{\"first_name\":\"\\ud800\"}", "surrogate" },
        { "{\"first_name\":\"\\udc00\"}", "surrogate" },
        { "{\"first_name\":\"\\x41\"}", "unknown escape" },
        { "{\"first_name\":\"a\tb\"}", "control character" },
        { "{\"first_name\":\"\xC3\x28\"}", "UTF-8" },
        { "{\"first_name\":\"a\"} x", "text follows" },
        { "{\"first_name\":\"a\"", "not closed" },
        { "not json", "not a JSON object" },
    };
    std::string text;
    for (auto const& [line, reason] : cases)
        text += line + "\n";
    text += "{\"account_ref\":\"LAST\"}\n";
    auto const result = read_jsonl(text);
    REQUIRE(result.error.empty());
    REQUIRE(result.outcomes.size() == cases.size() + 1);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        INFO(cases[i].first);
        CHECK(result.outcomes[i].kind == ReadOutcome::Rejected);
        CHECK(result.outcomes[i].line == i + 1);
        CHECK(result.outcomes[i].rejection.reason.find(cases[i].second) != std::string::npos);
    }
    CHECK(result.outcomes.back().kind == ReadOutcome::Record);
    CHECK(result.outcomes[13].rejection.field == "first_name");
}

TEST_CASE("jsonl: unknown keys warn once; limits reject and resynchronise", "[cases][case_reader][jsonl]")
{
    model::InputLimits limits;
    limits.max_record_bytes = 100;
    limits.max_field_bytes = 10;
    limits.max_fields = 3;
    std::string const text = "{\"account_ref\":\"A1\",\"shoe\":\"9\"}\n{\"account_ref\":\"A2\",\"shoe\":\"10\"}\n"
                             "{\"account_ref\":\"A3\",\"first_name\":\"" + std::string(11, 'x') + "\"}\n"
                             "{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\"}\n"
                             "{\"notes\":\"" + std::string(5000, 'y') + "\"}\n"
                             "{\"account_ref\":\"A4\"}";
    auto const result = read_jsonl(text, limits);
    REQUIRE(result.outcomes.size() == 6);
    CHECK(result.outcomes[0].kind == ReadOutcome::Record);
    CHECK(result.outcomes[1].kind == ReadOutcome::Record);
    CHECK(result.warnings == std::vector<std::string> { "unknown key 'shoe' ignored", "unknown key 'a' ignored", "unknown key 'b' ignored", "unknown key 'c' ignored" });
    CHECK(result.outcomes[2].rejection.field == "first_name");
    CHECK(result.outcomes[2].rejection.reason.find("max_field_bytes") != std::string::npos);
    CHECK(result.outcomes[3].rejection.reason.find("max_fields") != std::string::npos);
    CHECK(result.outcomes[4].rejection.reason.find("max_record_bytes") != std::string::npos);
    CHECK(result.outcomes[5].kind == ReadOutcome::Record);
    CHECK(result.outcomes[5].line == 6);
}

TEST_CASE("xml: records, comments, CDATA, PIs, attributes, self-closing, entities", "[cases][case_reader][xml]")
{
    std::string const text = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- export -->\n<cases source=\"x>y\">\n"
                             "  <case id='1'>\n    <account_ref>A1</account_ref>\n    <first_name>Siân</first_name>\n"
                             "    <last_name>O&apos;Brien &amp; Co &#x1F600;</last_name>\n    <middle_names/>\n"
                             "    <notes><![CDATA[<b>bold</b> & more]]> tail</notes>\n    <!-- comment -->\n    <?pi data?>\n"
                             "    <shoe size=\"9\">44</shoe>\n  </case>\n  <case/>\n"
                             "  <case><account_ref>A3</account_ref><address_line1>1\r\nHigh St</address_line1></case>\n</cases>\n<!-- end -->\n";
    auto const result = read_xml(text);
    REQUIRE(result.error.empty());
    REQUIRE(result.outcomes.size() == 3);
    auto const& first = result.outcomes[0];
    REQUIRE(first.kind == ReadOutcome::Record);
    CHECK(first.line == 4);
    CHECK(first.values.at("first_name") == "Siân");
    CHECK(first.values.at("last_name") == "O'Brien & Co \xF0\x9F\x98\x80");
    CHECK(first.values.at("middle_names").empty());
    CHECK(first.values.at("notes") == "<b>bold</b> & more tail");
    CHECK(result.warnings == std::vector<std::string> { "unknown element <shoe> ignored" });
    CHECK(result.outcomes[1].kind == ReadOutcome::Record);
    CHECK(result.outcomes[1].values.empty());
    CHECK(result.outcomes[1].line == 14);
    CHECK(result.outcomes[2].values.at("address_line1") == "1\nHigh St"); // XML end-of-line handling
}

TEST_CASE("xml: malformed records are rejected and reading goes on", "[cases][case_reader][xml]")
{
    model::InputLimits limits;
    limits.max_record_bytes = 300;
    limits.max_field_bytes = 20;
    std::string const text = "<cases>\n"
                             "<case><account_ref>A1</account_ref><first_name>a</last_name></case>\n"
                             "<case><account_ref>A2</account_ref><first_name>&nbsp;</first_name></case>\n"
                             "<case><account_ref>A3</account_ref><first_name><b>x</b></first_name></case>\n"
                             "<case><account_ref>A4</account_ref><account_ref>A5</account_ref></case>\n"
                             "<case><notes>" + std::string(400, 'n') + "</notes></case>\n"
                             "<case><notes>" + std::string(21, 'n') + "</notes></case>\n"
                             "<case><first_name>\xFF</first_name></case>\n"
                             "<record><account_ref>A6</account_ref></record>\n"
                             "<case><first_name>&#0;</first_name></case>\n"
                             "<case>stray<account_ref>A7</account_ref></case>\n"
                             "<case><account_ref>A8</account_ref></case>\n</cases>";
    auto const result = read_xml(text, limits);
    REQUIRE(result.error.empty());
    REQUIRE(result.outcomes.size() == 11);
    for (std::size_t i = 0; i < 10; ++i) {
        INFO(i);
        CHECK(result.outcomes[i].kind == ReadOutcome::Rejected);
        CHECK(result.outcomes[i].line == i + 2);
    }
    CHECK(result.outcomes[2].rejection.field == "first_name");
    CHECK(result.outcomes[2].rejection.account_ref == "A3");
    CHECK(result.outcomes[3].rejection.reason == "the field appears twice");
    CHECK(result.outcomes[4].rejection.reason.find("max_record_bytes") != std::string::npos);
    CHECK(result.outcomes[5].rejection.reason.find("max_field_bytes") != std::string::npos);
    CHECK(result.outcomes[6].rejection.reason == "the field is not valid UTF-8");
    CHECK(result.outcomes[7].rejection.reason.find("<record>") != std::string::npos);
    CHECK(result.outcomes[10].kind == ReadOutcome::Record);
    CHECK(result.outcomes[10].values.at("account_ref") == "A8");
}

TEST_CASE("xml: file-level errors", "[cases][case_reader][xml]")
{
    std::vector<std::pair<std::string, std::string>> const cases {
        { "<!DOCTYPE cases [<!ENTITY x \"y\">]><cases></cases>", "DOCTYPE" },
        { "<cases><case><!ENTITY x \"y\"></case></cases>", "DOCTYPE" },
        { "<root></root>", "root element must be <cases>" },
        { "<cases><case><account_ref>A</account_ref>", "ends inside the element that starts on line 1" },
        { "<cases><case/>", "ends before the </cases>" },
        { "<cases></cases><cases/>", "follows the end" },
        { "<cases>text</cases>", "text outside" },
        { "", "no <cases> root" },
        { "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><cases/>", "encoding" },
    };
    for (auto const& [text, message] : cases) {
        INFO(text);
        auto const result = read_xml(text);
        CHECK(result.code == base::ErrorCode::InputMalformed);
        CHECK(result.error.find(message) != std::string::npos);
    }
    auto const empty = read_xml("<cases/>");
    CHECK(empty.error.empty());
    CHECK(empty.outcomes.empty());
}

TEST_CASE("xml: a huge record is skipped in bounded memory", "[cases][case_reader][xml]")
{
    model::InputLimits limits;
    limits.max_record_bytes = 1000;
    std::string text = "<cases><case><notes><![CDATA[" + std::string(6u << 20, 'c') + "]]><!--" + std::string(100000, '-') + "x-->" + "</notes></case>\n"
        + "<case><account_ref>A2</account_ref></case></cases>";
    auto const result = read_chunked(text, model::InputFormat::Xml, limits, 0);
    REQUIRE(result.error.empty());
    REQUIRE(result.outcomes.size() == 2);
    CHECK(result.outcomes[0].kind == ReadOutcome::Rejected);
    CHECK(result.outcomes[1].kind == ReadOutcome::Record);
    CHECK(result.outcomes[1].line == 2);
}

TEST_CASE("the same record read from CSV, JSON Lines and XML gives identical values", "[cases][case_reader]")
{
    std::string const csv = "account_ref,person_ref,debt_type,balance_pence,first_name,last_name,address_line1,postcode,notes,vulnerable\n"
                            "HRA-1,PER-1,FTA,123456,Siân,\"O'Brien, Jr\",\"Flat 2\n1 Stryd Fawr\",LL55 1AA,\"said \"\"call later\"\"\",N\n";
    std::string const jsonl = "{\"account_ref\":\"HRA-1\",\"person_ref\":\"PER-1\",\"debt_type\":\"FTA\",\"balance_pence\":123456,"
                              "\"first_name\":\"Si\\u00e2n\",\"last_name\":\"O'Brien, Jr\",\"address_line1\":\"Flat 2\\n1 Stryd Fawr\","
                              "\"postcode\":\"LL55 1AA\",\"notes\":\"said \\\"call later\\\"\",\"vulnerable\":\"N\"}\n";
    std::string const xml = "<cases><case><account_ref>HRA-1</account_ref><person_ref>PER-1</person_ref><debt_type>FTA</debt_type>"
                            "<balance_pence>123456</balance_pence><first_name>Si&#xE2;n</first_name><last_name>O&apos;Brien, Jr</last_name>"
                            "<address_line1>Flat 2\n1 Stryd Fawr</address_line1><postcode>LL55 1AA</postcode>"
                            "<notes><![CDATA[said \"call later\"]]></notes><vulnerable>N</vulnerable></case></cases>";
    auto const from_csv = read_all(csv, model::InputFormat::Csv);
    auto const from_jsonl = read_jsonl(jsonl);
    auto const from_xml = read_xml(xml);
    REQUIRE(from_csv.outcomes.size() == 1);
    REQUIRE(from_jsonl.outcomes.size() == 1);
    REQUIRE(from_xml.outcomes.size() == 1);
    REQUIRE(from_csv.outcomes[0].kind == ReadOutcome::Record);
    CHECK(from_csv.outcomes[0].values.size() == 10);
    CHECK(from_csv.outcomes[0].values == from_jsonl.outcomes[0].values);
    CHECK(from_csv.outcomes[0].values == from_xml.outcomes[0].values);
}

TEST_CASE("jsonl: an empty file is refused as a whole, as an empty CSV or XML file is", "[cases][case_reader][jsonl]")
{
    for (std::string_view const text : { "", "\xEF\xBB\xBF", "\n", "  \r\n\t\n" }) {
        INFO("'" << text << "'");
        auto const result = read_jsonl(text);
        CHECK(result.code == base::ErrorCode::InputMalformed);
        CHECK(result.error.find("the file is empty") != std::string::npos);
        CHECK(result.outcomes.empty());
    }
    // A file whose only line is rejected is not empty: the rejection is reported.
    auto const rejected = read_jsonl("[1]\n");
    CHECK(rejected.error.empty());
    REQUIRE(rejected.outcomes.size() == 1);
    CHECK(rejected.outcomes[0].kind == ReadOutcome::Rejected);
}
