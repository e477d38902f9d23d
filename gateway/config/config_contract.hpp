// config/config_contract: the "contract" object of an agency in the configuration: the
// commission bands, fixed fee, VAT rate, direct payments rule, remittance basis and the
// days a payment may wait for its payout (docs/configuration.md, "contract").
//
// Owns: reading and checking those fields into model::AgencyContract: rates as whole
// basis points 0-10000, age bands that do not run backwards, at least one band.
// Must never: compute money (money/ does), or be included outside gateway/config.
#pragma once

#include "gateway/config/mapping_reader_json.hpp"
#include "gateway/model/contract.hpp"

#include <string>

namespace dcagw::config::detail {

model::AgencyContract check_contract(Json const& value, std::string const& path, ProblemSink& sink);

} // namespace dcagw::config::detail
