// Every return file vector (.csv, .jsonl, .xml) in tests/vectors/returns/<mapping>/ is read with
// the bundled mapping it names (or a test mapping, named by its path from the source root) and gives exactly the accepted count and the rejections (line, column,
// start of reason) its .expect file lists, or is refused whole as the file says: when its
// layout is chosen ("refused") or when it is read ("refused_reading", nothing reaches the
// sink). "max_field_bytes" lowers that limit for one vector.
#include "gateway/config/config_reader.hpp"
#include "gateway/layouts/return_reader.hpp"
#include "return_test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace {

namespace fs = std::filesystem;
fs::path const source_dir { DCAGW_SOURCE_DIR };

struct Expectation {
    std::map<std::string, std::string> settings;
    std::vector<std::string> rejects; // "line column: reason start"
};

Expectation read_expectation(fs::path const& path)
{
    Expectation result;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#')
            continue;
        auto const colon = line.find(": ");
        REQUIRE(colon != std::string::npos);
        auto key = line.substr(0, colon);
        auto value = line.substr(colon + 2);
        if (key == "reject")
            result.rejects.push_back(value);
        else
            result.settings[key] = value;
    }
    return result;
}

// The string values of a JSON Lines file (each quoted text after a ':'), as for CSV below.
std::vector<std::string> jsonl_values_in(fs::path const& jsonl)
{
    std::ifstream in(jsonl, std::ios::binary);
    std::vector<std::string> values;
    for (std::string line; std::getline(in, line);) {
        for (auto colon = line.find(':'); colon != std::string::npos; colon = line.find(':', colon + 1)) {
            auto const open = line.find_first_not_of(' ', colon + 1);
            if (open == std::string::npos || line[open] != '"')
                continue;
            auto const close = line.find('"', open + 1);
            if (close != std::string::npos && close - open - 1 >= 3)
                values.push_back(line.substr(open + 1, close - open - 1));
        }
    }
    return values;
}

// The text of an XML file's elements and attribute values, as for CSV below.
std::vector<std::string> xml_values_in(fs::path const& xml)
{
    std::ifstream in(xml, std::ios::binary);
    std::string text { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
    // The XML declaration's version and encoding are the format's words, not values.
    if (auto const declaration = text.find("?>"); declaration != std::string::npos && text.find("<?xml") < 4)
        text.erase(0, declaration + 2);
    std::vector<std::string> values;
    auto const add_between = [&](char open, char close) {
        for (auto start = text.find(open); start != std::string::npos; start = text.find(open, start + 1)) {
            auto const end = text.find(close, start + 1);
            if (end == std::string::npos)
                break;
            auto value = text.substr(start + 1, end - start - 1);
            if (value.size() >= 3 && value.find_first_not_of(" \r\n\t") != std::string::npos)
                values.push_back(std::move(value));
        }
    };
    add_between('>', '<');
    add_between('"', '"');
    return values;
}

// The file's bytes, to show that no rejection quotes a value from them.
std::vector<std::string> values_in(fs::path const& csv)
{
    if (csv.extension() == ".jsonl")
        return jsonl_values_in(csv);
    if (csv.extension() == ".xml")
        return xml_values_in(csv);
    std::ifstream in(csv, std::ios::binary);
    std::vector<std::string> values;
    std::string line;
    std::getline(in, line); // the header names columns; reasons may name them
    while (std::getline(in, line)) {
        std::string value;
        for (char c : line + ",") {
            if (c == ',' || c == '\r') {
                if (value.size() >= 3)
                    values.push_back(value);
                value.clear();
            } else if (c != '"') {
                value.push_back(c);
            }
        }
    }
    return values;
}

} // namespace

TEST_CASE("every return file vector reads as its .expect says", "[layouts][returns]")
{
    std::vector<fs::path> vectors;
    for (auto const& entry : fs::recursive_directory_iterator(source_dir / "tests/vectors/returns"))
        if (entry.path().extension() == ".csv" || entry.path().extension() == ".jsonl" || entry.path().extension() == ".xml")
            vectors.push_back(entry.path());
    std::sort(vectors.begin(), vectors.end());
    REQUIRE(vectors.size() >= 28);
    std::map<std::string, dcagw::model::Mapping> mappings;
    for (auto const& vector : vectors) {
        INFO(vector.string());
        auto expect_path = vector;
        auto const expected = read_expectation(expect_path.replace_extension(".expect"));
        auto const& mapping_name = expected.settings.at("mapping");
        if (!mappings.contains(mapping_name)) {
            auto const mapping_path = mapping_name.find('/') == std::string::npos ? source_dir / "mappings" / (mapping_name + ".json") : source_dir / (mapping_name + ".json");
            auto loaded = dcagw::config::load_mapping(mapping_path);
            REQUIRE(loaded.ok());
            mappings.emplace(mapping_name, std::move(loaded).value());
        }
        auto const& mapping = mappings.at(mapping_name);
        auto const folder = expected.settings.contains("remote_folder") ? expected.settings.at("remote_folder") : std::string("outgoing");
        dcagw::model::InputLimits limits;
        if (expected.settings.contains("max_field_bytes"))
            limits.max_field_bytes = std::stoul(expected.settings.at("max_field_bytes"));
        auto selected = dcagw::layouts::select_return_layout(mapping, expected.settings.at("name"), folder, vector, limits);
        if (expected.settings.contains("refused")) {
            REQUIRE_FALSE(selected.ok());
            CHECK(selected.error().code() == dcagw::base::ErrorCode::InputMalformed);
            CHECK(selected.error().message().find(expected.settings.at("refused")) != std::string::npos);
            continue;
        }
        REQUIRE(selected.ok());
        CHECK(selected.value()->name == expected.settings.at("layout"));
        dcagw::layouts::ReturnReadOptions options { limits, *dcagw::base::Date::parse(expected.settings.at("today")), expected.settings.at("name") };
        dcagw::test::CollectingSink sink;
        auto counts = dcagw::layouts::read_return_file(*selected.value(), vector, options, sink);
        if (expected.settings.contains("refused_reading")) {
            REQUIRE_FALSE(counts.ok());
            CHECK(counts.error().code() == dcagw::base::ErrorCode::InputMalformed);
            CHECK(counts.error().message().find(expected.settings.at("refused_reading")) != std::string::npos);
            INFO(counts.error().message());
            // Refused before or at the first bad byte of the structure; whatever reached
            // the sink belongs to a file that is not applied (one transaction, ingest).
            for (auto const& value : values_in(vector))
                CHECK(counts.error().message().find(value) == std::string::npos);
            continue;
        }
        if (!counts.ok())
            FAIL(counts.error().message());
        std::vector<std::string> got;
        for (auto const& rejection : sink.rejections) {
            CHECK(rejection.file == expected.settings.at("name"));
            got.push_back(std::to_string(rejection.line) + " " + (rejection.field.empty() ? "-" : rejection.field) + ": " + rejection.reason);
            for (auto const& value : values_in(vector)) {
                INFO(rejection.reason << " / " << value);
                CHECK(rejection.reason.find(value) == std::string::npos);
            }
        }
        INFO("rejections:\n" << [&] { std::string all; for (auto const& each : got) all += each + "\n"; return all; }());
        CHECK(counts.value().lines_accepted == std::stoull(expected.settings.at("accepted")));
        CHECK(sink.lines.size() == counts.value().lines_accepted);
        CHECK(counts.value().lines_rejected == expected.rejects.size());
        REQUIRE(got.size() == expected.rejects.size());
        for (std::size_t i = 0; i < got.size(); ++i)
            CHECK(got[i].starts_with(expected.rejects[i]));
    }
}
