// config/config_reader: reading and checking the gateway configuration and agency mappings.
//
// Owns: the JSON forms of the configuration (schemas/config.schema.json) and of a mapping
// (schemas/mapping.schema.json), resolution of relative paths against the configuration
// file's folder, and the full list of problems `dcagw config check` prints.
// Must never: read key material (only check that key files exist and are owner-only), or
// stop at the first problem when asked to check.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/config.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace dcagw::config {

struct ConfigProblem {
    std::string file;       // the configuration or mapping file
    std::string json_path;  // e.g. "/agencies/1/mapping" or "/columns/3/transform"
    std::string reason;
};

// "FILE: JSON_PATH: reason"; the path is left out when the problem concerns the file as a
// whole (unreadable, not JSON), where json_path is empty.
std::string to_text(ConfigProblem const& problem);

// The first problem as text, followed by how many more there are and the hint to run
// `dcagw config check`; the message of load_config's and load_mapping's errors.
std::string describe_first_problem(std::vector<ConfigProblem> const& problems);

// Everything wrong with the configuration and the mappings it names (each problem once).
// An empty list means load_config will succeed.
std::vector<ConfigProblem> check_config(std::filesystem::path const& config_file);

// Loads and checks; on any problem returns ConfigInvalid (or MappingInvalid) with the
// first problem's file, path and reason, and a hint to run `dcagw config check`.
base::Result<model::GatewayConfig> load_config(std::filesystem::path const& config_file);

// Loads one mapping file on its own (used by tests and `config check`).
base::Result<model::Mapping> load_mapping(std::filesystem::path const& mapping_file);
std::vector<ConfigProblem> check_mapping(std::filesystem::path const& mapping_file, model::Mapping* out = nullptr);

} // namespace dcagw::config
