// layouts/return_lines: one checked CSV record of a return file into the typed facts of
// its kind (model::ReturnLine), or the reason it is quarantined.
//
// Owns: the per-kind rules of docs/returns.md ("Canonical return fields"): which fields a
// line needs, the code tables, refund ids derived from payment ids, payout lines versus a
// payout's totals line.
// Must never: put a field's value into a problem, or accept a code not in its table.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/model/return_layout.hpp"
#include "gateway/model/returns.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace dcagw::layouts::detail {

struct LineProblem {
    std::string column; // the agency's column name; empty when the line as a whole is wrong
    std::string reason;
};

// `values` has exactly one value per layout column (the caller checked the count).
std::variant<model::ReturnLine, LineProblem> build_return_line(model::ReturnLayout const& layout,
    std::vector<std::string> const& values, std::uint64_t line_number, base::Date today);

} // namespace dcagw::layouts::detail
