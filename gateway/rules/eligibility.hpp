// rules/eligibility: whether a valid case may be placed with one agency.
//
// Owns: the exclusions that depend only on the case and the agency's mapping: debt types,
// balance limits, credit or zero balance, breathing space (either kind, active), deceased,
// insolvency, dispute, complaint, mental capacity concern, vulnerability policy,
// statute-barred or limitation unknown.
// Must never: consult the ledger (already placed / placed elsewhere are the pipeline's
// checks against the store) or change the record.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/exclusion.hpp"
#include "gateway/model/mapping.hpp"

#include <optional>

namespace dcagw::rules {

// True when a breathing space (either kind) is in force on `today`.
bool breathing_space_active(model::CaseRecord const& record, base::Date today);

// The first reason the case must not be placed with this agency, in a fixed order
// (protections for the person first, then the agency's own preferences), or nullopt.
std::optional<model::ExclusionReason> exclusion_for(model::CaseRecord const& record, model::Eligibility const& eligibility, base::Date today);

} // namespace dcagw::rules
