// rules/field_checks: the small text checks validation applies to single values.
//
// Owns: what counts as a control character, a printable reference, a plausible UK
// postcode, a UK country name and a plausible email address; the quoting of a value
// inside a rejection reason.
// Must never: allocate on the success path (validation runs for every row of an export
// of millions) or know about records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace dcagw::rules {

// A control character found in a value: its byte offset and a short name for it.
struct ControlCharacter {
    std::size_t offset { 0 };
    unsigned code_point { 0 };
    std::string_view name; // "line feed", "tab", ... or "control character"
};

// Non-zero when some byte of the eight in `word` is below 0x20, equal to 0x7F or at or
// above 0x80. These are the classic SWAR tests (has-less-than, has-zero): a borrow can
// only mark bytes above one that really matches, so the yes/no answer is exact.
inline std::uint64_t non_printable_bytes(std::uint64_t word)
{
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t high_bits = 0x8080808080808080ull;
    std::uint64_t const below_space = (word - ones * 0x20) & ~word;
    std::uint64_t const delete_bytes = word ^ (ones * 0x7F);
    std::uint64_t const is_delete = (delete_bytes - ones) & ~delete_bytes;
    return (below_space | is_delete | word) & high_bits;
}

// True when text is nothing but printable ASCII (0x20-0x7E): then it holds no control
// character and is valid UTF-8, so the slower checks below can be skipped. Inline, eight
// bytes at a time and without a per-byte loop (short values are read as overlapping
// pieces), because validation calls it for every field of every row.
inline bool is_plain_printable_ascii(std::string_view text)
{
    char const* const data = text.data();
    std::size_t const size = text.size();
    std::uint64_t word = 0;
    if (size >= 8) {
        std::uint64_t found = 0;
        for (std::size_t i = 0; i + 8 <= size; i += 8) {
            std::memcpy(&word, data + i, sizeof word);
            found |= non_printable_bytes(word);
        }
        std::memcpy(&word, data + size - 8, sizeof word); // the last eight, overlapping
        return (found | non_printable_bytes(word)) == 0;
    }
    if (size >= 4) {
        std::uint32_t first;
        std::uint32_t last;
        std::memcpy(&first, data, sizeof first);
        std::memcpy(&last, data + size - 4, sizeof last);
        word = first | (std::uint64_t { last } << 32);
    } else if (size > 0) {
        // Bytes 0, size/2 and size-1 cover every byte; the rest is padded with 'a'.
        word = 0x6161616161000000ull | static_cast<unsigned char>(data[0])
            | (std::uint64_t { static_cast<unsigned char>(data[size / 2]) } << 8)
            | (std::uint64_t { static_cast<unsigned char>(data[size - 1]) } << 16);
    } else {
        return true;
    }
    return non_printable_bytes(word) == 0;
}

// The first C0 control (bytes 0x00-0x1F, tab and line breaks included), DEL (0x7F) or
// UTF-8 encoded C1 control (U+0080-U+009F) in text, or nullopt.
std::optional<ControlCharacter> find_control_character(std::string_view text);

// True when text holds only printable ASCII (0x20-0x7E). References are keys into the
// agency's systems and the ledger, where look-alike Unicode would split one account in two.
bool is_printable_ascii(std::string_view text);

// True for empty text and the usual ways of writing the United Kingdom or one of its
// nations ("UK", "GB", "United Kingdom", "Wales", ...), in any letter case.
bool is_uk_country(std::string_view text);

// A UK postcode in shape only (outward code A9, A99, AA9, AA99, A9A or AA9A, then inward
// code 9AA, or GIR 0AA), after removing spaces and upper-casing. Whether the postcode
// exists is not checked: that needs the Royal Mail file, which the gateway does not have.
bool is_plausible_uk_postcode(std::string_view text);

// Exactly one '@', something before it, a domain with a dot that is neither its first nor
// its last character, and no spaces.
bool is_plausible_email(std::string_view text);

// Appends at most `max_bytes` of text (never splitting a UTF-8 sequence) with control
// characters, quotes and backslashes shown as \xNN, then "..." when text was cut.
void append_escaped(std::string& out, std::string_view text, std::size_t max_bytes);

// Appends text quoted for a rejection reason: single quotes, control characters and
// quotes shown as \xNN, and at most 40 bytes followed by "..." so that a huge or binary
// value cannot flood a report.
void append_quoted(std::string& out, std::string_view text);

// Appends a description of a refused value that never holds the value (reasons go into
// the quarantine table, which must not keep case data: docs/ledger.md): its length and
// the kinds of character in it, e.g. "a value of 5 bytes (digits, punctuation)", or "an
// empty value". Enough to find the problem in the export (file, line and field say where).
void append_redacted(std::string& out, std::string_view text);

} // namespace dcagw::rules
