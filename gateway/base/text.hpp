// base/text: small, allocation-aware string helpers shared by every module.
//
// Owns: escaping for CSV, JSON and XML output, trimming, ASCII case changes, UTF-8
// validation, decimal parsing with overflow checks.
// Must never: know about cases, agencies or any file layout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::base {

std::string_view trim(std::string_view text);
std::string to_upper_ascii(std::string_view text);
std::string to_lower_ascii(std::string_view text);

// True when text is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Number of Unicode code points; assumes valid UTF-8.
std::size_t utf8_length(std::string_view text);
// The first `count` code points of text; never splits a multi-byte sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t count);

// Parses an optionally signed base-10 integer with no other characters; nullopt on
// overflow or junk. Leading '+' is refused: exports never write it and it hides errors.
std::optional<std::int64_t> parse_int64(std::string_view text);

// Appends text to out, quoted per RFC 4180 only when it needs to be (delimiter, quote,
// CR or LF inside, or leading/trailing space).
void append_csv_field(std::string& out, std::string_view text, char delimiter = ',');
// Appends a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);
// Appends text escaped for XML character data and attribute values.
void append_xml_escaped(std::string& out, std::string_view text);

// Splits on a single character; empty pieces are kept.
std::vector<std::string_view> split(std::string_view text, char separator);

// Length-prefixed byte strings (the audit log's encodings, docs/audit.md): the length as
// 4 bytes big-endian, then the bytes. take_length_prefixed reads one from the front of
// `rest` into `piece`; false (and nothing consumed) when the length runs past the end.
void append_length_prefixed(std::string& out, std::string_view piece);
// Inline: audit verification takes some twenty of these per entry, a million entries a
// second.
inline bool take_length_prefixed(std::string_view& rest, std::string_view& piece)
{
    if (rest.size() < 4)
        return false;
    std::size_t length = 0;
    for (std::size_t i = 0; i < 4; ++i)
        length = (length << 8) | static_cast<unsigned char>(rest[i]);
    if (rest.size() - 4 < length)
        return false;
    piece = rest.substr(4, length);
    rest.remove_prefix(4 + length);
    return true;
}

// "1234" pence -> "12.34"; "-5" -> "-0.05".
std::string pence_to_pounds(std::int64_t pence);

} // namespace dcagw::base
