// Tests of the "returns" part of a mapping (docs/returns.md): the bundled layouts read as
// published, and each rule refuses what it must, naming the JSON path.
#include "gateway/config/config_reader.hpp"
#include "mapping_section_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {

using dcagw::config::ConfigProblem;
using dcagw::model::ReturnField;
using dcagw::model::ReturnKind;
using dcagw::model::ReturnReason;
namespace fs = std::filesystem;

fs::path const source_dir { DCAGW_SOURCE_DIR };

std::vector<ConfigProblem> problems_of(std::string const& layouts, dcagw::model::Mapping* out = nullptr)
{
    return dcagw::test::mapping_section_problems("returns", layouts, out);
}

using dcagw::test::has_problem;

std::string describe(std::vector<ConfigProblem> const& problems) { return dcagw::test::describe_problems(problems); }

std::string const good_activity = R"({"name": "act", "kind": "activity", "file_name": "*.csv",
    "columns": [{"name": "Ref", "field": "account_reference"}, {"name": "Date", "field": "date"}, {"name": "Code", "field": "code"}],
    "reasons": {"Settled": "SET", "Contacted": null}, "closure_codes": ["Settled"]})";

std::vector<std::string> names(dcagw::model::ReturnLayout const& layout)
{
    std::vector<std::string> result;
    for (auto const& column : layout.columns)
        result.push_back(column.name);
    return result;
}

} // namespace

TEST_CASE("a good return layout is read into the model", "[config][returns]")
{
    dcagw::model::Mapping mapping;
    auto const problems = problems_of(good_activity, &mapping);
    INFO(describe(problems));
    REQUIRE(problems.empty());
    REQUIRE(mapping.returns.size() == 1);
    auto const& layout = mapping.returns[0];
    CHECK(layout.kind == ReturnKind::Activity);
    CHECK(layout.file_name_glob == "*.csv");
    CHECK(layout.columns[2].field == ReturnField::Code);
    CHECK(layout.reasons.at("Settled") == ReturnReason::Settled);
    CHECK_FALSE(layout.reasons.at("Contacted").has_value());
    CHECK(layout.is_closure_code("Settled"));
    CHECK_FALSE(layout.is_closure_code("Contacted"));
}

TEST_CASE("the InDebted returns read the four published reports exactly", "[config][returns]")
{
    auto loaded = dcagw::config::load_mapping(source_dir / "mappings/indebted.json");
    REQUIRE(loaded.ok());
    auto const& returns = loaded.value().returns;
    auto const find = [&](std::string const& name) {
        auto const found = std::find_if(returns.begin(), returns.end(), [&](auto const& layout) { return layout.name == name; });
        REQUIRE(found != returns.end());
        return *found;
    };
    auto const activity = find("indebted-activity");
    CHECK(names(activity) == std::vector<std::string> { "CustomerRef", "AccountRef", "Reason", "Date" });
    CHECK(activity.file_name_glob == R"(????-??-??.csv)");
    for (auto const* reason : { "AutoRecalled", "BankruptcyDetected", "ChargebackReceivedThroughClient", "ChargedByClient", "ClosedDueToStatuteOfLimitations",
             "CompensatedByClient", "DeceasedScrubDetected", "EscalationBankrupt", "EscalationDeceased", "EscalationIncarcerated", "EscalationSelfHarm",
             "InstalmentPaymentReceived", "PaymentPlanDiscountReceived", "Settled" })
        CHECK(activity.reasons.contains(reason));
    CHECK(activity.reasons.at("DeceasedScrubDetected") == ReturnReason::Deceased);
    CHECK(activity.reasons.at("ClosedDueToStatuteOfLimitations") == ReturnReason::StatuteBarred);
    CHECK_FALSE(activity.reasons.at("ChargedByClient").has_value());
    CHECK(names(find("indebted-payments")) == std::vector<std::string> { "PaymentID", "StatementOfWorkID", "StatementOfWorkName", "AccountRef", "CustomerRef", "Amount", "PaymentDate", "PaidAt" });
    CHECK(names(find("indebted-payouts")) == std::vector<std::string> { "PaymentID", "PayoutID", "StatementOfWorkID", "StatementOfWorkName", "AccountRef", "CustomerRef", "Amount", "PaymentDate", "PayoutDate" });
    auto const refunds = find("indebted-refunds");
    CHECK(names(refunds) == std::vector<std::string> { "RefundAmount", "RefundType", "RefundReason", "RefundDate", "PaymentID", "PayoutID", "StatementOfWorkID",
                                "StatementOfWorkName", "AccountRef", "CustomerRef", "Amount", "PaymentDate", "PayoutDate" });
    CHECK(refunds.amount_sign == dcagw::model::AmountSign::Negative);
    CHECK(refunds.refund_types.at("Dispute") == dcagw::model::MoneyKind::Chargeback);
    CHECK(refunds.file_name_glob == R"(????-??-??-Refunds.csv)");
}

TEST_CASE("the example agency declares a layout for every kind of return", "[config][returns]")
{
    auto loaded = dcagw::config::load_mapping(source_dir / "mappings/example-agency.json");
    REQUIRE(loaded.ok());
    for (auto kind : { ReturnKind::Acknowledgement, ReturnKind::Activity, ReturnKind::Closure, ReturnKind::Trace, ReturnKind::Payment, ReturnKind::Refund, ReturnKind::Payout }) {
        INFO(dcagw::model::to_string(kind));
        auto const& returns = loaded.value().returns;
        CHECK(std::any_of(returns.begin(), returns.end(), [kind](auto const& layout) { return layout.kind == kind; }));
    }
    auto ophelos = dcagw::config::load_mapping(source_dir / "mappings/ophelos.json");
    REQUIRE(ophelos.ok());
    REQUIRE_FALSE(ophelos.value().returns.empty());
    auto const& closures = ophelos.value().returns[0];
    CHECK(closures.kind == ReturnKind::Closure);
    CHECK(closures.reasons.at("BK") == ReturnReason::InsolvencyBankruptcy);
    CHECK(closures.is_closure_code("PIF"));
    CHECK_FALSE(closures.is_closure_code("HOLD"));
}

TEST_CASE("return layout rules refuse what they must", "[config][returns]")
{
    struct Case {
        std::string layout;
        std::string path;
        std::string reason;
    };
    auto const with = [](std::string const& from, std::string const& to) {
        auto text = good_activity;
        auto const at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };
    std::vector<Case> const cases {
        { with(R"("kind": "activity")", R"("kind": "activty")"), "/returns/0/kind", "unknown return kind 'activty' (did you mean 'activity'?)" },
        { with(R"("field": "code")", R"("field": "reason")"), "/returns/0/columns/2/field", "unknown return field 'reason'" },
        { with(R"("field": "code")", R"("field": "amount")"), "/returns/0/columns/2/field", "field 'amount' is not read in a activity file" },
        { with(R"("field": "code")", R"("field": "date")"), "/returns/0/columns/2/field", "field 'date' is read from two columns" },
        { with(R"({"name": "Code", "field": "code"})", R"({"name": "Code", "field": "ignore"})"), "/returns/0/columns", "a activity layout needs a column for 'code'" },
        { with(R"("Settled": "SET")", R"("Settled": "SETTLED")"), "/returns/0/reasons/Settled", "unknown canonical reason 'SETTLED'" },
        { with(R"(["Settled"])", R"(["Closed"])"), "/returns/0/closure_codes", "closure code 'Closed' is not in 'reasons'" },
        { with(R"("reasons": {"Settled": "SET", "Contacted": null}, "closure_codes": ["Settled"])", R"("money_unit": "pounds")"), "/returns/0/reasons", "a activity layout needs 'reasons'" },
        { with(R"("file_name": "*.csv")", R"("file_name": "../x.csv")"), "/returns/0/file_name", "file name pattern must not start with '.'" },
        { with(R"("file_name": "*.csv")", R"("file_name": "*.csv", "remote_folder": "../up")"), "/returns/0/remote_folder", "remote folder must not hold" },
        { with(R"("file_name": "*.csv")", R"("file_name": "*.csv", "format": "xml")"), "/returns/0/xml", "an 'xml' layout needs 'xml' with its 'root' and 'record' element names" },
        { with(R"("file_name": "*.csv")", R"("file_name": "*.csv", "format": "yaml")"), "/returns/0/format", "must be 'csv', 'jsonl' or 'xml', not 'yaml'" },
        { with(R"("file_name": "*.csv")", R"("file_name": "*.csv", "format": "jsonl", "csv": {"delimiter": ";"})"), "/returns/0/csv", "'csv' settings are only read in a 'csv' layout" },
        { with(R"("file_name": "*.csv")", R"("file_name": "*.csv", "money_unit": "cents")"), "/returns/0/money_unit", "must be 'minor_units' or 'pounds'" },
        { with(R"("file_name": "*.csv")", R"("file_name": "*.csv", "date_format": "YYYYMMDD")"), "/returns/0/date_format", "must be 'YYYY-MM-DD', 'RFC3339' or 'DD/MM/YYYY'" },
        { with(R"("file_name": "*.csv")", R"("file_name": "*.csv", "csv": {"header": false})"), "/returns/0/csv", "return files must have a header row" },
        { with(R"("file_name": "*.csv")", R"("file_name": "*.csv", "refund_types": {"X": "refund"})"), "/returns/0/refund_types", "'refund_types' is not read in a activity layout" },
        { good_activity + "," + good_activity, "/returns/1", "layout name 'act' is used twice" },
    };
    for (auto const& each : cases) {
        auto const problems = problems_of(each.layout);
        INFO(each.layout << "\nreported:\n" << describe(problems));
        CHECK(has_problem(problems, each.path, each.reason));
    }
}

TEST_CASE("XML return layouts name their root, record and columns as XML names", "[config][returns][xml]")
{
    auto const xml_layout = [](std::string const& settings, std::string const& first_column) {
        return R"({"name": "act", "kind": "activity", "file_name": "*.xml", "format": "xml", )" + settings + R"(,
            "columns": [)" + first_column + R"(, {"name": "Date", "field": "date"}, {"name": "Code", "field": "code"}],
            "reasons": {"Settled": "SET"}, "closure_codes": ["Settled"]})";
    };
    std::string const good_settings = R"("xml": {"root": "Activity", "record": "Line"})";
    std::string const good_column = R"({"name": "Ref", "field": "account_reference", "xml": "attribute"})";
    auto const good = problems_of(xml_layout(good_settings, good_column));
    INFO(describe(good));
    CHECK(good.empty());

    dcagw::model::Mapping mapping;
    REQUIRE(problems_of(xml_layout(good_settings, good_column), &mapping).empty());
    REQUIRE(mapping.returns.size() == 1);
    auto const& layout = mapping.returns[0];
    CHECK(layout.format == dcagw::model::ReturnFormat::Xml);
    CHECK(layout.xml_root == "Activity");
    CHECK(layout.xml_record == "Line");
    CHECK(layout.columns[0].xml_place == dcagw::model::XmlPlace::Attribute);
    CHECK(layout.columns[1].xml_place == dcagw::model::XmlPlace::Element);

    struct Case {
        std::string layout;
        std::string path;
        std::string reason;
    };
    std::vector<Case> const cases {
        { xml_layout(R"("xml": {"root": "Activity"})", good_column), "/returns/0/xml/record", "required key is missing" },
        { xml_layout(R"("xml": {"root": "Activity", "record": "Line", "rows": "x"})", good_column), "/returns/0/xml/rows", "unknown key 'rows'" },
        { xml_layout(R"("xml": {"root": "1Activity", "record": "Line"})", good_column), "/returns/0/xml/root", "'1Activity' is not a valid XML element name" },
        { xml_layout(R"("xml": {"root": "Line", "record": "Line"})", good_column), "/returns/0/xml/record", "must be named apart from the root" },
        { xml_layout(good_settings, R"({"name": "Ref no", "field": "account_reference"})"), "/returns/0/columns/0/name", "'Ref no' is not a valid XML element or attribute name" },
        { xml_layout(good_settings, R"({"name": "Ref", "field": "account_reference", "xml": "text"})"), "/returns/0/columns/0/xml", "must be 'element' or 'attribute'" },
        { R"({"name": "act", "kind": "activity", "file_name": "*.csv", "columns": [{"name": "Ref", "field": "account_reference", "xml": "element"},
            {"name": "Date", "field": "date"}, {"name": "Code", "field": "code"}], "reasons": {"Settled": "SET"}})", "/returns/0/columns/0/xml", "'xml' is only read in an 'xml' layout" },
        { R"({"name": "act", "kind": "activity", "file_name": "*.csv", )" + good_settings + R"(, "columns": [{"name": "Ref", "field": "account_reference"},
            {"name": "Date", "field": "date"}, {"name": "Code", "field": "code"}], "reasons": {"Settled": "SET"}})", "/returns/0/xml", "'xml' settings are only read in an 'xml' layout" },
    };
    for (auto const& each : cases) {
        auto const problems = problems_of(each.layout);
        INFO(each.layout << "\nreported:\n" << describe(problems));
        CHECK(has_problem(problems, each.path, each.reason));
    }
}

TEST_CASE("payout layouts need payment lines or all four totals", "[config][returns]")
{
    auto const payout = [](std::string const& columns) {
        return R"({"name": "pay", "kind": "payout", "file_name": "*.csv", "columns": [{"name": "P", "field": "payout_id"}, {"name": "D", "field": "date"}, )" + columns + "]}";
    };
    CHECK(problems_of(payout(R"({"name": "I", "field": "payment_id"}, {"name": "A", "field": "amount"})")).empty());
    CHECK(problems_of(payout(R"({"name": "G", "field": "gross"}, {"name": "C", "field": "commission"}, {"name": "V", "field": "vat"}, {"name": "N", "field": "net"})")).empty());
    CHECK(has_problem(problems_of(payout(R"({"name": "G", "field": "gross"})")), "/returns/0/columns", "a payout layout needs 'payment_id' and 'amount'"));
    CHECK(has_problem(problems_of(payout(R"({"name": "I", "field": "payment_id"}, {"name": "A", "field": "amount"}, {"name": "G", "field": "gross"})")), "/returns/0/columns", "a payout's totals need all four"));
}

TEST_CASE("two layouts a file could not be told apart are refused", "[config][returns]")
{
    auto second = good_activity;
    second.replace(second.find(R"("name": "act")"), 13, R"("name": "act-2")");
    auto const problems = problems_of(good_activity + "," + second);
    CHECK(has_problem(problems, "/returns/1", "layouts 'act' and 'act-2' have the same file name, remote folder and header row"));
    auto other_folder = second;
    other_folder.replace(other_folder.find(R"("file_name": "*.csv")"), 20, R"("file_name": "*.csv", "remote_folder": "reports")");
    CHECK(problems_of(good_activity + "," + other_folder).empty());
}
