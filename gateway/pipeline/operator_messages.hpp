// pipeline/operator_messages: the operator's lifecycle commands (`dcagw hold`, `release`,
// `recall`, `close`) and the holds' reg 12 evidence (`dcagw holds list`); issue #15 item
// 1(b), docs/lifecycle.md "Operator commands".
//
// Owns: turning one operator request about one account into the messages owed to the
// agencies that hold it (lifecycle::operator_change decides each), checking that the
// agency's mapping can carry what is asked (the kind, an until-date, Force), and recording
// them with the audit `command` entry in one transaction: every message and the entry,
// or nothing. Also which holds are overdue.
// Must never: write or send a file (the messages wait in the ledger for `messages write`),
// or record anything when one of the agencies refuses the request.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/config.hpp"
#include "gateway/model/lifecycle_message.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/lifecycle.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::pipeline {

// Whether a recall says Force (InDebted's column): only when the operator asks.
enum class RecallForce : std::uint8_t { Normal, Forced };

struct OperatorRequest {
    model::MessageKind kind { model::MessageKind::Hold };
    std::string account_ref;
    // One agency; none: every agency holding an open placement of the account.
    std::optional<std::string> agency;
    std::optional<model::ReturnReason> reason;
    std::optional<base::Date> until;   // hold only
    RecallForce force { RecallForce::Normal };
    std::string actor;                 // who asked (required)
    std::string notice_received_at;    // UTC ISO 8601; empty: now
};

// One message recorded for one agency.
struct OperatorMessage {
    std::int64_t id { 0 };
    std::string agency;
    model::MessageKind kind { model::MessageKind::Hold };
    std::optional<model::ReturnReason> reason;
    std::optional<std::string> until;
    bool force { false };
    std::string transaction_ref;
    std::string notice_received_at;
};

struct OperatorOutcome {
    std::string account_ref;
    std::string actor;
    std::vector<OperatorMessage> messages;  // one per agency, in agency order
    std::int64_t audit_entry { 0 };
    std::string to_json() const;
};

// Records the request's messages and its audit entry in one transaction. Refused (Usage,
// nothing recorded) when no agency (or not the one named) holds an open placement of the
// account, when operator_change refuses it at any of them, when a recall or close asked
// for earlier is not confirmed yet, when the agency's mapping has no message layout for
// the kind (or no column for the until-date or Force asked for), or when the notice time
// is not a UTC ISO 8601 timestamp.
base::Result<OperatorOutcome> record_operator_message(store::Ledger& ledger, model::GatewayConfig const& config, OperatorRequest const& request);

// A hold is overdue (reg 12) when its agency was not notified the same day the notice
// was received (a notice of a past day still unsent counts), or when it was notified and
// is not acknowledged within `acknowledgement_business_days` England and Wales business
// days of the day of notification (the bundled bank holidays).
struct OverduePolicy {
    int acknowledgement_business_days { 1 };
};
bool hold_is_overdue(store::HoldRecord const& hold, base::Date today, OverduePolicy const& policy);
// Why, in words ("not notified on the day of the notice"), or empty when not overdue.
std::string overdue_reason(store::HoldRecord const& hold, base::Date today, OverduePolicy const& policy);

} // namespace dcagw::pipeline
