// model/config: the gateway's configuration, as loaded and checked.
//
// Owns: GatewayConfig and AgencyConfig, with every path already resolved against the
// configuration file's folder.
// Must never: read files or hold secret key material (only the paths to keys).
#pragma once

#include "gateway/model/contract.hpp"
#include "gateway/model/mapping.hpp"
#include "gateway/model/transport_profile.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dcagw::model {

enum class InputFormat : std::uint8_t { Auto, Csv, JsonLines, Xml };

// Hard limits on every parser of outside data. Defaults suit a council's export; the
// configuration may lower or raise them.
struct InputLimits {
    std::uint64_t max_file_bytes { 8ull << 30 };   // 8 GiB
    std::size_t max_record_bytes { 64 << 10 };     // one CSV record / JSON line / XML element
    std::size_t max_fields { 256 };                // columns, keys or child elements
    std::size_t max_field_bytes { 8 << 10 };
};

enum class EncryptionKind : std::uint8_t { Age, OpenPgp, Both };

struct EncryptionProfile {
    EncryptionKind kind { EncryptionKind::Age };
    std::vector<std::string> age_recipients;                 // age1... strings
    std::vector<std::filesystem::path> age_recipient_files;  // files of age1... lines
    std::optional<std::filesystem::path> pgp_public_key;     // agency's OpenPGP key
    bool pgp_armor { true };
};

// What the agency's return files must be wrapped in before a line of them is read
// (docs/configuration.md, "returns"; docs/returns.md, "The inbound envelope").
enum class ReturnEncryption : std::uint8_t {
    None,     // the transport alone authenticates the agency (a pinned SFTP host, mutual TLS)
    Age,      // age, to the creditor's X25519 identity (age cannot carry a signature)
    OpenPgp,  // OpenPGP, to the creditor's key, normally signed by the agency (sign + encrypt)
};

struct ReturnsProfile {
    ReturnEncryption encryption { ReturnEncryption::OpenPgp };
    // Every file must carry a good OpenPGP signature by one of signature_keys; only with
    // OpenPgp (the signature is verified while decrypting).
    bool require_signature { true };
    std::vector<std::filesystem::path> signature_keys;            // the agency's OpenPGP public keys
    std::optional<std::filesystem::path> decryption_key;          // creditor's secret key (0600): age identity file or OpenPGP secret key
    std::optional<std::filesystem::path> decryption_passphrase_file; // unlocks a protected OpenPGP key (0600)
};

struct AgencyConfig {
    std::string id;
    std::string name;
    bool enabled { true };
    std::filesystem::path mapping_path;
    Mapping mapping;
    std::filesystem::path pseudonym_key_path;
    EncryptionProfile encryption;
    // Data sharing record keeping (audit): shown on every disclosure.
    std::string agreement_reference;
    std::string agreement_version;
    std::string purpose;
    std::string lawful_basis;
    // Days after a case is closed or returned by which the agency must confirm deletion
    // (`dcagw audit retention`); none: not tracked for this agency.
    std::optional<std::int64_t> deletion_confirmation_days;
    // How files reach the agency and returns come back; none: files stay in the spool.
    std::optional<TransportProfile> transport;
    // How the agency's return files are opened; none: no return file of it is read.
    std::optional<ReturnsProfile> returns;
    std::optional<AgencyContract> contract;  // commission and payout terms (returns, money/)
    // Hold or recall per concern (`lifecycle_policy`; lifecycle/changes applies it).
    LifecyclePolicy lifecycle_policy;
};

// The audit log's settings (docs/audit.md).
struct AuditSettings {
    // Each signed checkpoint is also appended here (outside the database), one line each.
    std::optional<std::filesystem::path> checkpoint_file;
    // Spool files and per-subject audit data older than this are purged; none: kept.
    std::optional<std::int64_t> creditor_retention_days;
};

// What `dcagw place` does about debts an agency holds that the export no longer lists
// (docs/lifecycle.md "A debt missing from the export").
struct VanishedSettings {
    // More than this share of the open accounts missing at once refuses the run unless
    // the operator confirms: a truncated export looks exactly like that.
    unsigned max_share_percent { 10 };
};

struct GatewayConfig {
    std::filesystem::path config_file;
    std::filesystem::path state_directory;
    std::optional<std::filesystem::path> input;
    InputFormat input_format { InputFormat::Auto };
    InputLimits limits;
    // The creditor's own archive recipient(s): every file is also encrypted to it, so the
    // creditor can later open exactly what it sent.
    std::vector<std::string> archive_recipients;
    std::optional<std::filesystem::path> signing_key;          // Ed25519, for audit checkpoints and packs
    // Its public half (a `dcagw-ed25519-public-1` file): what `audit verify` checks the
    // checkpoints with, so a command that only reads never opens the secret key.
    std::optional<std::filesystem::path> signing_public_key;
    std::optional<std::filesystem::path> pgp_signing_key;      // OpenPGP secret key that signs PGP files
    std::optional<std::filesystem::path> pgp_passphrase_file;  // unlocks it, when it has a passphrase
    AuditSettings audit;
    VanishedSettings vanished;
    std::vector<AgencyConfig> agencies;

    AgencyConfig const* find_agency(std::string_view id) const;
};

} // namespace dcagw::model
