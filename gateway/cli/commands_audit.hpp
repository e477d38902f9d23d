// cli/commands_audit: helpers shared by the `dcagw audit ...` handlers.
//
// Owns: opening the ledger and the checkpoint public key for an audit command, and
// printing a verification report (shared by database and export verification).
// Must never: decide whether the log verifies (audit/verify does); open a secret key for
// a command that only reads (verification uses public keys only).
#pragma once

#include "gateway/audit/queries.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/crypto/signature.hpp"
#include "gateway/model/config.hpp"
#include "gateway/store/ledger.hpp"

#include <memory>
#include <optional>

namespace dcagw::cli {

struct AuditContext {
    model::GatewayConfig config;
    std::unique_ptr<store::Ledger> ledger;
};
// The configuration and the ledger of an audit command. The ledger must exist: every
// audit command reads what is there (none creates a state directory).
base::Result<AuditContext> open_audit(Arguments const& arguments);

// --from DATE and --to DATE (YYYY-MM-DD), both required.
struct Period {
    std::string from;
    std::string to;
};
base::Result<Period> requested_period(Arguments const& arguments);
// --public-key FILE, else the configuration's signing_public_key, else none. A
// configuration with a signing_key but no signing_public_key is refused: the secret key
// is never read to derive its public half.
base::Result<std::optional<crypto::Ed25519PublicKey>> audit_public_key(Arguments const& arguments, model::GatewayConfig const* config);
ExitCode print_verify_report(audit::VerifyReport const& report);
// "time detail" per event, or "not recorded".
std::vector<std::string> event_texts(std::vector<audit::FileEvent> const& events);

Outcome command_audit_verify_export(Arguments const& arguments, std::string const& folder);

} // namespace dcagw::cli
