// Tests of mapping checking: the bundled mappings load, and every bad mapping vector in
// tests/vectors/mappings/ reports exactly the problems its .expect file lists.
#include "gateway/config/config_reader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

using dcagw::config::ConfigProblem;
namespace fs = std::filesystem;

fs::path const source_dir { DCAGW_SOURCE_DIR };

std::string read_text(fs::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string describe(std::vector<ConfigProblem> const& problems)
{
    std::string text;
    for (auto const& problem : problems)
        text += dcagw::config::to_text(problem) + "\n";
    return text;
}

// A temporary mapping file holding `json`, removed afterwards.
class TemporaryMapping {
public:
    explicit TemporaryMapping(std::string const& json)
    {
        m_path = fs::temp_directory_path() / ("dcagw-test-mapping-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++) + ".json");
        std::ofstream(m_path, std::ios::binary) << json;
    }
    ~TemporaryMapping() { fs::remove(m_path); }
    fs::path const& path() const { return m_path; }

private:
    static int& counter()
    {
        static int value = 0;
        return value;
    }
    fs::path m_path;
};

std::vector<ConfigProblem> problems_of(std::string const& json, dcagw::model::Mapping* out = nullptr)
{
    TemporaryMapping file(json);
    return dcagw::config::check_mapping(file.path(), out);
}

std::string with_columns(std::string const& columns, std::string const& extra = "")
{
    return R"({"agency": "test-agency", "format": "csv", "file_name_pattern": "{date}.csv", )" + extra + R"("columns": [)" + columns + "]}";
}

} // namespace

TEST_CASE("the bundled mappings pass every check", "[config][mapping]")
{
    for (auto const* name : { "ophelos", "indebted", "generic-xml", "example-agency" }) {
        auto const path = source_dir / "mappings" / (std::string(name) + ".json");
        if (!fs::exists(path))
            continue;
        INFO(path.string());
        dcagw::model::Mapping mapping;
        auto const problems = dcagw::config::check_mapping(path, &mapping);
        INFO(describe(problems));
        CHECK(problems.empty());
        CHECK(mapping.agency == name);
        auto loaded = dcagw::config::load_mapping(path);
        REQUIRE(loaded.ok());
        CHECK(loaded.value().columns.size() == mapping.columns.size());
        // Nothing internal can ever be shared, whatever the mapping says.
        for (auto field : mapping.fields_shared())
            CHECK_FALSE(dcagw::model::info(field).never_shared);
    }
}

TEST_CASE("the Ophelos mapping reproduces the placement layout", "[config][mapping]")
{
    auto loaded = dcagw::config::load_mapping(source_dir / "mappings/ophelos.json");
    REQUIRE(loaded.ok());
    auto const& mapping = loaded.value();
    std::vector<std::string> names;
    for (auto const& column : mapping.columns)
        names.push_back(column.name);
    std::vector<std::string> const expected { "account_number", "balance_total", "first_name", "last_name", "dob", "address1", "city", "postcode", "country",
        "email", "mobile", "phone", "address2", "county", "balance_principal", "balance_interest", "last_payment_date", "tags" };
    CHECK(names == expected);
    CHECK(mapping.file_name_pattern == "{date}-placement.csv");
    CHECK(mapping.eligibility.vulnerable == dcagw::model::VulnerablePolicy::HandlingCodeOnly);
    CHECK(mapping.columns[0].transform == dcagw::model::Transform::Pseudonym);
    CHECK(mapping.columns[0].sources == std::vector { dcagw::model::CaseField::account_ref });
    CHECK(mapping.columns[1].transform == dcagw::model::Transform::PenceToPounds);
    CHECK(mapping.columns[4].date_format == "%Y-%m-%d");
    CHECK(mapping.columns[8].constant == "GB");
    CHECK(mapping.columns[17].sources == std::vector { dcagw::model::CaseField::vulnerability_code });
}

TEST_CASE("the InDebted and generic XML mappings", "[config][mapping]")
{
    auto indebted = dcagw::config::load_mapping(source_dir / "mappings/indebted.json");
    REQUIRE(indebted.ok());
    auto const& columns = indebted.value().columns;
    REQUIRE(columns.size() >= 6);
    CHECK(columns[0].name == "AccountRef");
    CHECK(columns[1].name == "CustomerRef");
    CHECK(columns[1].sources == std::vector { dcagw::model::CaseField::person_ref });
    CHECK(columns[4].name == "Balance");
    CHECK(columns[4].transform == dcagw::model::Transform::Copy);
    CHECK(columns[5].table.at("FTA") == "Former tenant arrears");
    CHECK(indebted.value().eligibility.vulnerable == dcagw::model::VulnerablePolicy::Exclude);

    auto xml = dcagw::config::load_mapping(source_dir / "mappings/generic-xml.json");
    REQUIRE(xml.ok());
    CHECK(xml.value().format == dcagw::model::OutputFormat::Xml);
    CHECK(xml.value().xml_root == "Placements");
    CHECK(xml.value().xml_record == "Account");
    CHECK(xml.value().file_name_pattern == "{agency}-{date}-{sequence}.xml");
}

TEST_CASE("every bad mapping vector reports exactly its expected problems", "[config][mapping]")
{
    auto const folder = source_dir / "tests/vectors/mappings";
    std::vector<fs::path> vectors;
    for (auto const& entry : fs::directory_iterator(folder))
        if (entry.path().extension() == ".json")
            vectors.push_back(entry.path());
    std::sort(vectors.begin(), vectors.end());
    REQUIRE(vectors.size() >= 20);
    for (auto const& vector : vectors) {
        auto expect_file = vector;
        expect_file.replace_extension(".expect");
        REQUIRE(fs::exists(expect_file));
        std::vector<std::pair<std::string, std::string>> expected; // path, start of reason
        std::istringstream lines(read_text(expect_file));
        for (std::string line; std::getline(lines, line);) {
            if (!line.starts_with("expect: "))
                continue;
            line.erase(0, 8);
            auto const separator = line.find(": ");
            REQUIRE(separator != std::string::npos);
            expected.emplace_back(line.substr(0, separator), line.substr(separator + 2));
        }
        auto const problems = dcagw::config::check_mapping(vector);
        INFO(vector.filename().string() << " reported:\n" << describe(problems));
        REQUIRE(!expected.empty());
        CHECK(problems.size() == expected.size());
        for (auto const& [path, reason] : expected) {
            INFO("expected " << path << ": " << reason);
            bool const found = std::any_of(problems.begin(), problems.end(), [&](ConfigProblem const& problem) {
                return problem.json_path == path && problem.reason.starts_with(reason) && problem.file == vector.string();
            });
            CHECK(found);
        }
        CHECK_FALSE(dcagw::config::load_mapping(vector).ok());
    }
}

TEST_CASE("load_mapping names the first problem with file and path", "[config][mapping]")
{
    TemporaryMapping file(with_columns(R"({"name": "n", "transform": "copy", "source": "notes"})"));
    auto loaded = dcagw::config::load_mapping(file.path());
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code() == dcagw::base::ErrorCode::MappingInvalid);
    CHECK(loaded.error().message().starts_with(file.path().string() + ": /columns/0/source: notes can never be mapped: internal free text"));
}

TEST_CASE("column settings are read into the model", "[config][mapping]")
{
    dcagw::model::Mapping mapping;
    auto const problems = problems_of(with_columns(R"(
        {"name": "ref", "transform": "pseudonym", "sources": ["account_ref", "person_ref"], "required": true},
        {"name": "dob", "transform": "date_format", "source": "date_of_birth", "format": "%d/%m/%Y"},
        {"name": "phone", "transform": "mask", "source": "phone_mobile", "keep_last": 3, "mask_char": "#"},
        {"name": "town", "transform": "truncate", "source": "town", "max_length": 30},
        {"name": "name", "transform": "concatenate", "sources": ["first_name", "last_name"], "separator": ", "},
        {"name": "kind", "transform": "lookup", "source": "debt_type", "table": {"FTA": "Arrears"}, "default": "Other"},
        {"name": "old", "transform": "rename", "source": "county"},
        {"name": "country", "transform": "constant", "value": "GB"},
        {"name": "owed", "transform": "pence_to_pounds", "source": "balance_pence"},
        {"name": "surname", "source": "last_name"})",
                                          R"("csv": {"delimiter": ";", "header": false, "crlf": true}, "eligibility": {"debt_types": ["FTA", "ASC"], "minimum_balance_pence": 100, "maximum_balance_pence": 100}, )"),
        &mapping);
    INFO(describe(problems));
    REQUIRE(problems.empty());
    using dcagw::model::CaseField;
    using dcagw::model::Transform;
    CHECK(mapping.csv_delimiter == ';');
    CHECK_FALSE(mapping.csv_header);
    CHECK(mapping.crlf);
    REQUIRE(mapping.columns.size() == 10);
    CHECK(mapping.columns[0].sources == std::vector { CaseField::account_ref, CaseField::person_ref });
    CHECK(mapping.columns[0].required);
    CHECK(mapping.columns[1].date_format == "%d/%m/%Y");
    CHECK(mapping.columns[2].keep_last == 3);
    CHECK(mapping.columns[2].mask_char == '#');
    CHECK(mapping.columns[3].max_length == 30);
    CHECK(mapping.columns[4].separator == ", ");
    CHECK(mapping.columns[5].table.size() == 1);
    CHECK(mapping.columns[5].default_value == "Other");
    CHECK(mapping.columns[6].transform == Transform::Copy);
    CHECK(mapping.columns[7].transform == Transform::Constant);
    CHECK(mapping.columns[7].sources.empty());
    CHECK(mapping.columns[8].transform == Transform::PenceToPounds);
    CHECK(mapping.columns[9].transform == Transform::Copy);
    CHECK(mapping.eligibility.debt_types.size() == 2);
    CHECK(mapping.eligibility.minimum_balance_pence == 100);
    CHECK(mapping.eligibility.maximum_balance_pence == 100);
}

TEST_CASE("a mapping file that cannot be read is one problem for the whole file", "[config][mapping]")
{
    auto const problems = dcagw::config::check_mapping(fs::path("/nonexistent/dcagw/mapping.json"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].json_path.empty());
    CHECK(problems[0].reason.find("No such file") != std::string::npos);

    std::string big(2 << 20, ' ');
    auto const large = problems_of("{}" + big);
    REQUIRE(large.size() == 1);
    CHECK(large[0].reason.find("larger than the limit") != std::string::npos);
}
