// crypto/base64: strict RFC 4648 base64 (standard alphabet) as the age format uses it.
//
// Owns: encoding and strictly validating decoding, in the unpadded form of age headers and
// the padded form of the ASCII armor.
// Must never: accept a non-canonical encoding (non-zero trailing bits, stray padding,
// whitespace or characters outside the alphabet): two encodings of the same bytes would
// let an attacker change a file's header without changing what it means.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::crypto {

enum class Base64Padding { No, Yes };

// Appends the encoding of bytes to out.
void append_base64(std::string& out, std::span<std::uint8_t const> bytes, Base64Padding padding);
std::string encode_base64(std::span<std::uint8_t const> bytes, Base64Padding padding);

// Decodes text, or nullopt when it is not the one canonical encoding of some bytes.
std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text, Base64Padding padding);

// Decodes into out (which must hold at least decoded_base64_size(text.size()) bytes) and
// returns the number of bytes written, or nullopt; the allocation-free form for hot loops.
std::optional<std::size_t> decode_base64_into(std::string_view text, Base64Padding padding, std::uint8_t* out);

// The largest number of bytes `length` characters can decode to.
constexpr std::size_t decoded_base64_size(std::size_t length) { return length / 4 * 3 + 3; }

// True for the 64 alphabet characters (not '=').
bool is_base64_character(char character);

} // namespace dcagw::crypto
