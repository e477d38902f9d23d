#include "gateway/rules/field_checks.hpp"

#include <cctype>

#include <array>

namespace dcagw::rules {

namespace {

bool is_ascii_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool is_ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool equals_ignoring_case(std::string_view left, std::string_view right)
{
    if (left.size() != right.size())
        return false;
    for (std::size_t i = 0; i < left.size(); ++i)
        if (upper(left[i]) != upper(right[i]))
            return false;
    return true;
}

std::string_view control_name(unsigned code)
{
    switch (code) {
    case 0x00: return "NUL";
    case 0x09: return "tab";
    case 0x0A: return "line feed";
    case 0x0D: return "carriage return";
    case 0x1B: return "escape";
    case 0x7F: return "delete";
    default: return "control character";
    }
}

} // namespace

std::optional<ControlCharacter> find_control_character(std::string_view text)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto const byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == 0x7F)
            return ControlCharacter { i, byte, control_name(byte) };
        // C1 controls are encoded as C2 80 .. C2 9F in UTF-8.
        if (byte == 0xC2 && i + 1 < text.size()) {
            auto const next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9F)
                return ControlCharacter { i, next, control_name(next) };
        }
    }
    return std::nullopt;
}

bool is_printable_ascii(std::string_view text)
{
    for (char c : text) {
        auto const byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7E)
            return false;
    }
    return true;
}

bool is_uk_country(std::string_view text)
{
    static constexpr std::array<std::string_view, 12> names {
        "UK", "GB", "GBR", "United Kingdom", "Great Britain", "Britain", "England", "Scotland", "Wales", "Cymru", "Northern Ireland", "U.K.",
    };
    if (text.empty())
        return true;
    for (auto name : names)
        if (equals_ignoring_case(text, name))
            return true;
    return false;
}

bool is_plausible_uk_postcode(std::string_view text)
{
    // Normalised into a fixed buffer: a postcode is at most 7 characters without spaces,
    // so anything longer is refused without allocating.
    std::array<char, 8> code {};
    std::size_t length = 0;
    for (char c : text) {
        if (c == ' ')
            continue;
        if (length == code.size())
            return false;
        code[length++] = upper(c);
    }
    if (length < 5 || length > 7)
        return false;
    std::string_view const normalised(code.data(), length);
    if (normalised == "GIR0AA")
        return true;
    // Inward code: digit, letter, letter.
    std::string_view const inward = normalised.substr(length - 3);
    if (!is_ascii_digit(inward[0]) || !is_ascii_letter(inward[1]) || !is_ascii_letter(inward[2]))
        return false;
    std::string_view const outward = normalised.substr(0, length - 3);
    auto L = [&](std::size_t i) { return is_ascii_letter(outward[i]); };
    auto D = [&](std::size_t i) { return is_ascii_digit(outward[i]); };
    switch (outward.size()) {
    case 2: return L(0) && D(1);                                                  // A9
    case 3: return L(0) && ((D(1) && D(2)) || (L(1) && D(2)) || (D(1) && L(2)));  // A99 AA9 A9A
    case 4: return L(0) && L(1) && D(2) && (D(3) || L(3));                        // AA99 AA9A
    default: return false;
    }
}

bool is_plausible_email(std::string_view text)
{
    auto const at = text.find('@');
    if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos)
        return false;
    if (text.find(' ') != std::string_view::npos)
        return false;
    std::string_view const domain = text.substr(at + 1);
    auto const dot = domain.find('.');
    return dot != std::string_view::npos && domain.front() != '.' && domain.back() != '.';
}

void append_escaped(std::string& out, std::string_view text, std::size_t max_bytes)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::size_t shown = text.size();
    if (shown > max_bytes) {
        shown = max_bytes;
        // Back off to the start of a UTF-8 sequence so the reason stays valid text.
        while (shown > 0 && (static_cast<unsigned char>(text[shown]) & 0xC0) == 0x80)
            --shown;
    }
    for (std::size_t i = 0; i < shown; ++i) {
        auto const byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == 0x7F || byte == '\'' || byte == '\\') {
            out.append("\\x");
            out.push_back(hex[byte >> 4]);
            out.push_back(hex[byte & 0xF]);
        } else {
            out.push_back(text[i]);
        }
    }
    if (shown < text.size())
        out.append("...");
}

void append_quoted(std::string& out, std::string_view text)
{
    out.push_back('\'');
    append_escaped(out, text, 40);
    out.push_back('\'');
}

void append_redacted(std::string& out, std::string_view text)
{
    if (text.empty()) {
        out.append("an empty value");
        return;
    }
    bool upper = false, lower = false, digits = false, spaces = false, punctuation = false, other = false;
    for (char const character : text) {
        auto const byte = static_cast<unsigned char>(character);
        upper = upper || (byte >= 'A' && byte <= 'Z');
        lower = lower || (byte >= 'a' && byte <= 'z');
        digits = digits || (byte >= '0' && byte <= '9');
        spaces = spaces || byte == ' ';
        punctuation = punctuation || (byte > ' ' && byte < 0x7F && !std::isalnum(byte));
        other = other || byte < ' ' || byte >= 0x7F;
    }
    out.append("a value of ").append(std::to_string(text.size())).append(text.size() == 1 ? " byte (" : " bytes (");
    bool first = true;
    auto const kind = [&](bool present, char const* name) {
        if (!present)
            return;
        out.append(first ? "" : ", ").append(name);
        first = false;
    };
    kind(upper, "upper-case letters");
    kind(lower, "lower-case letters");
    kind(digits, "digits");
    kind(spaces, "spaces");
    kind(punctuation, "punctuation");
    kind(other, "control or non-ASCII bytes");
    out.push_back(')');
}

} // namespace dcagw::rules
