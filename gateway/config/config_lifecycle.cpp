// An agency's lifecycle policy (see config_lifecycle.hpp).
#include "gateway/config/config_lifecycle.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace dcagw::config::detail {

namespace {

using model::ConcernAction;
using Member = ConcernAction model::LifecyclePolicy::*;

constexpr std::array<std::pair<std::string_view, Member>, 7> concerns { {
    { "breathing_space", &model::LifecyclePolicy::breathing_space },
    { "mental_health_crisis", &model::LifecyclePolicy::mental_health_crisis },
    { "dispute", &model::LifecyclePolicy::dispute },
    { "complaint", &model::LifecyclePolicy::complaint },
    { "mental_capacity", &model::LifecyclePolicy::mental_capacity },
    { "insolvency", &model::LifecyclePolicy::insolvency },
    { "deceased", &model::LifecyclePolicy::deceased },
} };

constexpr std::array<std::string_view, 7> policy_keys { "breathing_space", "mental_health_crisis", "dispute", "complaint", "mental_capacity", "insolvency",
    "deceased" };

} // namespace

model::LifecyclePolicy check_lifecycle_policy(Json const* value, std::string const& path, model::AgencyConfig const& agency, ProblemSink& sink)
{
    model::LifecyclePolicy policy;
    if (value != nullptr && expect_object(*value, path, sink)) {
        ObjectReader reader(*value, path, sink, policy_keys);
        for (auto const& [key, member] : concerns) {
            auto const action = reader.string(key, Presence::Optional);
            if (!action)
                continue;
            if (*action == "hold")
                policy.*member = ConcernAction::Hold;
            else if (*action == "recall")
                policy.*member = ConcernAction::Recall;
            else
                sink.add(reader.path_of(key), "'" + *action + "' is not an action: hold or recall");
        }
    }
    // A mapping with no message layouts takes no lifecycle messages at all; one that has
    // some but none for `hold` could never tell the agency to pause.
    auto const& layouts = agency.mapping.messages;
    bool const carries_hold = std::any_of(layouts.begin(), layouts.end(), [](model::MessageLayout const& layout) { return layout.carries(model::MessageKind::Hold); });
    if (layouts.empty() || carries_hold)
        return policy;
    for (auto const& [key, member] : concerns)
        if (policy.*member == ConcernAction::Hold)
            sink.add(join_path(path, key), "agency " + agency.id + ": the policy holds on " + std::string(key) + ", but its mapping ("
                + agency.mapping_path.filename().string() + ") has no message layout carrying hold: set \"" + std::string(key) + "\": \"recall\"");
    return policy;
}

} // namespace dcagw::config::detail
