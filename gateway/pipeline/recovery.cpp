#include "gateway/pipeline/place.hpp"

#include "gateway/base/file.hpp"
#include "gateway/store/ledger.hpp"

#include <filesystem>

namespace dcagw::pipeline {

// Callers hold the state directory's run lock (place() does).
// A run that was killed leaves its batches in one of two states (docs/ledger.md):
// - writing: the placements were never committed, so the cases are still unplaced; the
//   temporary file is deleted and the batch abandoned. The next run places the cases.
// - sealed: the placements are committed and the temporary file is complete and synced;
//   publication is finished by linking it to its final name, exactly as the run would have.
base::Result<std::vector<std::string>> recover_interrupted_batches(model::GatewayConfig const& config)
{
    auto ledger = TRY(store::Ledger::open(config.state_directory, store::OpenMode::Create));
    std::vector<std::string> actions;

    auto const writing = TRY(ledger->batches_with_status(store::BatchStatus::Writing));
    for (auto const& batch : writing) {
        std::error_code ignored;
        std::filesystem::remove(batch.temporary_path, ignored);
        TRY(ledger->update_batch(batch.id, store::BatchStatus::Abandoned, 0, 0, ""));
        actions.push_back("discarded unfinished file " + batch.file_name + " of agency " + batch.agency + " (its cases were not placed)");
    }

    auto const sealed = TRY(ledger->batches_with_status(store::BatchStatus::Sealed));
    for (auto const& batch : sealed) {
        bool const final_exists = std::filesystem::exists(batch.final_path);
        if (!final_exists) {
            if (!std::filesystem::exists(batch.temporary_path))
                return base::make_error(base::ErrorCode::StoreCorrupt,
                    "batch " + std::to_string(batch.id) + " (" + batch.file_name + ") is sealed but neither its temporary nor its final file exists");
            TRY(base::publish_file(batch.temporary_path, batch.final_path));
        } else {
            std::error_code ignored;
            std::filesystem::remove(batch.temporary_path, ignored);
        }
        TRY(ledger->update_batch(batch.id, store::BatchStatus::Spooled, batch.record_count, batch.size_bytes, batch.sha256));
        actions.push_back("finished publishing " + batch.file_name + " of agency " + batch.agency);
    }
    // A run killed after its output file was created but before the file's batch row was
    // committed leaves a temporary file no batch names. Every batch is settled by now and
    // the caller holds the run lock, so any temporary file left in the spool is such an
    // orphan (AtomicFile's names: ".<final name>.tmp-<random>").
    std::error_code ignored;
    for (auto const& folder : std::filesystem::directory_iterator(config.state_directory / "spool", ignored)) {
        if (!folder.is_directory(ignored))
            continue;
        for (auto const& file : std::filesystem::directory_iterator(folder.path(), ignored)) {
            auto const name = file.path().filename().string();
            if (name.starts_with(".") && name.find(".tmp-") != std::string::npos && std::filesystem::remove(file.path(), ignored))
                actions.push_back("removed the orphaned temporary file " + file.path().string() + " of a killed run");
        }
    }
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
