// audit/checkpoint: signed statements "the log had N entries and this head" (docs/audit.md).
//
// Owns: the signed message "dcagw-audit-checkpoint-v1 <count> <head hex> <time>", its
// Ed25519 signature with the creditor's signing key, the checkpoint file's line format
// (the message, a space, the base64 signature), appending a line with O_APPEND + fsync,
// reading the file back, and the hourly "is one due" rule.
// Must never: rewrite the checkpoint file (only append), or sign a head it did not read
// from the log inside the same transaction as the checkpoint row.
#pragma once

#include "gateway/audit/entry.hpp"
#include "gateway/base/result.hpp"
#include "gateway/crypto/signature.hpp"
#include "gateway/model/config.hpp"
#include "gateway/store/ledger.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::audit {

inline constexpr std::string_view checkpoint_magic = "dcagw-audit-checkpoint-v1";

struct Checkpoint {
    std::int64_t count { 0 };
    Hash head {};
    std::string time;                        // UTC "YYYY-MM-DDTHH:MM:SSZ"
    std::array<std::uint8_t, 64> signature {};

    // The exact signed bytes: magic, count, head hex and time separated by single spaces.
    std::string message() const;
    // message + " " + base64(signature): one line of the checkpoint file (no newline).
    std::string line() const;
    std::string signature_base64() const;
};

base::Result<Checkpoint> parse_checkpoint_line(std::string_view line);
bool verify_checkpoint(Checkpoint const& checkpoint, crypto::Ed25519PublicKey const& key);
Checkpoint sign_checkpoint(crypto::Ed25519SigningKey const& key, std::int64_t count, Hash const& head, std::string time);

// Every line of a checkpoint file (a missing file is an error; blank lines are skipped).
struct CheckpointFileLine {
    std::size_t line_number { 0 };
    base::Result<Checkpoint> checkpoint;
};
base::Result<std::vector<CheckpointFileLine>> read_checkpoint_file(std::filesystem::path const& path);
base::Result<void> append_checkpoint_line(std::filesystem::path const& path, Checkpoint const& checkpoint);

// The database rows, converted; a row that does not parse comes back as its error.
base::Result<std::vector<std::pair<std::int64_t, base::Result<Checkpoint>>>> stored_checkpoints(store::Ledger& ledger);

// Signs the log's current (count, head): stores it in audit_checkpoints, appends it to
// the checkpoint file when one is given, then appends a `checkpoint` entry recording it.
// Runs in a transaction of its own (the caller must have none open); the file line is
// written only after the database row is committed (a line never names a head the
// database could lose).
base::Result<Checkpoint> write_checkpoint(store::Ledger& ledger, crypto::Ed25519SigningKey const& key,
    std::optional<std::filesystem::path> const& checkpoint_file, std::string const& actor);

// End-of-run checkpoint for place / send / collect: loads the configuration's signing key
// and writes a checkpoint to its checkpoint file. Without a signing key it does nothing and
// returns nothing (`config check` warns; docs/audit.md).
// Loads the configured signing key (config.signing_key must be set) and records it in
// the log, in a transaction of its own, when the log does not name it yet
// (Journal::record_key_if_new).
base::Result<crypto::Ed25519SigningKey> load_signing_key(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor);

base::Result<std::optional<Checkpoint>> checkpoint_run(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor);

// checkpoint_run as a run's summary reports it: the signed line into `line`, or a warning
// saying why there is none (the checkpoint failed, or no signing key is configured). A
// failed checkpoint never undoes the run: the files have moved, and the next run's
// checkpoint covers these entries too.
void checkpoint_at_end_of_run(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor,
    std::optional<std::string>& line, std::vector<std::string>& warnings);

// For long runs: a checkpoint when the newest is older than `interval` and entries were
// appended since (other than the checkpoint entry itself).
base::Result<std::optional<Checkpoint>> checkpoint_if_due(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor,
    std::chrono::seconds interval = std::chrono::hours(1));

} // namespace dcagw::audit
