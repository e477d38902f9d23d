// Drives the known-answer vectors in tests/vectors/case-export/ (format in its README.md).
#include "gateway/cases/case_reader.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace dcagw;
using cases::ReadOutcome;

namespace {

struct Vector {
    std::map<std::string, std::vector<std::string>> header;
    std::string input;
};

Vector load(std::filesystem::path const& path)
{
    std::ifstream stream(path, std::ios::binary);
    std::string const text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    Vector vector;
    std::size_t position = 0;
    for (;;) {
        std::size_t const end = text.find('\n', position);
        REQUIRE(end != std::string::npos);
        std::string const line = text.substr(position, end - position);
        position = end + 1;
        if (line.empty())
            break;
        std::size_t const colon = line.find(": ");
        if (colon == std::string::npos) {
            REQUIRE(line.back() == ':');
            vector.header[line.substr(0, line.size() - 1)].push_back("");
            continue;
        }
        vector.header[line.substr(0, colon)].push_back(line.substr(colon + 2));
    }
    vector.input = text.substr(position);
    return vector;
}

std::string unescape(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\' || i + 1 == text.size()) {
            out += text[i];
            continue;
        }
        char const kind = text[++i];
        if (kind == 'n')
            out += '\n';
        else if (kind == 'r')
            out += '\r';
        else if (kind == 't')
            out += '\t';
        else if (kind == 'x') {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else
            out += kind;
    }
    return out;
}

struct Seen {
    ReadOutcome kind;
    std::uint64_t line;
    std::map<std::string, std::string> values;
    model::Rejection rejection;
};

void run(Vector const& vector, std::size_t chunk)
{
    auto const& header = vector.header;
    std::string const format_name = header.at("format").at(0);
    auto const format = format_name == "csv" ? model::InputFormat::Csv : format_name == "jsonl" ? model::InputFormat::JsonLines : model::InputFormat::Xml;
    model::InputLimits limits;
    if (header.count("limit"))
        for (auto const& entry : header.at("limit")) {
            std::size_t const equals = entry.find('=');
            std::string const name = entry.substr(0, equals);
            std::uint64_t const value = std::stoull(entry.substr(equals + 1));
            if (name == "max_file_bytes")
                limits.max_file_bytes = value;
            else if (name == "max_record_bytes")
                limits.max_record_bytes = value;
            else if (name == "max_fields")
                limits.max_fields = value;
            else if (name == "max_field_bytes")
                limits.max_field_bytes = value;
            else
                FAIL("unknown limit " << name);
        }

    std::vector<Seen> seen;
    std::optional<base::Error> error;
    std::vector<std::string> warnings;
    auto opened = cases::open_case_reader_from_memory(vector.input, format, limits, "vector", chunk);
    if (opened.is_error()) {
        error = opened.release_error();
    } else {
        auto reader = opened.release_value();
        model::RawRecord record;
        model::Rejection rejection;
        for (;;) {
            auto next = reader->next(record, rejection);
            if (next.is_error()) {
                error = next.release_error();
                break;
            }
            if (next.value() == ReadOutcome::End)
                break;
            Seen entry { next.value(), next.value() == ReadOutcome::Record ? record.location.line : rejection.line, {}, rejection };
            if (next.value() == ReadOutcome::Record)
                for (auto const& field : model::field_table())
                    if (record.present[model::index_of(field.field)])
                        entry.values[std::string(field.name)] = std::string(record.value(field.field));
            seen.push_back(std::move(entry));
        }
        warnings = reader->warnings();
    }

    std::string const expect = header.at("expect").at(0);
    if (expect == "file error") {
        REQUIRE(error.has_value());
        INFO(error->to_text());
        CHECK(std::string(base::to_string(error->code())) == header.at("error-code").at(0));
        CHECK(error->to_text().find(header.at("error").at(0)) != std::string::npos);
    } else {
        REQUIRE(expect == "records");
        if (error.has_value())
            FAIL("unexpected error: " << error->to_text());
    }

    std::vector<std::string> const outcomes = header.count("outcome") ? header.at("outcome") : std::vector<std::string> {};
    REQUIRE(seen.size() == outcomes.size());
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        INFO("outcome " << i + 1 << ": " << outcomes[i]);
        std::istringstream words(outcomes[i]);
        std::string kind;
        std::uint64_t line = 0;
        words >> kind >> line;
        CHECK(seen[i].line == line);
        if (kind == "record") {
            CHECK(seen[i].kind == ReadOutcome::Record);
        } else {
            REQUIRE(kind == "rejected");
            std::string field;
            words >> field;
            CHECK(seen[i].kind == ReadOutcome::Rejected);
            CHECK(seen[i].rejection.field == (field == "-" ? "" : field));
            CHECK(seen[i].rejection.file == "vector");
        }
    }
    auto const each = [&](char const* key, auto check) {
        if (header.count(key))
            for (auto const& entry : header.at(key)) {
                std::size_t const space = entry.find(' ');
                std::size_t const index = std::stoul(entry.substr(0, space)) - 1;
                REQUIRE(index < seen.size());
                check(seen[index], entry.substr(space + 1));
            }
    };
    each("reason", [](Seen const& entry, std::string const& text) {
        INFO(entry.rejection.reason);
        CHECK(entry.rejection.reason.find(text) != std::string::npos);
    });
    each("value", [](Seen const& entry, std::string const& rest) {
        std::size_t const space = rest.find(' ');
        std::string const field = rest.substr(0, space);
        INFO(field);
        REQUIRE(entry.values.count(field) == 1);
        CHECK(entry.values.at(field) == unescape(space == std::string::npos ? "" : rest.substr(space + 1)));
    });
    each("absent", [](Seen const& entry, std::string const& field) { CHECK(entry.values.count(field) == 0); });
    if (header.count("warning"))
        CHECK(warnings == header.at("warning"));
}

} // namespace

TEST_CASE("case export vectors", "[cases][case_reader][vectors]")
{
    std::filesystem::path const folder = std::filesystem::path(DCAGW_SOURCE_DIR) / "tests/vectors/case-export";
    std::size_t count = 0;
    for (auto const& entry : std::filesystem::directory_iterator(folder)) {
        if (!entry.is_regular_file() || entry.path().filename() == "README.md")
            continue;
        ++count;
        Vector const vector = load(entry.path());
        for (std::size_t chunk : { std::size_t { 0 }, std::size_t { 1 }, std::size_t { 7 } }) {
            INFO(entry.path().filename().string() << " read in chunks of " << chunk);
            run(vector, chunk);
        }
    }
    CHECK(count >= 8);
}
