// audit/verify: `dcagw audit verify`: recomputing the chain, the subject digests and every
// checkpoint (docs/audit.md, "Verification rules").
//
// Owns: the rules that decide whether the log is intact, the order they are checked in,
// and the wording that names the first bad entry and what is wrong with it.
// Must never: repair, rewrite or skip over what it finds; stop at a problem without
// naming it.
#pragma once

#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/entry.hpp"
#include "gateway/base/result.hpp"
#include "gateway/crypto/signature.hpp"
#include "gateway/store/audit_log.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::audit {

struct VerifyReport {
    std::int64_t entries { 0 };
    std::int64_t subjects { 0 };
    std::int64_t checkpoints { 0 };       // checked (database and file)
    Hash head {};
    std::optional<std::int64_t> first_bad_entry;
    std::vector<std::string> problems;    // in the order found
    std::vector<std::string> notes;       // not failures (e.g. no checkpoint file configured)

    bool ok() const { return problems.empty(); }
};

// A checkpoint to hold the chain against, and where it came from (for messages).
struct CheckpointClaim {
    std::string source;  // "checkpoint file line 3", "database checkpoint 2"
    Checkpoint checkpoint;
};

// Walks entries in order and checks each against the chain and its own columns. Shared by
// the database and the export verification.
class ChainChecker {
public:
    // previous: the hash before first_sequence (the genesis hash for a whole log).
    ChainChecker(Hash previous, std::int64_t first_sequence, std::vector<CheckpointClaim> claims, VerifyReport& report);
    // Returns the entry's disclosure list, if it is a disclosure: (list, count, digest).
    void entry(store::AuditEntryRow const& row);
    void finish();

    struct DisclosureClaim {
        std::int64_t sequence;
        std::int64_t list;
        std::int64_t count;
        std::string digest_hex;
    };
    // Set by entry() for a disclosure; cleared by the caller.
    std::optional<DisclosureClaim> last_disclosure;

    // A purge entry as the walk met it (docs/audit.md, "Verification rules", 6).
    struct PurgeClaim {
        std::int64_t sequence;
        std::int64_t lists_through;
        std::int64_t subjects_deleted;
        bool chain_intact;  // its stored hash is the hash of the real content from entry 1
    };
    // Every purge entry met, in sequence order (a log holds a few).
    std::vector<PurgeClaim> const& purges() const { return m_purges; }
    // The highest entry count at which a checkpoint's signed head matched the chain
    // recomputed from the bodies (first_sequence - 1 when none did): every entry up to it
    // is exactly as signed.
    std::int64_t signed_through() const { return m_last_good_checkpoint; }

private:
    void problem(std::int64_t sequence, std::string what);
    void check_claims_at(std::int64_t count);

    crypto::Sha256 m_hasher;
    Hash m_link;       // the previous entry's stored hash (re-synchronised after a break)
    Hash m_computed;   // the hash of the actual content (never re-synchronised)
    std::int64_t m_next_sequence;
    std::int64_t m_first_sequence;
    std::multimap<std::int64_t, CheckpointClaim> m_claims;
    VerifyReport& m_report;
    std::int64_t m_last_good_checkpoint { 0 };
    std::vector<PurgeClaim> m_purges;
};

struct VerifyOptions {
    std::optional<crypto::Ed25519PublicKey> key;         // checkpoints' signer
    std::optional<std::filesystem::path> checkpoint_file;
};

base::Result<VerifyReport> verify_ledger(store::Ledger& ledger, VerifyOptions const& options);

// The claims of checkpoint lines (file or export) with their signatures checked; bad
// lines become problems of the report.
std::vector<CheckpointClaim> checked_claims(std::vector<CheckpointFileLine> const& lines, std::string const& source,
    std::optional<crypto::Ed25519PublicKey> const& key, VerifyReport& report);

} // namespace dcagw::audit
