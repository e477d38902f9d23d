#include "gateway/crypto/base64.hpp"

#include <array>

namespace dcagw::crypto {

namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0xFF marks characters outside the alphabet; built once at compile time.
constexpr std::array<std::uint8_t, 256> make_decode_table()
{
    std::array<std::uint8_t, 256> table {};
    for (auto& entry : table)
        entry = 0xFF;
    for (std::uint8_t index = 0; index < 64; ++index)
        table[static_cast<unsigned char>(alphabet[index])] = index;
    return table;
}

constexpr auto decode_table = make_decode_table();

} // namespace

bool is_base64_character(char character)
{
    return decode_table[static_cast<unsigned char>(character)] != 0xFF;
}

void append_base64(std::string& out, std::span<std::uint8_t const> bytes, Base64Padding padding)
{
    std::size_t const full_groups = bytes.size() / 3;
    std::size_t const start = out.size();
    out.resize(start + (bytes.size() + 2) / 3 * 4);
    char* cursor = out.data() + start;
    std::uint8_t const* in = bytes.data();
    for (std::size_t group = 0; group < full_groups; ++group, in += 3) {
        std::uint32_t const value = (std::uint32_t(in[0]) << 16) | (std::uint32_t(in[1]) << 8) | in[2];
        *cursor++ = alphabet[(value >> 18) & 63];
        *cursor++ = alphabet[(value >> 12) & 63];
        *cursor++ = alphabet[(value >> 6) & 63];
        *cursor++ = alphabet[value & 63];
    }
    std::size_t const remainder = bytes.size() % 3;
    if (remainder != 0) {
        std::uint32_t value = std::uint32_t(in[0]) << 16;
        if (remainder == 2)
            value |= std::uint32_t(in[1]) << 8;
        *cursor++ = alphabet[(value >> 18) & 63];
        *cursor++ = alphabet[(value >> 12) & 63];
        if (remainder == 2)
            *cursor++ = alphabet[(value >> 6) & 63];
        else
            *cursor++ = '=';
        *cursor++ = '=';
    }
    if (padding == Base64Padding::No) {
        while (out.size() > start && out.back() == '=')
            out.pop_back();
    }
}

std::string encode_base64(std::span<std::uint8_t const> bytes, Base64Padding padding)
{
    std::string out;
    append_base64(out, bytes, padding);
    return out;
}

std::optional<std::size_t> decode_base64_into(std::string_view text, Base64Padding padding, std::uint8_t* out)
{
    if (padding == Base64Padding::Yes) {
        if (text.size() % 4 != 0)
            return std::nullopt;
        // At most two '=' and only at the very end; strip them and decode the rest as
        // unpadded text, which must then have the matching length.
        std::size_t pad_count = 0;
        while (pad_count < 2 && pad_count < text.size() && text[text.size() - 1 - pad_count] == '=')
            ++pad_count;
        text.remove_suffix(pad_count);
        if (pad_count != 0 && text.size() % 4 != 4 - pad_count)
            return std::nullopt;
    }
    std::size_t const tail = text.size() % 4;
    if (tail == 1)
        return std::nullopt;
    std::size_t const full_groups = text.size() / 4;
    std::uint8_t* cursor = out;
    auto const* in = reinterpret_cast<unsigned char const*>(text.data());
    for (std::size_t group = 0; group < full_groups; ++group, in += 4) {
        std::uint8_t const a = decode_table[in[0]], b = decode_table[in[1]], c = decode_table[in[2]], d = decode_table[in[3]];
        if ((a | b | c | d) & 0x80)
            return std::nullopt;
        std::uint32_t const value = (std::uint32_t(a) << 18) | (std::uint32_t(b) << 12) | (std::uint32_t(c) << 6) | d;
        *cursor++ = static_cast<std::uint8_t>(value >> 16);
        *cursor++ = static_cast<std::uint8_t>(value >> 8);
        *cursor++ = static_cast<std::uint8_t>(value);
    }
    if (tail != 0) {
        std::uint8_t const a = decode_table[in[0]], b = decode_table[in[1]];
        std::uint8_t const c = tail == 3 ? decode_table[in[2]] : 0;
        if ((a | b | c) & 0x80)
            return std::nullopt;
        std::uint32_t const value = (std::uint32_t(a) << 18) | (std::uint32_t(b) << 12) | (std::uint32_t(c) << 6);
        // Canonical encodings leave the bits below the last whole byte at zero.
        std::uint32_t const unused_bits_mask = tail == 2 ? 0xFFFF : 0xFF;
        if ((value & unused_bits_mask) != 0)
            return std::nullopt;
        *cursor++ = static_cast<std::uint8_t>(value >> 16);
        if (tail == 3)
            *cursor++ = static_cast<std::uint8_t>(value >> 8);
    }
    return static_cast<std::size_t>(cursor - out);
}

std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text, Base64Padding padding)
{
    std::vector<std::uint8_t> out(decoded_base64_size(text.size()));
    auto const size = decode_base64_into(text, padding, out.data());
    if (!size)
        return std::nullopt;
    out.resize(*size);
    return out;
}

} // namespace dcagw::crypto
