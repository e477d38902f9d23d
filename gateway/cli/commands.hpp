// cli/commands: the handlers behind the command table and their shared helpers.
//
// Owns: one function per subcommand; each reads its options, calls one library use case
// and renders the result. A handler returns its exit status when it ran to the end and an
// error otherwise; it never prints an error itself (cli/command's run() does).
// Must never: hold business rules.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/cli/command.hpp"
#include "gateway/cli/messages.hpp"
#include "gateway/cli/render.hpp"
#include "gateway/model/config.hpp"

namespace dcagw::cli {

using Outcome = base::Result<ExitCode>;

base::Result<model::GatewayConfig> load_configuration(Arguments const& arguments);
// --as-of DATE, or today (the machine's local date).
base::Result<base::Date> requested_date(Arguments const& arguments);
// --NAME DATE when given; a value that is not a date is a usage error naming the option
// and why ("--from '2026-02-30' is not a date: 2026-02 has 28 days").
base::Result<std::optional<base::Date>> date_option(Arguments const& arguments, std::string_view name);
// --agency ID when given; an id the configuration does not name is a usage error, for
// every command that takes --agency (option_values.cpp).
base::Result<std::optional<std::string>> agency_option(Arguments const& arguments, model::GatewayConfig const& config);
// --status S of `placements list`: one of the ledger's placement statuses.
base::Result<std::optional<std::string>> placement_status_option(Arguments const& arguments);
// The value of a required option, or a usage error "--NAME VALUE is required".
base::Result<std::string> required_value(Arguments const& arguments, std::string_view name, std::string_view value_name);
// A usage error with this message.
base::Error usage_error(std::string message);

// How a list command's table fits (--wide, the output width); `detail_columns` are left
// out first when the table is too wide, the last one first.
TableOptions table_options(Arguments const& arguments, std::vector<std::string> detail_columns);

Outcome command_place(Arguments const& arguments);
Outcome command_messages_write(Arguments const& arguments);
Outcome command_placements_list(Arguments const& arguments);
Outcome command_quarantine_list(Arguments const& arguments);
Outcome command_runs_list(Arguments const& arguments);
Outcome command_config_check(Arguments const& arguments);
Outcome command_send(Arguments const& arguments);
Outcome command_collect(Arguments const& arguments);
Outcome command_transfers_list(Arguments const& arguments);
Outcome command_transfers_retry(Arguments const& arguments);
Outcome command_agency_test(Arguments const& arguments);
Outcome command_keys_generate(Arguments const& arguments);
Outcome command_encrypt(Arguments const& arguments);
Outcome command_decrypt(Arguments const& arguments);
Outcome command_pgp_encrypt(Arguments const& arguments);
Outcome command_pgp_decrypt(Arguments const& arguments);
Outcome command_sign(Arguments const& arguments);
Outcome command_verify(Arguments const& arguments);
Outcome command_audit_verify(Arguments const& arguments);
Outcome command_audit_checkpoint(Arguments const& arguments);
Outcome command_audit_subject(Arguments const& arguments);
Outcome command_audit_shares(Arguments const& arguments);
Outcome command_audit_export(Arguments const& arguments);
Outcome command_audit_retention(Arguments const& arguments);

} // namespace dcagw::cli
