// lifecycle/changes: what one agency must be told about one debt it already holds, from
// the creditor's latest export row (issue #15, docs/lifecycle.md).
//
// Owns: the concerns an export row raises (breathing space, dispute, complaint, mental
// capacity, insolvency, death), the agency's policy of holding or recalling for each, and
// the changes that follow when the row is compared with what we last told the agency: a
// balance update, a hold, a release or a recall. Also the guard that refuses to act when
// too many open placements vanish from one export at once.
// Must never: read or write the ledger, write or send a file, or close a debt because it
// is missing from an export (a truncated export looks exactly like that).
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/lifecycle_message.hpp"
#include "gateway/model/returns.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace dcagw::lifecycle {

// What we last told one agency about one debt: the balance it holds (the placed balance
// plus every update sent since) and the hold in force, if we sent one and no release.
struct ToldState {
    std::int64_t balance_pence { 0 };
    std::optional<model::ReturnReason> hold;
};

// What the agency's agreement says to do when a concern arrives, per agency from the
// configuration (model/lifecycle_message: config/ reads it, this module applies it).
using Action = model::ConcernAction;
using Policy = model::LifecyclePolicy;

// One message owed, before it is given its references and time (model::LifecycleMessage).
// derive_changes never closes: a close is the operator's decision.
struct Change {
    model::MessageKind kind { model::MessageKind::BalanceUpdate };
    // Hold, Recall: the concern; Release: the hold being lifted.
    std::optional<model::ReturnReason> reason;
    // BalanceUpdate: the signed change (new balance minus the balance told), never zero.
    std::int64_t balance_change_pence { 0 };
    // Hold for a breathing space with a known end: the day it ends (the Ophelos note).
    std::optional<base::Date> until;
};

// The concerns the row raises on `today`, in the order of precedence: a breathing space
// first (the statutory duty, reg 12), then the person's other protections.
std::vector<model::ReturnReason> concerns_of(model::CaseRecord const& record, base::Date today);

// The changes to send, in the order they must be sent: a recall alone; otherwise a hold
// first (a breathing space is the urgent message), then a balance update (an agency on
// hold still holds the true balance), then a release (so the agency resumes on the true
// balance). Refused (RecordInvalid, nothing to send) when the row would take the balance
// the agency holds below zero.
base::Result<std::vector<Change>> derive_changes(ToldState const& told, model::CaseRecord const& record, Policy const& policy, base::Date today);

// What an operator command (`dcagw hold`, `release`, `recall`, `close`) asks for one debt
// at one agency. `told` is null when the agency holds no open placement of the debt.
// Refused (Usage, nothing to send) for a debt never placed there, a release with no hold
// in force, a hold that is already in force for the same reason, a hold or close without
// a reason, or a balance update (the export, not an operator, changes balances).
base::Result<Change> operator_change(ToldState const* told, model::MessageKind kind, std::optional<model::ReturnReason> reason, std::optional<base::Date> until);

// Whether to go on when `vanished` of the `open` accounts (an account with open
// placements, joint debtors counted once) are absent from the export. More than
// `max_share_percent` of them is refused (RecordInvalid) unless the operator
// confirmed the mass change; what vanished is reported, never closed by this module.
enum class MassChange : std::uint8_t { Unconfirmed, Confirmed };
base::Result<void> check_vanished(std::uint64_t open, std::uint64_t vanished, unsigned max_share_percent, MassChange confirmation);

} // namespace dcagw::lifecycle
