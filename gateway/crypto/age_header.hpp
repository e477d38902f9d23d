// crypto/age_header: the textual age v1 header, internal to the crypto module.
//
// Owns: the stanza grammar ("-> type args..." plus a base64 body wrapped at 64 columns
// and ended by a short line), the version line, the "--- <mac>" line, and rendering the
// same grammar for encryption.
// Must never: accept a header that is not byte-for-byte canonical (the MAC covers the
// text, so two spellings of one header would be malleable), or look at the payload.
#pragma once

#include "gateway/base/result.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::crypto::age_detail {

inline constexpr std::string_view version_line = "age-encryption.org/v1";

struct Stanza {
    std::string type;
    std::vector<std::string> arguments; // after the type
    std::vector<std::uint8_t> body;
};

struct ParsedHeader {
    std::vector<Stanza> stanzas;
    std::array<std::uint8_t, 32> mac {};
    // The MAC covers text[0, mac_input_size): everything through "---".
    std::size_t mac_input_size { 0 };
};

// Parses a complete header: `text` runs from the version line through the newline after
// the MAC, and its only line starting with "---" is the last. HeaderInvalid on any fault.
base::Result<ParsedHeader> parse_header(std::string_view text);

// Appends "-> type args\n" and the wrapped body lines.
void append_stanza(std::string& out, Stanza const& stanza);

} // namespace dcagw::crypto::age_detail
