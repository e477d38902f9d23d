// config/config_agency: the "agencies" array of the configuration, one agency at a time.
//
// Owns: each agency's id (well-formed and unique), name, mapping (loaded, checked, and
// matched to the agency id), pseudonym key, encryption profile (age recipients given
// inline or in recipient files, an OpenPGP public key, and the checks that the kind and
// the keys agree) and agreement terms; and the syntax of an age recipient, which the
// creditor's archive_recipients share. The transport object is config_transport's.
// Must never: read key material (key files are only checked to exist, secret ones to be
// owner-only), stop at the first problem, or be included outside gateway/config.
#pragma once

#include "gateway/config/mapping_reader_json.hpp"
#include "gateway/model/config.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::config::detail {

// Syntax only: "age1" and 58 characters of the bech32 alphabet (a 32-byte X25519 key plus
// checksum). The checksum itself is verified by the crypto module when the key is used.
bool is_valid_age_recipient(std::string_view text);

// Why `text` is not an age recipient, for a problem's reason.
std::string recipient_problem(std::string_view text);

// Reads the required "agencies" array of `root`. Problems of the configuration go to
// `sink`; those inside a mapping file go to `problems` under that file's name. Relative
// paths are resolved against `folder`, the configuration file's folder.
std::vector<model::AgencyConfig> check_agencies(ObjectReader& root, ProblemSink& sink, std::vector<ConfigProblem>& problems,
    std::filesystem::path const& folder);

} // namespace dcagw::config::detail
