// crypto/bech32: BIP 173 Bech32 (the original checksum constant 1, not Bech32m), as age
// uses it for "age1..." recipients and "AGE-SECRET-KEY-1..." identities.
//
// Owns: encoding and strict decoding (full checksum validation, no mixed case, zero
// padding bits) of a human-readable part plus bytes.
// Must never: accept a string whose checksum fails or whose case is mixed, or decode
// texts longer than bech32_max_length (age keys are far shorter).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::crypto {

// Generous for X25519 keys (62 and 74 characters) while bounding the work per parse.
inline constexpr std::size_t bech32_max_length = 256;

enum class Bech32Case { Lower, Upper };

struct Bech32Decoded {
    std::string human_readable_part; // as written (its case is the text's case)
    std::vector<std::uint8_t> data;  // the 8-bit payload
    Bech32Case text_case { Bech32Case::Lower };
};

// Encodes hrp + 8-bit data; hrp must be 1..83 printable ASCII characters of one case.
std::string encode_bech32(std::string_view human_readable_part, std::span<std::uint8_t const> data, Bech32Case text_case);

// Decodes a Bech32 string; nullopt on any deviation from the format.
std::optional<Bech32Decoded> decode_bech32(std::string_view text);

} // namespace dcagw::crypto
