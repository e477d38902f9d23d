// audit/retention: the two retention duties (docs/audit.md, "Retention"): agencies must
// confirm deletion of closed and returned cases within their agreed number of days, and
// the creditor purges its own local copies past its retention period.
//
// Owns: finding overdue deletion confirmations (acknowledgement entries of kind
// deletion_confirmation naming the account), and the purge: spool files, collected inbox
// files and per-subject audit data older than audit.creditor_retention_days, recorded as a
// purge entry in the same transaction that deletes the subject rows. Files are reached
// only through store::StateFiles (a row naming a file elsewhere stops the purge).
// Must never: delete an audit entry or a checkpoint (the chain is kept for good), or
// purge without recording it.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/config.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::audit {

struct OverdueDeletion {
    std::string agency;
    std::string account_ref;
    std::string person_ref;
    std::string status;        // closed | returned
    std::string ended_at;      // when the placement was closed or returned (UTC)
    std::string due;           // YYYY-MM-DD the confirmation was due
    std::int64_t days_overdue { 0 };
};

base::Result<std::vector<OverdueDeletion>> overdue_deletions(store::Ledger& ledger, model::GatewayConfig const& config, base::Date today);

struct PurgeSummary {
    std::vector<std::string> files;          // spool and inbox files deleted (relative to the state directory)
    std::int64_t subject_lists_through { 0 };
    std::int64_t subjects_deleted { 0 };
    std::optional<std::int64_t> entry;       // the purge entry (none when nothing was due)
};

// Requires audit.creditor_retention_days.
base::Result<PurgeSummary> purge_expired(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor, base::Date today);

} // namespace dcagw::audit
