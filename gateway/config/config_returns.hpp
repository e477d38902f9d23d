// config/config_returns: the "returns" object of one agency (how its return files are
// wrapped: encryption, signature, keys). Internal to the config module.
//
// Owns: the rules that keep the inbound envelope honest: a signature can only be required
// where it can be verified (OpenPGP), the agency's key and the creditor's decryption key
// are named, the decryption key is owner-only, and the older
// transport.returns_require_signature is folded in, never silently ignored.
// Must never: read a key's contents (crypto does, when a file is opened).
#pragma once

#include "gateway/config/mapping_reader_json.hpp"
#include "gateway/model/config.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace dcagw::config::detail {

// Reads agency.returns at `path` (when `value` is non-null) and folds in the transport's
// returns_require_signature. `agency_path` is the agency's JSON path.
std::optional<model::ReturnsProfile> check_returns(Json const* value, std::string const& agency_path,
    std::optional<model::TransportProfile> const& transport, ProblemSink& sink, std::filesystem::path const& folder);

} // namespace dcagw::config::detail
