// base/json_string: the one decoder of JSON string literals (RFC 8259 section 7).
//
// Owns: finding where a string literal ends (control characters refused), decoding its
// escapes (\" \\ \/ \b \f \n \r \t and \uXXXX, surrogate pairs joined, lone surrogates
// refused) to UTF-8, optionally refusing raw bytes that are not UTF-8 (overlongs,
// surrogates, past U+10FFFF), a bound on the decoded length, and one wording for each
// problem; and the JSON number grammar beside it (section 6), so the hand-written readers
// also agree on what a number is. Used by every hand-written JSON reader (the JSON Lines case reader, the remote
// listing, the store's field lists), so they agree on what a string is.
// Must never: allocate when the caller gives it the output buffer, read outside the text
// it is given, or know about the documents the strings sit in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dcagw::base {

enum class JsonStringProblem : std::uint8_t {
    None,
    Unterminated, // no closing quote before the end of the text
    ControlCharacter, // a byte below 0x20 that is not escaped
    UnknownEscape, // a backslash before anything but " \ / b f n r t u
    BadUnicodeEscape, // \u without four hexadecimal digits
    LoneLowSurrogate, // \uDC00-\uDFFF not after a high surrogate
    LoneHighSurrogate, // \uD800-\uDBFF not followed by a \u escape
    BadSurrogatePair, // a high surrogate followed by a \u escape that is not a low surrogate
    InvalidUtf8, // raw bytes that are not UTF-8 (only with RawBytes::MustBeUtf8)
    TooLong, // the decoded value is longer than the caller's bound
};

// A short reason for the problem, e.g. "a string contains an unknown escape".
std::string_view describe(JsonStringProblem problem);

// Whether raw (unescaped) bytes inside a string must be UTF-8. Escapes always decode to
// UTF-8; some readers leave the raw bytes to a later, wider check.
enum class RawBytes : std::uint8_t { MustBeUtf8, PassThrough };

// Where a string literal ends. `text` starts just after the opening quote.
struct JsonStringExtent {
    JsonStringProblem problem { JsonStringProblem::None }; // None, Unterminated or ControlCharacter
    std::size_t end { 0 }; // offset of the closing quote, or of the byte with the problem
    bool has_escapes { false };
};
JsonStringExtent find_json_string_end(std::string_view text);

struct JsonStringDecoded {
    JsonStringProblem problem { JsonStringProblem::None };
    std::size_t size { 0 }; // bytes written to the output
    std::size_t offset { 0 }; // where in the body the problem is
};
// Decodes a string's body (the bytes between its quotes, from find_json_string_end) into
// `out`, which must have room for body.size() bytes: a decoded string is never longer.
JsonStringDecoded decode_json_string_body(std::string_view body, char* out, RawBytes raw);

struct JsonStringRead {
    JsonStringProblem problem { JsonStringProblem::None };
    // Bytes taken from `text`, the closing quote included; on a problem, the offset of it.
    std::size_t consumed { 0 };
};
// Both steps into a std::string, for readers that keep their strings: `text` starts just
// after the opening quote; a decoded value past `max_bytes` is TooLong.
JsonStringRead read_json_string(std::string_view text, std::string& value, RawBytes raw, std::size_t max_bytes);

// JSON's insignificant whitespace: space, tab, CR, LF.
inline bool is_json_space(char byte) { return byte == ' ' || byte == '\t' || byte == '\r' || byte == '\n'; }

// The number (RFC 8259 section 6: optional '-', no leading zeros, optional fraction and
// exponent) that starts at `position`: where it ends and whether it is a whole number
// (no fraction or exponent). nullopt when the text there is not a number.
struct JsonNumber {
    std::size_t end { 0 };
    bool integer { true };
};
std::optional<JsonNumber> find_json_number(std::string_view text, std::size_t position);

} // namespace dcagw::base
