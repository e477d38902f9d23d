// Tests of the "messages" part of a mapping (docs/lifecycle.md): the bundled layouts read
// as the agencies publish them, and each rule refuses what it must, naming the JSON path.
#include "gateway/config/config_reader.hpp"
#include "mapping_section_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {

using dcagw::config::ConfigProblem;
using dcagw::model::MessageField;
using dcagw::model::MessageKind;
using dcagw::model::ReturnReason;
namespace fs = std::filesystem;

fs::path const source_dir { DCAGW_SOURCE_DIR };

std::vector<ConfigProblem> problems_of(std::string const& layouts, dcagw::model::Mapping* out = nullptr)
{
    return dcagw::test::mapping_section_problems("messages", layouts, out);
}

using dcagw::test::has_problem;

std::string describe(std::vector<ConfigProblem> const& problems) { return dcagw::test::describe_problems(problems); }

std::string const good_updates = R"({"name": "updates", "kinds": ["balance_update"], "file_name": "{iso_date}-{time}.csv",
    "columns": [{"name": "Ref", "field": "account_reference"}, {"name": "Tx", "field": "transaction_ref"}, {"name": "Amount", "field": "amount"}]})";

std::string const good_notices = R"({"name": "notices", "kinds": ["hold", "recall"], "file_name": "{date}-notices.csv",
    "columns": [{"name": "Ref", "field": "account_reference"}, {"name": "Code", "field": "reason"}],
    "reasons": {"hold": {"DSP": "DISP"}, "recall": {"DEC": "DEC"}}})";

dcagw::model::Mapping bundled(std::string const& name)
{
    dcagw::model::Mapping mapping;
    auto const problems = dcagw::config::check_mapping(source_dir / "mappings" / name, &mapping);
    INFO(describe(problems));
    REQUIRE(problems.empty());
    return mapping;
}

} // namespace

TEST_CASE("the bundled mappings declare their published lifecycle layouts")
{
    auto const ophelos = bundled("ophelos.json");
    REQUIRE(ophelos.messages.size() == 2);
    auto const& transactions = ophelos.messages[0];
    CHECK(transactions.file_name_pattern == "{date}-transaction.csv");
    CHECK(transactions.amount_style == dcagw::model::AmountStyle::Signed);
    CHECK(transactions.money_unit == dcagw::model::MoneyUnit::Pounds);
    CHECK(transactions.timestamp_format == dcagw::model::TimestampFormat::IsoMillis);
    auto const& closures = ophelos.messages[1];
    CHECK(closures.carries(MessageKind::Hold));
    CHECK_FALSE(closures.carries(MessageKind::Release));
    REQUIRE(closures.code_for(MessageKind::Hold, ReturnReason::Dispute) != nullptr);
    CHECK(*closures.code_for(MessageKind::Hold, ReturnReason::Dispute) == "DISP");
    CHECK(*closures.code_for(MessageKind::Recall, ReturnReason::InsolvencyBankruptcy) == "BK");

    auto const indebted = bundled("indebted.json");
    REQUIRE(indebted.messages.size() == 2);
    CHECK(indebted.messages[0].remote_folder == "transactions");
    CHECK(indebted.messages[0].increase_type == "Charge");
    CHECK(indebted.messages[0].decrease_type == "Payment");
    CHECK(indebted.messages[1].has_field(MessageField::Force));

    auto const example = bundled("example-agency.json");
    REQUIRE(example.messages.size() == 2);
    CHECK(example.messages[1].kinds.size() == 4);
}

TEST_CASE("good message layouts are accepted")
{
    dcagw::model::Mapping mapping;
    auto const problems = problems_of(good_updates + "," + good_notices, &mapping);
    INFO(describe(problems));
    CHECK(problems.empty());
    CHECK(mapping.messages.size() == 2);
}

TEST_CASE("a message layout must name the debt and carry known kinds once")
{
    CHECK(has_problem(problems_of(R"({"name": "x", "kinds": ["hold"], "file_name": "{date}.csv", "columns": [{"name": "A", "field": "empty"}]})"),
        "/messages/0/columns", "a message layout needs an 'account_reference' column"));
    CHECK(has_problem(problems_of(R"({"name": "x", "kinds": ["holdd"], "file_name": "{date}.csv", "columns": [{"name": "A", "field": "account_reference"}]})"),
        "/messages/0/kinds", "unknown message kind 'holdd' (did you mean 'hold'?)"));
    CHECK(has_problem(problems_of(R"({"name": "x", "kinds": ["hold", "hold"], "file_name": "{date}.csv", "columns": [{"name": "A", "field": "account_reference"}]})"),
        "/messages/0/kinds", "kind 'hold' is listed twice"));
    CHECK(has_problem(problems_of(R"({"name": "x", "kinds": ["hold"], "file_name": "{date}.csv", "columns": [{"name": "A", "field": "account_reference"}, {"name": "B", "field": "account_reference"}]})"),
        "/messages/0/columns/1/field", "field 'account_reference' is written to two columns"));
}

TEST_CASE("balance updates need an amount, a transaction reference and a direction")
{
    auto const magnitude = R"({"name": "u", "kinds": ["balance_update"], "file_name": "{date}.csv", "amount_style": "magnitude",
        "columns": [{"name": "A", "field": "account_reference"}, {"name": "T", "field": "transaction_ref"}, {"name": "M", "field": "amount"}]})";
    CHECK(has_problem(problems_of(magnitude), "/messages/0/columns", "with amount_style 'magnitude' only the 'transaction_type' column"));
    auto const no_reference = R"({"name": "u", "kinds": ["balance_update"], "file_name": "{date}.csv", "columns": [{"name": "A", "field": "account_reference"}, {"name": "M", "field": "amount"}]})";
    CHECK(has_problem(problems_of(no_reference), "/messages/0/columns", "a balance update layout needs a 'transaction_ref' column"));
    auto const untyped = R"({"name": "u", "kinds": ["balance_update"], "file_name": "{date}.csv",
        "columns": [{"name": "A", "field": "account_reference"}, {"name": "T", "field": "transaction_ref"}, {"name": "M", "field": "amount"}, {"name": "Y", "field": "transaction_type"}]})";
    CHECK(has_problem(problems_of(untyped), "/messages/0/transaction_types", "a 'transaction_type' column needs both"));
    auto const mixed = R"({"name": "u", "kinds": ["balance_update", "hold"], "file_name": "{date}.csv",
        "columns": [{"name": "A", "field": "account_reference"}, {"name": "T", "field": "transaction_ref"}, {"name": "M", "field": "amount"}]})";
    CHECK(has_problem(problems_of(mixed), "/messages/0/kinds", "balance updates go in a file of their own"));
}

TEST_CASE("a layout with several kinds must let the agency tell them apart")
{
    auto const ambiguous = R"({"name": "n", "kinds": ["hold", "release"], "file_name": "{date}.csv",
        "columns": [{"name": "A", "field": "account_reference"}, {"name": "C", "field": "reason"}],
        "reasons": {"hold": {"DSP": "DISP"}, "release": {"DSP": "DISP"}}})";
    CHECK(has_problem(problems_of(ambiguous), "/messages/0/columns", "a layout carrying several kinds needs an 'action' column"));
    auto const with_action = R"({"name": "n", "kinds": ["hold", "release"], "file_name": "{date}.csv",
        "columns": [{"name": "A", "field": "account_reference"}, {"name": "C", "field": "reason"}, {"name": "W", "field": "action"}],
        "reasons": {"hold": {"DSP": "DISP"}, "release": {"DSP": "DISP"}}})";
    CHECK(problems_of(with_action).empty());
    auto const missing_table = R"({"name": "n", "kinds": ["hold", "recall"], "file_name": "{date}.csv",
        "columns": [{"name": "A", "field": "account_reference"}, {"name": "C", "field": "reason"}, {"name": "W", "field": "action"}],
        "reasons": {"hold": {"DSP": "DISP"}}})";
    CHECK(has_problem(problems_of(missing_table), "/messages/0/reasons", "a 'reason' column needs a table of the agency's codes for 'recall'"));
}

TEST_CASE("reason tables hold canonical reasons and codes, for kinds the layout carries")
{
    auto const layout = [](std::string const& reasons) {
        return R"({"name": "n", "kinds": ["hold"], "file_name": "{date}.csv", "columns": [{"name": "A", "field": "account_reference"}, {"name": "C", "field": "reason"}], "reasons": )" + reasons + "}";
    };
    CHECK(has_problem(problems_of(layout(R"({"hold": {"DISPUTE": "DISP"}})")), "/messages/0/reasons/hold/DISPUTE", "'DISPUTE' is not a canonical return reason"));
    CHECK(has_problem(problems_of(layout(R"({"hold": {"DSP": ""}})")), "/messages/0/reasons/hold/DSP", "must be the agency's code"));
    CHECK(has_problem(problems_of(layout(R"({"hold": {"DSP": "DISP"}, "recall": {"DEC": "DEC"}})")), "/messages/0/reasons/recall", "the layout does not carry 'recall' messages"));
    CHECK(has_problem(problems_of(layout(R"({"hold": {"DSP": "DISP"}, "balance_update": {}})")), "/messages/0/reasons/balance_update", "unknown key 'balance_update'"));
}

TEST_CASE("message file names and folders are checked, and two layouts never share a kind or a file")
{
    CHECK(has_problem(problems_of(R"({"name": "x", "kinds": ["hold"], "file_name": "{time}.csv", "columns": [{"name": "A", "field": "account_reference"}]})"),
        "/messages/0/file_name", "file name pattern must contain {date} or {iso_date}"));
    CHECK(has_problem(problems_of(R"({"name": "x", "kinds": ["hold"], "file_name": "{date}.csv", "remote_folder": "../up", "columns": [{"name": "A", "field": "account_reference"}]})"),
        "/messages/0/remote_folder", "remote folder must not hold empty, '.' or '..' parts"));
    auto const hold_a = R"({"name": "a", "kinds": ["hold"], "file_name": "{date}-a.csv", "columns": [{"name": "A", "field": "account_reference"}]})";
    auto const hold_b = R"({"name": "b", "kinds": ["hold"], "file_name": "{date}-b.csv", "columns": [{"name": "A", "field": "account_reference"}]})";
    CHECK(has_problem(problems_of(std::string(hold_a) + "," + hold_b), "/messages/1", "kind 'hold' is carried by both 'a' and 'b'"));
    auto const recall_same_name = R"({"name": "c", "kinds": ["recall"], "file_name": "{date}-a.csv", "columns": [{"name": "A", "field": "account_reference"}]})";
    CHECK(has_problem(problems_of(std::string(hold_a) + "," + recall_same_name), "/messages/1", "layouts 'a' and 'c' write the same file name into the same folder"));
}

TEST_CASE("placement file names still refuse the message-only tokens")
{
    auto const path = fs::temp_directory_path() / ("dcagw-test-messages-placement-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path, std::ios::binary) << R"({"agency": "test-agency", "format": "csv", "file_name_pattern": "{iso_date}.csv", "columns": [{"name": "ref", "transform": "pseudonym", "sources": ["account_ref"]}]})";
    auto const problems = dcagw::config::check_mapping(path, nullptr);
    fs::remove(path);
    CHECK(has_problem(problems, "/file_name_pattern", "unknown token {iso_date} (known: {agency} {date} {sequence} {sequence:N})"));
}
