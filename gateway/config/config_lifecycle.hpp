// config/config_lifecycle: an agency's `lifecycle_policy` (what a breathing space, dispute,
// complaint, mental capacity concern, death or insolvency does to a debt the agency holds:
// hold or recall; docs/lifecycle.md "Policy").
// Owns: reading the policy over its defaults, and refusing a policy that holds for an
// agency whose mapping has message layouts but none that carries `hold` (InDebted
// publishes only recalls, so it must recall), naming the agency and the concern.
// Must never: decide what a debt is owed (lifecycle/ does).
#pragma once

#include "gateway/config/mapping_reader_json.hpp"
#include "gateway/model/config.hpp"

#include <string>

namespace dcagw::config::detail {

// `value` is the agency's `lifecycle_policy` or null (the defaults); `path` its JSON path.
model::LifecyclePolicy check_lifecycle_policy(Json const* value, std::string const& path, model::AgencyConfig const& agency, ProblemSink& sink);

} // namespace dcagw::config::detail
