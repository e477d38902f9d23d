// store/field_list: the field names of a field set as a JSON array of plain strings.
//
// Owns: encoding a list of field names as `["account_ref","balance_pence"]` and a tiny,
// strict parser for exactly that shape, so the store needs no JSON library (nlohmann is
// the config module's) while the column stays readable with sqlite3's json functions.
// Must never: accept anything but an array of strings, or read past its size limits;
// the text comes from our own database, but a damaged file is still outside data.
#pragma once

#include "gateway/base/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace dcagw::store::detail {

inline constexpr std::size_t field_list_max_bytes = 64 * 1024;
inline constexpr std::size_t field_list_max_fields = 1024;

base::Result<std::string> encode_field_list(std::vector<std::string> const& fields);
base::Result<std::vector<std::string>> parse_field_list(std::string_view json);

} // namespace dcagw::store::detail
