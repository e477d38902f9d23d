// store/transfers: the outbox (one delivery per spooled file) and the record of files
// collected from agencies, in the ledger's database.
//
// Owns: the transfers and collected_files tables (migrations 2, 4 and 5), the transfer state
// machine queued -> sending -> delivered | failed, and durability: every state change is
// its own transaction committed with synchronous = FULL before the caller goes on to the
// side effect it announces (or reports the one it observed).
// Must never: decide about retries or talk to a server (that is the exchange's job), or
// store file contents or credentials: names, sizes, hashes, times and reasons only.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::store {

// queued: waiting to be sent. sending: an attempt was announced and may have reached the
// server (recovery checks the remote side before sending again). delivered: the file is
// under its final name remotely. failed: the last attempt failed; `permanent` says
// whether a later run retries it by itself (transient) or waits for an operator
// (`dcagw transfers retry`).
enum class TransferStatus { Queued, Sending, Delivered, Failed };
std::string_view to_string(TransferStatus status);
std::optional<TransferStatus> transfer_status_from_string(std::string_view text);

struct Transfer {
    std::int64_t id { 0 };
    std::int64_t batch { 0 };
    std::string agency;
    std::string file_name;       // the batch's final name: also the remote final name
    std::string local_path;      // the spooled ciphertext
    std::int64_t size_bytes { 0 };
    std::string sha256;          // of the spooled file, from its batch
    TransferStatus status { TransferStatus::Queued };
    std::int64_t attempts { 0 };
    std::string remote_name;     // empty until delivered
    std::int64_t remote_size { 0 };
    std::string delivered_at;
    std::string failure_reason;  // the error code's name, e.g. "authentication failed"
    std::string last_error;      // the error's text (never a credential)
    bool permanent { false };
    std::string acknowledgement_file;
    std::string acknowledged_at;
    std::string queued_at;
    std::string last_attempt_at;
    std::string updated_at;
    // The current attempt reached the remote rename (recorded just before it): with
    // neither the final nor the temporary file on the server, the rename happened and the
    // agency has taken the file.
    bool rename_reached { false };
};

// What happened to a collected file on the agency's side after collection.
enum class Disposal { Pending, Archived, Deleted, Left };
std::string_view to_string(Disposal disposal);
std::optional<Disposal> disposal_from_string(std::string_view text);

struct CollectedFile {
    std::int64_t id { 0 };
    std::string agency;
    std::string remote_name;
    std::int64_t size_bytes { 0 };
    std::string sha256;
    std::string local_path;
    std::string collected_at;
    Disposal disposal { Disposal::Pending };
    std::int64_t acknowledges { 0 };  // the transfer this file acknowledges, or 0
    // An earlier collected file of the same name but other content, or 0: the agency
    // reused a name (flagged in the collect summary; both are kept).
    std::int64_t same_name_as { 0 };
};

class Transfers {
public:
    // Shares the ledger's connection; the ledger must outlive this object.
    explicit Transfers(Ledger& ledger) : m_ledger(ledger) {}

    // Queues every spooled batch of the agency that has no transfer yet, in batch order;
    // returns how many were queued. Idempotent.
    base::Result<std::int64_t> enqueue_spooled(std::string_view agency);
    // What a send run works on: queued, sending, and failed-but-transient transfers.
    base::Result<std::vector<Transfer>> pending(std::string_view agency);
    base::Result<std::optional<Transfer>> find(std::int64_t id);
    // Every transfer (of one agency), oldest first.
    base::Result<std::vector<Transfer>> list(std::optional<std::string> const& agency);

    // queued | failed(transient) | sending -> sending; counts the attempt.
    base::Result<void> mark_sending(std::int64_t id);
    // sending: the upload is complete and checked and the remote rename comes next.
    // Cleared by the next mark_sending (a new attempt).
    base::Result<void> mark_rename_reached(std::int64_t id);
    // The temporary upload of an attempt that reached the rename is still on the server, so
    // the rename did not happen. Recorded before that upload is removed: otherwise a crash
    // right after the removal would leave "reached, and nothing on the server", which
    // reads as "taken by the agency" and the file would never be sent.
    base::Result<void> clear_rename_reached(std::int64_t id);
    // sending | failed(transient) -> delivered, with what the server holds (a failed
    // attempt may have reached the server: recovery finds the file there).
    base::Result<void> mark_delivered(std::int64_t id, std::string_view remote_name, std::int64_t remote_size);
    // sending | queued -> failed.
    base::Result<void> mark_failed(std::int64_t id, std::string_view reason, std::string_view error_text, bool permanent);
    // The agency's server could not be reached (or refused the gateway): every pending
    // transfer of the agency (queued, sending, failed-transient) keeps its status and
    // says why in failure_reason / last_error, so `transfers list` shows it.
    base::Result<void> note_unreachable(std::string_view agency, std::string_view reason, std::string_view error_text);
    // failed -> queued, attempts reset: the operator's `dcagw transfers retry`.
    base::Result<void> requeue(std::int64_t id);
    // A delivered transfer whose acknowledgement file has been collected.
    base::Result<void> mark_acknowledged(std::int64_t id, std::string_view acknowledgement_file);
    // The delivered transfer of this agency whose remote name is `remote_name`.
    base::Result<std::optional<Transfer>> find_delivered(std::string_view agency, std::string_view remote_name);

    // Collection.
    // The file of this name and content (SHA-256) collected from the agency before, if
    // any: collection decides by content, after downloading and hashing.
    base::Result<std::optional<CollectedFile>> find_collected(std::string_view agency, std::string_view remote_name, std::string_view sha256);
    // The newest file of this name collected from the agency, whatever its content.
    base::Result<std::optional<CollectedFile>> find_collected_named(std::string_view agency, std::string_view remote_name);
    // Records a collected file; returns its id, or nothing when the same (agency, name,
    // size, sha256) was recorded before.
    base::Result<std::optional<std::int64_t>> record_collected(CollectedFile const& file);
    base::Result<void> mark_disposed(std::int64_t collected_id, Disposal disposal);
    base::Result<void> set_acknowledges(std::int64_t collected_id, std::int64_t transfer_id);
    base::Result<std::vector<CollectedFile>> list_collected(std::optional<std::string> const& agency);

private:
    Ledger& m_ledger;
};

} // namespace dcagw::store
