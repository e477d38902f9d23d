// cli/commands: the handlers behind the command table and their shared helpers.
//
// Owns: one function per subcommand; each parses its options, calls one library use
// case and renders the result.
// Must never: hold business rules.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/cli/command.hpp"
#include "gateway/cli/render.hpp"
#include "gateway/model/config.hpp"

namespace dcagw::cli {

base::Result<model::GatewayConfig> load_configuration(Arguments const& arguments);
std::optional<Format> requested_format(Arguments const& arguments, Format fallback);
base::Result<base::Date> requested_date(Arguments const& arguments);

int command_place(Arguments const& arguments);
int command_placements_list(Arguments const& arguments);
int command_quarantine_list(Arguments const& arguments);
int command_runs_list(Arguments const& arguments);
int command_config_check(Arguments const& arguments);
int command_send(Arguments const& arguments);
int command_collect(Arguments const& arguments);
int command_transfers_list(Arguments const& arguments);
int command_transfers_retry(Arguments const& arguments);
int command_agency_test(Arguments const& arguments);
int command_keys_generate(Arguments const& arguments);
int command_encrypt(Arguments const& arguments);
int command_decrypt(Arguments const& arguments);
int command_pgp_encrypt(Arguments const& arguments);
int command_pgp_decrypt(Arguments const& arguments);
int command_sign(Arguments const& arguments);
int command_verify(Arguments const& arguments);
int command_audit_verify(Arguments const& arguments);
int command_audit_checkpoint(Arguments const& arguments);
int command_audit_subject(Arguments const& arguments);
int command_audit_shares(Arguments const& arguments);
int command_audit_export(Arguments const& arguments);
int command_audit_retention(Arguments const& arguments);

} // namespace dcagw::cli
