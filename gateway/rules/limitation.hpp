// rules/limitation: the Limitation Act 1980 calculation (docs/limitation.md).
//
// Owns: when a debt becomes statute-barred: six years from the due date; a payment or
// written acknowledgement on or before the current expiry restarts it from that date
// (s29(5)); one after expiry does not revive it (s29(7)); a breathing space, active or
// past, extends it by its length; council tax with a liability order is never barred.
// Must never: guess a missing due date (the result says it cannot be computed).
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/model/case_record.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace dcagw::rules {

enum class LimitationStatus { InTime, StatuteBarred, NeverBarred, Unknown };

struct LimitationResult {
    LimitationStatus status { LimitationStatus::Unknown };
    std::optional<base::Date> expiry;   // the day on and after which the debt is barred
    std::string explanation;            // one sentence for evidence packs and the ledger
};

// Whether to write LimitationResult::explanation. Eligibility runs for every case and
// every agency and only needs the status, so it asks for none and nothing is allocated.
enum class Explanation { Include, Omit };

LimitationResult compute_limitation(model::CaseRecord const& record, base::Date today, Explanation explanation = Explanation::Include);

std::string_view to_string(LimitationStatus status); // "in_time", "statute_barred", ...

} // namespace dcagw::rules
