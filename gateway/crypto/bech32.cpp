#include "gateway/crypto/bech32.hpp"

#include <sodium.h>

#include <array>
#include <cassert>

namespace dcagw::crypto {

namespace {

constexpr char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

std::uint32_t polymod_step(std::uint32_t checksum, std::uint8_t value)
{
    constexpr std::array<std::uint32_t, 5> generator { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 };
    std::uint8_t const top = static_cast<std::uint8_t>(checksum >> 25);
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (std::size_t bit = 0; bit < 5; ++bit) {
        if ((top >> bit) & 1)
            checksum ^= generator[bit];
    }
    return checksum;
}

// The checksum is computed over the lower-case form of the human-readable part.
std::uint32_t polymod(std::string_view lower_hrp, std::span<std::uint8_t const> values)
{
    std::uint32_t checksum = 1;
    for (char const character : lower_hrp)
        checksum = polymod_step(checksum, static_cast<std::uint8_t>(character) >> 5);
    checksum = polymod_step(checksum, 0);
    for (char const character : lower_hrp)
        checksum = polymod_step(checksum, static_cast<std::uint8_t>(character) & 31);
    for (std::uint8_t const value : values)
        checksum = polymod_step(checksum, value);
    return checksum;
}

char to_lower(char character)
{
    return (character >= 'A' && character <= 'Z') ? static_cast<char>(character - 'A' + 'a') : character;
}

char to_upper(char character)
{
    return (character >= 'a' && character <= 'z') ? static_cast<char>(character - 'a' + 'A') : character;
}

int charset_index(char lower_character)
{
    for (int index = 0; index < 32; ++index) {
        if (charset[index] == lower_character)
            return index;
    }
    return -1;
}

} // namespace

std::string encode_bech32(std::string_view human_readable_part, std::span<std::uint8_t const> data, Bech32Case text_case)
{
    assert(!human_readable_part.empty() && human_readable_part.size() <= 83);
    std::string lower_hrp;
    for (char const character : human_readable_part)
        lower_hrp.push_back(to_lower(character));

    // Regroup 8-bit bytes into 5-bit values, padding the last group with zero bits.
    std::vector<std::uint8_t> values;
    values.reserve(data.size() * 8 / 5 + 7);
    std::uint32_t accumulator = 0;
    int bits = 0;
    for (std::uint8_t const byte : data) {
        accumulator = (accumulator << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            values.push_back(static_cast<std::uint8_t>((accumulator >> bits) & 31));
        }
    }
    if (bits > 0)
        values.push_back(static_cast<std::uint8_t>((accumulator << (5 - bits)) & 31));

    std::vector<std::uint8_t> with_checksum;
    with_checksum.reserve(values.size() + 6);
    with_checksum.assign(values.begin(), values.end());
    with_checksum.resize(values.size() + 6, 0);
    std::uint32_t const checksum = polymod(lower_hrp, with_checksum) ^ 1;
    for (std::size_t index = 0; index < 6; ++index)
        with_checksum[values.size() + index] = static_cast<std::uint8_t>((checksum >> (5 * (5 - index))) & 31);

    // The text may be an age identity: sized once so no reallocation leaves a copy.
    std::string text;
    text.reserve(lower_hrp.size() + 1 + with_checksum.size());
    text.append(lower_hrp).push_back('1');
    for (std::uint8_t const value : with_checksum)
        text.push_back(charset[value]);
    sodium_memzero(values.data(), values.size());
    sodium_memzero(with_checksum.data(), with_checksum.size());
    if (text_case == Bech32Case::Upper) {
        for (char& character : text)
            character = to_upper(character);
    }
    return text;
}

std::optional<Bech32Decoded> decode_bech32(std::string_view text)
{
    if (text.size() < 8 || text.size() > bech32_max_length)
        return std::nullopt;
    bool has_lower = false;
    bool has_upper = false;
    for (char const character : text) {
        if (character < 33 || character > 126)
            return std::nullopt;
        has_lower = has_lower || (character >= 'a' && character <= 'z');
        has_upper = has_upper || (character >= 'A' && character <= 'Z');
    }
    if (has_lower && has_upper)
        return std::nullopt;

    std::size_t const separator = text.rfind('1');
    if (separator == std::string_view::npos || separator == 0 || separator + 7 > text.size())
        return std::nullopt;

    std::string lower_hrp;
    for (char const character : text.substr(0, separator))
        lower_hrp.push_back(to_lower(character));

    // The 5-bit values and the payload may be a secret key (an age identity): both are
    // sized once (no reallocation leaving copies behind) and the values wiped after use.
    struct WipeOnExit {
        std::vector<std::uint8_t>& bytes;
        ~WipeOnExit() { sodium_memzero(bytes.data(), bytes.size()); }
    };
    std::vector<std::uint8_t> values;
    values.reserve(text.size() - separator);
    WipeOnExit const wipe_values { values };
    for (char const character : text.substr(separator + 1)) {
        int const index = charset_index(to_lower(character));
        if (index < 0)
            return std::nullopt;
        values.push_back(static_cast<std::uint8_t>(index));
    }
    if (polymod(lower_hrp, values) != 1)
        return std::nullopt;
    values.resize(values.size() - 6);

    // Regroup 5-bit values into bytes; the leftover must be under 5 bits and all zero.
    Bech32Decoded decoded;
    decoded.data.reserve(values.size() * 5 / 8 + 1);
    std::uint32_t accumulator = 0;
    int bits = 0;
    for (std::uint8_t const value : values) {
        accumulator = (accumulator << 5) | value;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            decoded.data.push_back(static_cast<std::uint8_t>((accumulator >> bits) & 0xFF));
        }
    }
    if (bits >= 5 || (accumulator & ((1u << bits) - 1)) != 0) {
        sodium_memzero(decoded.data.data(), decoded.data.size());
        return std::nullopt;
    }
    decoded.human_readable_part = std::string(text.substr(0, separator));
    decoded.text_case = has_upper ? Bech32Case::Upper : Bech32Case::Lower;
    return decoded;
}

} // namespace dcagw::crypto
