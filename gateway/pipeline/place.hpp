// pipeline/place: the placement use case, from a case export to spooled agency files.
//
// Owns: the order of a placement run and its crash safety: recover interrupted batches,
// find duplicates (first pass), then in one streaming pass validate each row, decide per
// agency (ledger checks, eligibility), minimise, write each agency's file through its
// encryption into the spool, and record placements, exclusions and quarantine in one
// ledger transaction that commits before any file is published.
// Must never: write plaintext case data anywhere except a dry run's output folder (mode
// 0600), place a case with two agencies, or place the same case twice.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/result.hpp"
#include "gateway/lifecycle/changes.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/config.hpp"
#include "gateway/model/exclusion.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::pipeline {

enum class RunMode { Real, DryRun };

// How far a run has got, for a progress display (the CLI draws it on a terminal).
struct PlaceProgress {
    enum class Phase { Checking, Placing };   // the first pass (duplicates), the second
    Phase phase { Phase::Checking };
    std::int64_t rows_done { 0 };
    std::int64_t rows_total { 0 };            // 0 while unknown (the first pass counts them)
    bool finished { false };                  // the phase's last report
};

struct PlaceOptions {
    std::optional<std::filesystem::path> input;     // overrides the configuration's input
    std::optional<std::string> agency;              // only this agency
    RunMode mode { RunMode::Real };
    std::optional<std::filesystem::path> dry_run_folder;
    base::Date today;
    // Who ran it, for the audit log: "scheduler" or "operator:<user>" (audit::current_actor).
    std::string actor { "operator" };
    // Confirmed: the operator knows that more than the configured share of the open
    // accounts is missing from this export (docs/lifecycle.md "A debt missing from the export").
    lifecycle::MassChange mass_change { lifecycle::MassChange::Unconfirmed };
    // Benchmarks only (bench/place_bench): the audit log is always written by `dcagw place`.
    bool record_audit { true };
    // Called on the calling thread every few thousand rows and at the end of each pass;
    // it must be quick (the CLI only redraws a line a few times a second).
    std::function<void(PlaceProgress const&)> on_progress;
};

struct AgencyOutcome {
    std::string agency;
    std::int64_t placed { 0 };
    std::int64_t rejected_by_mapping { 0 };   // rows the mapping could not render (quarantined)
    // Lifecycle messages owed to the agency about debts it already holds (issue #15), by
    // model::MessageKind: recorded in the run's transaction, written into files later.
    std::array<std::int64_t, 5> messages_owed {};
    std::array<std::int64_t, model::exclusion_reason_count> excluded {};
    std::vector<std::filesystem::path> files;  // spooled ciphertext, or dry-run plaintext
    std::vector<std::string> fields;           // output column names: what was shared
};

struct PlaceSummary {
    std::int64_t run { 0 };                    // 0 for a dry run
    std::string input_file;
    std::int64_t rows_read { 0 };
    std::int64_t rows_valid { 0 };
    std::int64_t rows_rejected { 0 };          // rows with at least one problem
    std::int64_t problems { 0 };               // quarantine entries written
    // The vanished-debt guard: accounts some agency held open when the run began, and how
    // many of them this export lists on a valid row. The rest vanished: reported, never
    // closed by a run.
    std::int64_t open_accounts { 0 };
    std::int64_t open_accounts_listed { 0 };
    std::vector<AgencyOutcome> agencies;
    std::vector<std::string> warnings;
    std::vector<std::string> recovered;        // batches finished or discarded at start
    std::optional<std::string> checkpoint;     // the audit checkpoint line signed at the end
    std::vector<model::Rejection> rejections;  // the first 50 quarantined problems, for display

    bool has_rejections() const;
    // schemas/place-summary.schema.json: the counts and everything the text summary prints
    // (rejections, recovered, warnings, audit_checkpoint). The copy stored with the run is
    // written before the checkpoint is signed, so its audit_checkpoint is empty.
    std::string to_json() const;
};

base::Result<PlaceSummary> place(model::GatewayConfig const& config, PlaceOptions const& options);

// Finishes or discards output files that a killed run left behind (see docs/ledger.md)
// and marks such runs interrupted; place() calls it first, holding the state directory's
// run lock. Returns one line per thing it did.
base::Result<std::vector<std::string>> recover_interrupted_batches(model::GatewayConfig const& config);

} // namespace dcagw::pipeline
