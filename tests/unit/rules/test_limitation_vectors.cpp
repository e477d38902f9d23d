#include "gateway/rules/limitation.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

using namespace dcagw;

namespace {

std::filesystem::path const vector_folder = std::filesystem::path(DCAGW_SOURCE_DIR) / "tests" / "vectors" / "limitation";

std::map<std::string, std::string> read_header(std::filesystem::path const& path)
{
    std::map<std::string, std::string> header;
    std::ifstream file(path);
    std::string line;
    while (std::getline(file, line) && !line.empty()) {
        auto const colon = line.find(": ");
        INFO(path.filename().string() << ": " << line);
        REQUIRE(colon != std::string::npos);
        auto const [entry, inserted] = header.emplace(line.substr(0, colon), line.substr(colon + 2));
        REQUIRE(inserted);
    }
    return header;
}

base::Date date_of(std::string const& text)
{
    auto const date = base::Date::parse(text);
    INFO("date '" << text << "'");
    REQUIRE(date.has_value());
    return *date;
}

} // namespace

TEST_CASE("limitation known-answer vectors")
{
    std::vector<std::filesystem::path> files;
    for (auto const& entry : std::filesystem::directory_iterator(vector_folder))
        if (entry.path().extension() == ".txt")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 30);

    for (auto const& path : files) {
        DYNAMIC_SECTION(path.filename().string())
        {
            auto header = read_header(path);
            REQUIRE(header.count("expect") == 1);
            REQUIRE(header.count("expiry") == 1);
            REQUIRE(header.count("today") == 1);
            REQUIRE(header.count("debt_type") == 1);

            model::CaseRecord record;
            auto const debt_type = model::debt_type_from_string(header["debt_type"]);
            REQUIRE(debt_type.has_value());
            record.debt_type = *debt_type;
            base::Date const today = date_of(header["today"]);
            for (auto const& [key, value] : header) {
                if (key == "expect" || key == "expiry" || key == "today" || key == "debt_type" || key == "comment")
                    continue;
                if (key == "due_date")
                    record.due_date = date_of(value);
                else if (key == "last_payment_date")
                    record.last_payment_date = date_of(value);
                else if (key == "last_acknowledgement_date")
                    record.last_acknowledgement_date = date_of(value);
                else if (key == "liability_order_date")
                    record.liability_order_date = date_of(value);
                else if (key == "breathing_space_start")
                    record.breathing_space_start = date_of(value);
                else if (key == "breathing_space_end")
                    record.breathing_space_end = date_of(value);
                else if (key == "breathing_space") {
                    if (value == "NONE")
                        record.breathing_space = model::BreathingSpace::None;
                    else if (value == "STANDARD")
                        record.breathing_space = model::BreathingSpace::Standard;
                    else if (value == "MENTAL_HEALTH")
                        record.breathing_space = model::BreathingSpace::MentalHealth;
                    else
                        FAIL("unknown breathing_space '" << value << "'");
                } else {
                    FAIL("unknown vector key '" << key << "'");
                }
            }

            auto const result = rules::compute_limitation(record, today);
            INFO(result.explanation);
            CHECK(rules::to_string(result.status) == header["expect"]);
            if (header["expiry"] == "none")
                CHECK_FALSE(result.expiry.has_value());
            else
                CHECK(result.expiry == date_of(header["expiry"]));
            CHECK_FALSE(result.explanation.empty());

            // The status alone, as eligibility asks for it, must agree and explain nothing.
            auto const quiet = rules::compute_limitation(record, today, rules::Explanation::Omit);
            CHECK(quiet.status == result.status);
            CHECK(quiet.expiry == result.expiry);
            CHECK(quiet.explanation.empty());
        }
    }
}
