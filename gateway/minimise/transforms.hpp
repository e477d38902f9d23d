// minimise/transforms: the in-place text operations behind the mapping transforms.
//
// Owns: date formatting with %Y %m %d %y %%, ASCII case changes including title case,
// truncation and masking by code point. Each works on a string the caller reuses, so a
// row in steady state allocates nothing.
// Must never: read a case record or know which column it serves.
#pragma once

#include "gateway/base/date.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dcagw::minimise {

// True when every '%' in format starts one of %Y %m %d %y %%. The configuration check can
// use it to refuse a mapping with a typo instead of sending a literal "%q" to an agency.
bool is_valid_date_format(std::string_view format);

// Appends date written with format: %Y four-digit year, %m and %d two digits, %y the last
// two digits of the year, %% a percent sign. Any other '%' sequence is copied as it is.
void append_formatted_date(std::string& out, base::Date date, std::string_view format);

// Appends pence as pounds with two decimals, exactly as base::pence_to_pounds writes it
// ("1234" -> "12.34", "-5" -> "-0.05"), but into `out` without a temporary string.
void append_pounds(std::string& out, std::int64_t pence);

// ASCII letters only; other bytes (including UTF-8 sequences) are left as they are.
void upper_in_place(std::string& text);
void lower_in_place(std::string& text);

// The first letter of each word upper case and the rest lower case (ASCII letters only).
// Words are split on space, hyphen and apostrophe: "o'BRIEN-smith" becomes "O'Brien-Smith".
void title_in_place(std::string& text);

// Keeps the first `code_points` code points; never splits a multi-byte sequence.
void truncate_in_place(std::string& text, std::size_t code_points);

// Replaces every code point but the last `keep_last` with mask_char (one mask character
// per code point, whatever its byte length). Text no longer than keep_last is unchanged.
void mask_in_place(std::string& text, std::size_t keep_last, char mask_char);

} // namespace dcagw::minimise
