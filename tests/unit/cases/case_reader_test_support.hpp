// Shared by the case-reader tests: read a whole in-memory export, record every outcome,
// and check that reading it in tiny chunks gives exactly the same result as one read, so
// records straddling buffer refills take the same path as in a large file.
#pragma once

#include "gateway/cases/case_reader.hpp"

#include <catch2/catch.hpp>

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace dcagw::test {

struct Outcome {
    cases::ReadOutcome kind;
    std::uint64_t line;
    std::map<std::string, std::string> values; // present fields only
    model::Rejection rejection;
};

struct ReadResult {
    std::vector<Outcome> outcomes;
    std::string error; // file-level error text, empty when none
    base::ErrorCode code { base::ErrorCode::Internal };
    std::vector<std::string> warnings;
};

// Every record is read under the display name "cases.csv" (whatever the format).
inline ReadResult read_chunked(std::string_view bytes, model::InputFormat format, model::InputLimits const& limits, std::size_t chunk)
{
    ReadResult result;
    auto opened = cases::open_case_reader_from_memory(bytes, format, limits, "cases.csv", chunk);
    if (opened.is_error()) {
        result.error = opened.error().to_text();
        result.code = opened.error().code();
        return result;
    }
    auto reader = opened.release_value();
    model::RawRecord record;
    model::Rejection rejection;
    for (;;) {
        auto next = reader->next(record, rejection);
        if (next.is_error()) {
            result.error = next.error().to_text();
            result.code = next.error().code();
            break;
        }
        if (next.value() == cases::ReadOutcome::End)
            break;
        Outcome outcome { next.value(), 0, {}, {} };
        if (next.value() == cases::ReadOutcome::Record) {
            outcome.line = record.location.line;
            CHECK(record.location.file == "cases.csv");
            for (auto const& entry : model::field_table())
                if (record.present[model::index_of(entry.field)])
                    outcome.values[std::string(entry.name)] = std::string(record.value(entry.field));
        } else {
            outcome.line = rejection.line;
            outcome.rejection = rejection;
        }
        result.outcomes.push_back(std::move(outcome));
    }
    result.warnings = reader->warnings();
    return result;
}

// Reads in one go, then with each of `chunks` bytes per read, and checks all agree.
inline ReadResult read_all(std::string_view bytes, model::InputFormat format, model::InputLimits const& limits,
    std::initializer_list<std::size_t> chunks)
{
    ReadResult const whole = read_chunked(bytes, format, limits, 0);
    for (std::size_t chunk : chunks) {
        ReadResult const other = read_chunked(bytes, format, limits, chunk);
        REQUIRE(other.error == whole.error);
        REQUIRE(other.outcomes.size() == whole.outcomes.size());
        for (std::size_t i = 0; i < whole.outcomes.size(); ++i) {
            CHECK(other.outcomes[i].kind == whole.outcomes[i].kind);
            CHECK(other.outcomes[i].line == whole.outcomes[i].line);
            CHECK(other.outcomes[i].values == whole.outcomes[i].values);
            CHECK(other.outcomes[i].rejection.reason == whole.outcomes[i].rejection.reason);
        }
        CHECK(other.warnings == whole.warnings);
    }
    return whole;
}

} // namespace dcagw::test
