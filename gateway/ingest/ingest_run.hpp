// ingest/ingest_run: the `dcagw ingest` use case: every collected agency file not yet
// applied, opened by the inbound envelope and applied by ReturnApplier, one file (and one
// transaction) at a time (docs/returns-ledger.md, "dcagw ingest").
//
// Owns: choosing the files (collected, not an acknowledgement, not applied or refused
// before), resolving each through the state directory (never a path read from the ledger
// as it stands), telling a file's refusal (kept, recorded and audited, retried only when
// asked, `retry`:
// undecryptable, unsigned, badly signed, of no declared layout, over the size limit) from
// a problem worth another try (I/O, a key that cannot be loaded: reported, left for the
// next run), the run's summary, and the run's row in the ledger's `runs` (under the
// state directory's run lock, as place, send and collect).
// Must never: apply a line of a refused file, apply a file twice, or post anything.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/result.hpp"
#include "gateway/ingest/return_applier.hpp"
#include "gateway/model/config.hpp"
#include "gateway/store/ledger.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::ingest {

// The file a run is about to apply, for the CLI's progress line.
struct IngestProgress {
    std::string agency;
    std::string file;            // the collected (remote) name
    std::uint64_t size { 0 };    // bytes of the collected file
    std::size_t index { 0 };     // 1-based among this agency's files to apply in this run
    std::size_t count { 0 };
};

struct IngestOptions {
    std::optional<std::string> agency;               // only this agency
    std::optional<std::filesystem::path> file;        // a file that arrived another way (needs agency, or retry)
    // `--retry ID`: read the refused return file ID again (from the inbox, or `file`, which
    // must have its SHA-256). An applied file is refused (Usage); no such file: NotFound.
    std::optional<std::int64_t> retry;
    base::Date today;
    std::string actor;
    // Benchmarks only (`ingest_bench run WORK without-inbound-audit`, the cost measured in
    // docs/performance.md): `dcagw ingest` always records the data received per subject.
    bool record_received { true };
    // Called before each file is opened (may be empty).
    std::function<void(IngestProgress const&)> on_progress;
};

enum class IngestOutcome { Applied, AlreadyApplied, Refused, Problem };
std::string_view to_string(IngestOutcome outcome);

struct IngestedFile {
    std::string agency;
    std::string file_name;
    std::string sha256;
    IngestOutcome outcome { IngestOutcome::Applied };
    std::string kind;            // the return kind, once the layout was chosen
    std::string reason;          // Refused / Problem: why
    FileSummary summary;         // Applied: what the file did
};

struct IngestSummary {
    std::vector<IngestedFile> files;
    std::vector<std::string> warnings;

    std::int64_t count(IngestOutcome outcome) const;
    // Lines quarantined, a payout that does not reconcile, or a file refused: exit 1.
    bool has_rejections() const;
    std::string to_json() const;
};

base::Result<IngestSummary> ingest(store::Ledger& ledger, model::GatewayConfig const& config, IngestOptions const& options);

} // namespace dcagw::ingest
