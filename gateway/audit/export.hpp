// audit/export: a period of the audit log, with the signed checkpoints that cover it, as
// a folder a third party can verify without the database (docs/audit.md, "Export").
//
// Owns: the export file format "dcagw-audit-export-v1" (entries, their subjects,
// checkpoints), its detached signature and public key, and verifying such a folder.
// Must never: export entries no signed checkpoint covers (it signs a fresh checkpoint
// first when needed), or accept an export whose signature, chain or checkpoints fail.
#pragma once

#include "gateway/audit/verify.hpp"
#include "gateway/base/result.hpp"
#include "gateway/crypto/signature.hpp"
#include "gateway/model/config.hpp"
#include "gateway/store/ledger.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace dcagw::audit {

inline constexpr std::string_view export_magic = "dcagw-audit-export-v1";
inline constexpr char const* export_file_name = "audit-export.txt";
inline constexpr char const* export_signature_name = "audit-export.txt.sig";
inline constexpr char const* export_public_key_name = "creditor-signing.pub";

struct ExportSummary {
    std::int64_t first { 0 };  // first entry exported (0: none in the period)
    std::int64_t last { 0 };
    std::int64_t checkpoints { 0 };
    std::int64_t subjects { 0 };
};

// Entries recorded on dates from..to (YYYY-MM-DD, inclusive, UTC) and every entry after
// them up to the first checkpoint that covers the last one.
base::Result<ExportSummary> export_period(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor, std::string_view from,
    std::string_view to, std::filesystem::path const& folder);

// expected_key: when given, the export must be signed by it (otherwise the folder's own
// public key is used and named in the report's notes).
base::Result<VerifyReport> verify_export(std::filesystem::path const& folder, std::optional<crypto::Ed25519PublicKey> const& expected_key);

} // namespace dcagw::audit
