// config/mapping_reader: checking an agency mapping (mappings/*.json) and turning it into a
// model::Mapping. Internal to the config module; the public entry points are check_mapping
// and load_mapping in config_reader.hpp.
//
// Owns: every rule a mapping must satisfy before it may drive a disclosure: known
// transforms and source fields, the never-shared fields, internal references only through
// the pseudonym transform, date formats, file name patterns, XML names, eligibility.
// Must never: accept a mapping that could send vulnerability_notes or notes, or stop at the
// first problem.
#pragma once

#include "gateway/config/config_reader.hpp"
#include "gateway/model/mapping.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace dcagw::config::detail {

class ObjectReader;

// Checks the text of a mapping file named `file`, filling `mapping` with whatever could be
// read and appending every problem found.
void check_mapping_text(std::string_view text, std::string const& file, model::Mapping& mapping, std::vector<ConfigProblem>& problems);

// Reads and checks the "columns" array (mapping_reader_columns.cpp).
void read_columns(ObjectReader& root, model::OutputFormat format, model::Mapping& mapping);

// Reads and checks the optional "returns" array (mapping_reader_returns.cpp).
void read_returns(ObjectReader& root, model::Mapping& mapping);
// Reads and checks the optional "messages" array (mapping_reader_messages.cpp).
void read_messages(ObjectReader& root, model::Mapping& mapping);
// Reads and checks one return layout's code tables (mapping_reader_return_tables.cpp).
void read_return_tables(ObjectReader& reader, model::ReturnLayout& layout);

// Every name of an enum that is listed from 0 to `last`, for "did you mean".
template<typename Enum>
inline
std::vector<std::string_view> names_up_to(Enum last)
{
    std::vector<std::string_view> names;
    for (int value = 0; value <= static_cast<int>(last); ++value)
        names.push_back(model::to_string(static_cast<Enum>(value)));
    return names;
}


// ^[a-z0-9][a-z0-9-]{0,39}$: agency ids appear in file names, folder names and the audit log.
bool is_valid_agency_id(std::string_view id);

// The date_format tokens minimise implements: %Y %m %d %y %%. Returns the problem or empty.
std::string check_date_format(std::string_view format);

// A remote folder relative to the transport's root: no leading or trailing '/', no empty,
// '.' or '..' part, only letters, digits, '.', '_', '-'. Returns the problem or empty.
std::string check_remote_folder(std::string_view folder);

// The file name pattern rules; returns the problem or empty. Lifecycle message files
// (InDebted names them YYYY-MM-DD-hh-mm-ss.csv) may also use {iso_date} and {time}.
enum class NameTokens { Placement, Message };
std::string check_file_name_pattern(std::string_view pattern, NameTokens tokens = NameTokens::Placement);

} // namespace dcagw::config::detail
