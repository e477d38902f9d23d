// config/config_transport: the "transport" object of an agency in the configuration.
//
// Owns: reading every field of model::TransportProfile (docs/configuration.md), with
// durations as whole numbers in fields that name their unit, and the checks that stop a
// transport from being configured unsafely (SFTP without a pinned host key, HTTPS
// without https://, secret files readable by others, remote folders that climb out).
// Must never: read a secret (files are only checked to exist and be 0600), or be included
// outside gateway/config.
#pragma once

#include "gateway/config/mapping_reader_json.hpp"
#include "gateway/model/transport_profile.hpp"

#include <filesystem>
#include <string>

namespace dcagw::config::detail {

// A secret file must exist, be a regular file and be readable by its owner only.
void check_secret_file(std::filesystem::path const& path, std::string const& json_path, ProblemSink& sink);

// Reads the transport object at `path`; relative paths are resolved against `folder`.
model::TransportProfile check_transport(Json const& value, std::string const& path, ProblemSink& sink, std::filesystem::path const& folder);

} // namespace dcagw::config::detail
