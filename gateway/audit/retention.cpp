#include "gateway/audit/retention.hpp"

#include "gateway/audit/entry.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/store/audit_log.hpp"
#include "gateway/store/state_files.hpp"
#include "gateway/store/transfers.hpp"

#include <set>

namespace dcagw::audit {

using base::ErrorCode;
using base::make_error;

base::Result<std::vector<OverdueDeletion>> overdue_deletions(store::Ledger& ledger, model::GatewayConfig const& config, base::Date today)
{
    auto& log = ledger.audit();
    // Confirmations are acknowledgement entries naming the accounts.
    std::set<std::pair<std::string, std::string>> confirmed;
    TRY(log.entries_of_kind("acknowledgement", [&](store::AuditEntryRow const& row) {
        auto entry = decode(row.body);
        if (entry.ok() && entry.value().text("acknowledgement") == "deletion_confirmation")
            for (auto const& account : entry.value().list("account_refs"))
                confirmed.emplace(std::string(row.agency), account);
        return true;
    }));
    std::vector<OverdueDeletion> overdue;
    TRY(log.for_each_ended_placement([&](store::AuditLog::EndedPlacement const& placement) {
        auto const* agency = config.find_agency(placement.agency);
        if (agency == nullptr || !agency->deletion_confirmation_days)
            return;
        if (confirmed.contains({ std::string(placement.agency), std::string(placement.account_ref) }))
            return;
        auto const ended = base::Date::parse(placement.ended_at.substr(0, 10));
        if (!ended)
            return;
        auto const due = ended->plus_days(*agency->deletion_confirmation_days);
        if (!(due < today))
            return;
        overdue.push_back({ std::string(placement.agency), std::string(placement.account_ref), std::string(placement.person_ref),
            std::string(placement.status), std::string(placement.ended_at), due.to_string(), today.to_days() - due.to_days() });
    }));
    return overdue;
}

base::Result<PurgeSummary> purge_expired(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor, base::Date today)
{
    if (!config.audit.creditor_retention_days)
        return make_error(ErrorCode::ConfigInvalid, "purging needs audit.creditor_retention_days in the configuration");
    auto const days = *config.audit.creditor_retention_days;
    // Older than the cutoff day: recorded before its first second.
    auto const cutoff = today.plus_days(-days).to_string() + "T00:00:00Z";
    auto& log = ledger.audit();
    PurgeSummary summary;

    // Subject lists of disclosures made before the cutoff. Lists are batch ids, which grow
    // with time, so "every list up to the newest old one" is exactly the old ones.
    TRY(log.for_each_entry_between("", cutoff, [&](store::AuditEntryRow const& row) {
        // Inbound lists (numbered from store::inbound_subject_list_base) are not purged yet.
        if (row.subject_list && *row.subject_list < store::inbound_subject_list_base)
            summary.subject_lists_through = std::max(summary.subject_lists_through, *row.subject_list);
        return true;
    }));
    // Every file is named by its batch row and reached through store::StateFiles: a row
    // naming anything but its own file in its agency's spool folder stops the purge, with
    // the row named, before anything is deleted or recorded.
    store::StateFiles const state_files(config.state_directory);
    // The file and its row: a batch id, or minus a collected file's id.
    std::vector<std::pair<store::StateFile, std::int64_t>> old_files;
    for (auto const& batch : TRY(ledger.batches_with_status(store::BatchStatus::Spooled))) {
        if (!(batch.created_at < cutoff))
            continue;
        store::LedgerRow const row { "batches", batch.id, "final_path" };
        auto file = TRY(store::parse_ledger_path(batch.final_path, store::StateArea::Spool, batch.agency, row));
        if (file.name != batch.file_name)
            return make_error(ErrorCode::StoreCorrupt, row.describe() + " '" + file.ledger_path() + "' refused: it does not name the batch's file " + batch.file_name);
        if (TRY(state_files.exists(file, row)))
            old_files.emplace_back(std::move(file), batch.id);
    }
    // Collected inbox files past the same retention period, by when they were collected
    // (the creditor's local copies of what agencies returned), under the same checks.
    for (auto const& collected : TRY(store::Transfers(ledger).list_collected(std::nullopt))) {
        if (!(collected.collected_at < cutoff))
            continue;
        store::LedgerRow const row { "collected_files", collected.id, "local_path" };
        auto file = TRY(store::parse_ledger_path(collected.local_path, store::StateArea::Inbox, collected.agency, row));
        if (TRY(state_files.exists(file, row)))
            old_files.emplace_back(std::move(file), -collected.id);
    }
    std::int64_t previous_through = 0;
    TRY(log.last_entry_of_kind("purge", [&](store::AuditEntryRow const& row) {
        if (auto entry = decode(row.body); entry.ok())
            previous_through = entry.value().number("subject_lists_through");
        return false;
    }));
    if (old_files.empty() && summary.subject_lists_through <= previous_through)
        return summary; // nothing due

    // The entry and the subject deletion commit together; the files go after the commit
    // (a crash in between leaves files the next purge removes and records again).
    auto const record_purge = [&]() -> base::Result<std::int64_t> {
        auto const through = std::max(summary.subject_lists_through, previous_through);
        summary.subject_lists_through = through;
        summary.subjects_deleted = TRY(log.purge_subjects_through(through));
        Entry entry;
        entry.kind = EntryKind::Purge;
        entry.add("retention_days", days);
        entry.add("cutoff", cutoff);
        std::vector<std::string> names;
        for (auto const& old : old_files)
            names.push_back(old.first.ledger_path());
        entry.add_list("files", names);
        entry.add("subject_lists_through", through);
        entry.add("subjects_deleted", summary.subjects_deleted);
        return Journal(ledger, actor).append(std::move(entry));
    };
    summary.entry = TRY(ledger.transaction(record_purge));
    for (auto const& [file, row_id] : old_files) {
        auto const removed = state_files.remove(file, row_id > 0 ? store::LedgerRow { "batches", row_id, "final_path" }
                                                                  : store::LedgerRow { "collected_files", -row_id, "local_path" });
        if (removed.ok() && removed.value())
            summary.files.push_back(file.ledger_path());
    }
    return summary;
}

} // namespace dcagw::audit
