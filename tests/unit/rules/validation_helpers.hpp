// Test helpers for validation: run the Validator on a TestRow and look at what it said.
#pragma once

#include "gateway/rules/validation.hpp"
#include "tests/support/test_rows.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace dcagw::test {

using model::CaseField;

inline base::Date const today { 2025, 6, 15 };

struct Outcome {
    bool valid { false };
    model::CaseRecord record;
    std::vector<model::Rejection> rejections;
};

inline Outcome validate(TestRow& row)
{
    Outcome outcome;
    rules::Validator validator(today);
    outcome.valid = validator.validate(row.raw(), outcome.record, outcome.rejections);
    return outcome;
}

// The row must be refused with exactly one rejection, on `field`; returns its reason.
inline std::string single_problem(TestRow& row, CaseField field)
{
    auto const outcome = validate(row);
    CHECK_FALSE(outcome.valid);
    REQUIRE(outcome.rejections.size() == 1);
    CHECK(outcome.rejections[0].field == model::name_of(field));
    return outcome.rejections[0].reason;
}

inline bool contains(std::string const& text, std::string_view part)
{
    return text.find(part) != std::string::npos;
}

} // namespace dcagw::test
