#include "gateway/pipeline/place.hpp"

#include "gateway/base/file.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/state_files.hpp"

#include <filesystem>

namespace dcagw::pipeline {

namespace {

// A batch's two files as the ledger names them, checked: both in the spool folder of the
// batch's agency, the final one under the batch's file name, the temporary one hidden.
// Anything else is refused with the row named, and nothing is touched.
struct BatchFiles {
    store::StateFile temporary;
    store::StateFile final;
};

base::Result<BatchFiles> files_of(store::Batch const& batch)
{
    store::LedgerRow const temporary_row { "batches", batch.id, "temporary_path" };
    store::LedgerRow const final_row { "batches", batch.id, "final_path" };
    auto temporary = TRY(store::parse_ledger_path(batch.temporary_path, store::StateArea::Spool, batch.agency, temporary_row));
    auto final = TRY(store::parse_ledger_path(batch.final_path, store::StateArea::Spool, batch.agency, final_row));
    if (final.name != batch.file_name)
        return base::make_error(base::ErrorCode::StoreCorrupt, final_row.describe() + " '" + final.ledger_path() + "' refused: it does not name the batch's file " + batch.file_name);
    if (temporary.name.front() != '.')
        return base::make_error(base::ErrorCode::StoreCorrupt, temporary_row.describe() + " '" + temporary.ledger_path() + "' refused: not a temporary (hidden) name");
    return BatchFiles { std::move(temporary), std::move(final) };
}

// A run killed after its output file was created but before the file's batch row was
// committed leaves a temporary file no batch names. Every batch is settled by now and the
// caller holds the run lock, so any temporary file left in the spool is such an orphan
// (AtomicFile's names: ".<final name>.tmp-<random>"). Links are never followed.
void remove_orphans(model::GatewayConfig const& config, store::StateFiles const& files, std::vector<std::string>& actions)
{
    std::error_code ignored;
    auto const spool = config.state_directory / "spool";
    if (std::filesystem::symlink_status(spool, ignored).type() != std::filesystem::file_type::directory)
        return;
    for (auto const& folder : std::filesystem::directory_iterator(spool, ignored)) {
        auto const agency = folder.path().filename().string();
        if (folder.symlink_status(ignored).type() != std::filesystem::file_type::directory || !store::is_safe_component(agency))
            continue;
        for (auto const& entry : std::filesystem::directory_iterator(folder.path(), ignored)) {
            auto const name = entry.path().filename().string();
            if (!name.starts_with(".") || name.find(".tmp-") == std::string::npos || !store::is_safe_component(name))
                continue;
            store::StateFile const orphan { store::StateArea::Spool, agency, name };
            auto const removed = files.remove(orphan, store::LedgerRow { "(no row: an orphan in the spool)", 0, "file" });
            if (removed.ok() && removed.value())
                actions.push_back("removed the orphaned temporary file " + orphan.ledger_path() + " of a killed run");
        }
    }
}

} // namespace

// Callers hold the state directory's run lock (place() does).
// A run that was killed leaves its batches in one of two states (docs/ledger.md):
// - writing: the placements were never committed, so the cases are still unplaced; the
//   temporary file is deleted and the batch abandoned. The next run places the cases.
// - sealed: the placements are committed and the temporary file is complete and synced;
//   publication is finished by linking it to its final name, exactly as the run would have.
// Every file is reached through store::StateFiles: a ledger row naming anything outside
// the batch's spool folder stops recovery with that row named, before anything is touched.
base::Result<std::vector<std::string>> recover_interrupted_batches(model::GatewayConfig const& config)
{
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::Create));
    store::StateFiles const files(config.state_directory);
    std::vector<std::string> actions;

    auto const writing = TRY(ledger->batches_with_status(store::BatchStatus::Writing));
    for (auto const& batch : writing) {
        auto const named = TRY(files_of(batch));
        TRY(files.remove(named.temporary, store::LedgerRow { "batches", batch.id, "temporary_path" }));
        TRY(ledger->update_batch(batch.id, store::BatchStatus::Abandoned, 0, 0, ""));
        actions.push_back("discarded unfinished file " + batch.file_name + " of agency " + batch.agency + " (its cases were not placed)");
    }

    auto const sealed = TRY(ledger->batches_with_status(store::BatchStatus::Sealed));
    for (auto const& batch : sealed) {
        auto const named = TRY(files_of(batch));
        store::LedgerRow const row { "batches", batch.id, "final_path" };
        if (!TRY(files.exists(named.final, row))) {
            if (!TRY(files.exists(named.temporary, row)))
                return base::make_error(base::ErrorCode::StoreCorrupt,
                    "batch " + std::to_string(batch.id) + " (" + batch.file_name + ") is sealed but neither its temporary nor its final file exists");
            TRY(files.publish(named.temporary, named.final, row));
        } else {
            TRY(files.remove(named.temporary, store::LedgerRow { "batches", batch.id, "temporary_path" }));
        }
        TRY(ledger->update_batch(batch.id, store::BatchStatus::Spooled, batch.record_count, batch.size_bytes, batch.sha256));
        actions.push_back("finished publishing " + batch.file_name + " of agency " + batch.agency);
    }
    remove_orphans(config, files, actions);
    // A run still marked running was killed (the caller holds the run lock, so no live run
    // can be); say so in the ledger rather than leave it running forever.
    for (auto const& run : TRY(ledger->list_runs())) {
        if (run.status != "running")
            continue;
        TRY(ledger->finish_run(run.id, "interrupted", "{}"));
        actions.push_back("marked run " + std::to_string(run.id) + " as interrupted");
    }
    return actions;
}

} // namespace dcagw::pipeline
