// cli/commands_audit: helpers shared by the `dcagw audit ...` handlers.
//
// Owns: opening the ledger and the checkpoint public key for an audit command, and
// printing a verification report (shared by database and export verification).
// Must never: decide whether the log verifies (audit/verify does).
#pragma once

#include "gateway/audit/queries.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/cli/command.hpp"
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
// The configuration and the ledger of an audit command; on failure it has reported the
// problem and `exit_code` says what to return.
std::optional<AuditContext> open_audit(Arguments const& arguments, int& exit_code);

// --from DATE and --to DATE (YYYY-MM-DD), both required; prints the usage error when not.
struct Period {
    std::string from;
    std::string to;
};
std::optional<Period> requested_period(Arguments const& arguments);
// --public-key FILE, else the public half of the configuration's signing key, else none.
base::Result<std::optional<crypto::Ed25519PublicKey>> audit_public_key(Arguments const& arguments, model::GatewayConfig const* config);
int print_verify_report(audit::VerifyReport const& report);
// "time detail" per event, or "not recorded".
std::vector<std::string> event_texts(std::vector<audit::FileEvent> const& events);

int command_audit_verify_export(Arguments const& arguments, std::string const& folder);

} // namespace dcagw::cli
