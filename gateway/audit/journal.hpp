// audit/journal: appending entries to the audit log, one function per kind of event.
//
// Owns: the shape of each kind's entry (its fields and their order, docs/audit.md), the
// chaining of a new entry to the log's head, the actor of the process, and the subject
// recorder a placement run feeds one subject at a time.
// Must never: rewrite or delete an entry, or append outside the caller's transaction when
// one is open (an entry commits with the change it records, or not at all).
#pragma once

#include "gateway/audit/entry.hpp"
#include "gateway/base/result.hpp"
#include "gateway/crypto/short_hash.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::store {
class AuditLog;
}

namespace dcagw::audit {

// Who acts, as the entries' `actor` (docs/audit.md): what the caller says ("scheduler"
// when DCAGW_ACTOR says so: any value of DCAGW_ACTOR is taken as given; otherwise
// "operator:<login name>" from LOGNAME or USER, or "operator:uid-<n>"), then, since all of
// that is self-asserted, " (os: <user>)": the process's effective user from the password
// database (os_user()), e.g. "scheduler (os: dcagw)".
std::string current_actor();
// The effective user's name (getpwuid_r(geteuid())), or "uid-<n>" when it has none.
std::string os_user();

// One output file sent (or, later, an update/hold/recall/closure file).
struct Disclosure {
    std::string action { "placement" };  // placement | update | hold | recall | closure
    std::string agency;
    std::string purpose;
    std::string lawful_basis;
    std::string agreement_reference;
    std::string agreement_version;
    std::vector<std::string> fields;      // the exact columns, in file order
    std::int64_t record_count { 0 };
    std::string file_name;
    std::string plaintext_sha256;         // hex
    std::string ciphertext_sha256;        // hex
    std::int64_t ciphertext_bytes { 0 };
    std::string encryption;               // age | openpgp
    std::vector<std::string> recipients;  // age1... strings or the OpenPGP key fingerprint
    std::int64_t subject_list { 0 };      // the list the subjects were recorded under
    std::int64_t subject_count { 0 };
    Hash subject_digest {};
    std::int64_t run { 0 };
};

// Personal data received from an agency (docs/audit.md, "Inbound entries"): one entry per
// trace result, and one per other return file whose lines were matched to placements.
// `fields` are the canonical field names received (never their values); the subjects are
// OUR account_ref and person_ref of the matched placements, with the pseudonym the agency
// quoted.
struct Inbound {
    std::string agency;
    std::string file_name;               // as collected
    std::string sha256;                  // of the file as collected
    std::string return_kind;             // acknowledgement, activity, closure, trace, payment, refund
    std::string layout;                  // the mapping's return layout that read it
    std::string signer;                  // the agency key that signed it, or empty
    std::vector<std::string> fields;     // canonical fields received, in layout order
    std::int64_t record_count { 0 };     // lines matched to the subjects
    std::int64_t line { 0 };             // a trace result's line; 0: the whole file
    std::string detail;                  // a trace: "traced on DATE" / "trace failed on DATE"
    std::int64_t inbound_file { 0 };     // inbound_files.id
    std::int64_t subject_list { 0 };     // from store::AuditLog::next_inbound_list()
    std::int64_t subject_count { 0 };
    Hash subject_digest {};
};

// A file handed to the agency (the transport's receipt).
struct Delivery {
    std::string agency;
    std::string file_name;
    std::string ciphertext_sha256;
    std::string transport;   // e.g. sftp, https
    std::string destination; // remote host and path
    std::string receipt;     // what the remote side confirmed (id, size, hash, ...)
};

// The agency's answer about a file or cases: received, accepted, rejected, or
// deletion_confirmation (the cases' data is deleted: `audit retention` looks for these).
struct Acknowledgement {
    std::string agency;
    std::string file_name;
    std::string acknowledgement;             // received | accepted | rejected | deletion_confirmation
    std::string reference;                   // the agency's own reference, if any
    std::string detail;
    std::vector<std::string> account_refs;   // the cases it concerns, when it names them
};

// A file collected from the agency (returns, payments, ...).
struct Collection {
    std::string agency;
    std::string file_name;
    std::string sha256;
    std::int64_t bytes { 0 };
    std::string source;     // remote host and path
    std::string stored_as;  // where the gateway keeps it
};

// A key a run uses (docs/audit.md, kind `key`). `identity` names the key by public
// material only: a public key, an OpenPGP fingerprint, a pseudonym key's id, an SSH key's
// public fingerprint, a TLS certificate's public key hash.
struct KeyInUse {
    std::string key_type;   // pseudonym, ed25519, openpgp, ssh-private-key, tls-client-key
    std::string identity;
    std::string path;       // as recorded: audit::recorded_key_path (never absolute)
    std::string use;        // what the run uses it for, e.g. "pseudonyms for agency x"
};

class Journal {
public:
    Journal(store::Ledger& ledger, std::string actor);

    // Appends `entry` (its sequence, and its time when empty, are filled in) after the
    // log's head and returns its sequence number.
    base::Result<std::int64_t> append(Entry entry);

    base::Result<std::int64_t> record_disclosure(Disclosure const& disclosure);
    base::Result<std::int64_t> record_inbound(Inbound const& inbound);
    base::Result<std::int64_t> record_delivery(Delivery const& delivery);
    base::Result<std::int64_t> record_acknowledgement(Acknowledgement const& acknowledgement);
    base::Result<std::int64_t> record_collection(Collection const& collection);
    // action: generated | loaded.
    base::Result<std::int64_t> record_key(std::string_view action, std::string_view key_type, std::string_view public_part, std::string_view path);
    base::Result<std::int64_t> record_config(std::string_view config_file, std::string_view sha256, std::string_view previous_sha256);
    base::Result<std::int64_t> record_command(std::string_view command, std::string_view detail);
    // Records the configuration file's hash when it differs from the last one recorded.
    base::Result<std::optional<std::int64_t>> record_config_if_changed(std::filesystem::path const& config_file);
    // Records a key as loaded unless the newest key entry for this path, type and use
    // already names this key: the first run using a key and every change of the
    // key at a path are entries; the runs in between used the key recorded last. (An
    // entry per load would also make every hourly checkpoint news.)
    base::Result<std::optional<std::int64_t>> record_key_if_new(KeyInUse const& key);

    store::Ledger& ledger() { return m_ledger; }
    std::string const& actor() const { return m_actor; }

private:
    store::Ledger& m_ledger;
    std::string m_actor;
};

// Records a placement run's subjects, list by list: each into the audit tables and into
// the running digest the list's disclosure entry will commit to. Used from the ledger's
// writer thread, inside the run's transaction.
class SubjectRecorder {
public:
    static base::Result<std::unique_ptr<SubjectRecorder>> open(store::Ledger& ledger);
    base::Result<void> add(std::int64_t list, std::string_view account_ref, std::string_view person_ref, std::string_view pseudonym);
    // The list's count and digest (an empty list's when nothing was added); forgets it.
    std::pair<std::int64_t, Hash> finish_list(std::int64_t list);
    // Inserts the buffered index rows; before the transaction commits.
    base::Result<void> flush();

private:
    SubjectRecorder(store::AuditLog& log, crypto::ShortHashKey key) : m_log(log), m_key(key) {}
    store::AuditLog& m_log;
    crypto::ShortHashKey m_key;
    std::map<std::int64_t, SubjectDigest> m_lists;
};

} // namespace dcagw::audit
