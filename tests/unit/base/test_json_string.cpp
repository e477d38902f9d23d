// The one JSON string decoder (base/json_string): vectors for every escape, surrogate
// pairs, each problem, raw UTF-8 checking and the length bound.
#include "gateway/base/json_string.hpp"
#include "gateway/base/text.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using base::JsonStringProblem;
using base::RawBytes;

namespace {

// Reads `text` (which starts after the opening quote); the value on success.
base::JsonStringRead read(std::string_view text, std::string& value, RawBytes raw = RawBytes::MustBeUtf8, std::size_t max = 1024)
{
    return base::read_json_string(text, value, raw, max);
}

} // namespace

TEST_CASE("json strings: every escape decodes", "[base][json_string]")
{
    struct Vector {
        std::string_view literal;
        std::string_view decoded;
    };
    for (auto const& [literal, decoded] : std::initializer_list<Vector> {
             { R"(plain")", "plain" },
             { R"(")", "" },
             { R"(\"\\\/\b\f\n\r\t")", "\"\\/\b\f\n\r\t" },
             { R"(\u0041\u00e9\u00E9")", "A\xC3\xA9\xC3\xA9" },
             { R"(\u0000")", std::string_view("\0", 1) },
             { R"(\u007f\u0080\u07ff\u0800\uffff")", "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF" },
             { R"(\ud83d\ude00")", "\xF0\x9F\x98\x80" },
             { R"(\uD800\uDC00\uDBFF\uDFFF")", "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF" },
             { "Ll\xC5\xB7r \xE2\x82\xAC\"", "Ll\xC5\xB7r \xE2\x82\xAC" },
         }) {
        INFO(literal);
        std::string value;
        auto const result = read(literal, value);
        CHECK(result.problem == JsonStringProblem::None);
        CHECK(result.consumed == literal.size());
        CHECK(value == decoded);
    }
}

TEST_CASE("json strings: reading stops at the closing quote", "[base][json_string]")
{
    std::string value;
    auto const result = read(R"(a\"b", "next")", value);
    REQUIRE(result.problem == JsonStringProblem::None);
    CHECK(value == "a\"b");
    CHECK(result.consumed == 5);
}

TEST_CASE("json strings: each problem is named, with where it is", "[base][json_string]")
{
    struct Vector {
        std::string_view literal;
        JsonStringProblem problem;
        std::size_t offset;
    };
    for (auto const& [literal, problem, offset] : std::initializer_list<Vector> {
             { "abc", JsonStringProblem::Unterminated, 3 },
             { R"(abc\")", JsonStringProblem::Unterminated, 5 },
             { R"(abc\)", JsonStringProblem::Unterminated, 4 },
             { "a\nb\"", JsonStringProblem::ControlCharacter, 1 },
             { "a\x1F\"", JsonStringProblem::ControlCharacter, 1 },
             { R"(ab\x")", JsonStringProblem::UnknownEscape, 2 },
             { R"(\U0041")", JsonStringProblem::UnknownEscape, 0 },
             { R"(\u12")", JsonStringProblem::BadUnicodeEscape, 0 },
             { R"(\u12g4")", JsonStringProblem::BadUnicodeEscape, 0 },
             { R"(x\udc00")", JsonStringProblem::LoneLowSurrogate, 1 },
             { R"(\ud800")", JsonStringProblem::LoneHighSurrogate, 0 },
             { R"(\ud800x")", JsonStringProblem::LoneHighSurrogate, 0 },
             { R"(\ud800\n")", JsonStringProblem::LoneHighSurrogate, 0 },
             { R"(\ud800\u0041")", JsonStringProblem::BadSurrogatePair, 0 },
             { R"(\ud800\ud800")", JsonStringProblem::BadSurrogatePair, 0 },
             { R"(\ud800\u00")", JsonStringProblem::BadUnicodeEscape, 0 },
         }) {
        INFO(literal);
        std::string value;
        auto const result = read(literal, value);
        CHECK(result.problem == problem);
        CHECK(result.consumed == offset);
        CHECK_FALSE(base::describe(problem).empty());
    }
}

TEST_CASE("json strings: raw bytes must be UTF-8 unless the reader checks them itself", "[base][json_string]")
{
    for (std::string_view const bad : {
             "\xFF\"", // never a UTF-8 byte
             "\xC0\xAF\"", // overlong '/'
             "\xE0\x80\xAF\"", // overlong, three bytes
             "\xED\xA0\x80\"", // an encoded surrogate
             "\xF4\x90\x80\x80\"", // past U+10FFFF
             "\xC3\"", // cut short
             "\xC3\\n\"", // cut short by an escape
         }) {
        INFO(bad);
        std::string value;
        CHECK(read(bad, value).problem == JsonStringProblem::InvalidUtf8);
        auto const passed = read(bad, value, RawBytes::PassThrough);
        CHECK(passed.problem == JsonStringProblem::None);
        CHECK(passed.consumed == bad.size());
    }
}

TEST_CASE("json strings: the decoded length is bounded", "[base][json_string]")
{
    std::string value;
    CHECK(read("abcd\"", value, RawBytes::MustBeUtf8, 4).problem == JsonStringProblem::None);
    CHECK(read("abcde\"", value, RawBytes::MustBeUtf8, 4).problem == JsonStringProblem::TooLong);
    // The bound is on what the string decodes to: six bytes of escape are one byte.
    CHECK(read(R"(\u0041\u0042\u0043\u0044")", value, RawBytes::MustBeUtf8, 4).problem == JsonStringProblem::None);
    CHECK(value == "ABCD");
}

TEST_CASE("json strings: the two steps, for readers that keep views", "[base][json_string]")
{
    auto const plain = base::find_json_string_end(R"(no escapes", 1)");
    CHECK(plain.problem == JsonStringProblem::None);
    CHECK(plain.end == 10);
    CHECK_FALSE(plain.has_escapes);

    std::string_view const text = R"(a\tb\u00e9")";
    auto const escaped = base::find_json_string_end(text);
    REQUIRE(escaped.problem == JsonStringProblem::None);
    CHECK(escaped.has_escapes);
    std::string_view const body = text.substr(0, escaped.end);
    std::string out(body.size(), '\0');
    auto const decoded = base::decode_json_string_body(body, out.data(), RawBytes::MustBeUtf8);
    CHECK(decoded.problem == JsonStringProblem::None);
    CHECK(out.substr(0, decoded.size) == "a\tb\xC3\xA9");
}

TEST_CASE("json strings: what append_json_string writes reads back", "[base][json_string]")
{
    std::string all_bytes;
    for (int byte = 0; byte < 0x80; ++byte)
        all_bytes.push_back(static_cast<char>(byte));
    for (std::string_view const text : { std::string_view(all_bytes), std::string_view("\xC2\xA3 \xF0\x9F\x98\x80 \xE2\x80\xA8") }) {
        std::string literal;
        base::append_json_string(literal, text);
        std::string value;
        auto const result = read(std::string_view(literal).substr(1), value);
        CHECK(result.problem == JsonStringProblem::None);
        CHECK(result.consumed == literal.size() - 1);
        CHECK(value == text);
    }
}

TEST_CASE("JSON numbers follow RFC 8259: no leading zeros, a digit after '.' and after an exponent")
{
    using dcagw::base::find_json_number;
    auto const end_of = [](std::string_view text) { auto number = find_json_number(text, 0); return number ? static_cast<long>(number->end) : -1L; };
    CHECK(end_of("0") == 1);
    CHECK(end_of("-12.50,") == 6);
    CHECK(end_of("1e5}") == 3);
    CHECK(end_of("2E-3") == 4);
    CHECK(end_of("01") == -1);
    CHECK(end_of("-") == -1);
    CHECK(end_of("1.") == -1);
    CHECK(end_of("1e") == -1);
    CHECK(end_of(".5") == -1);
    CHECK(find_json_number("1250", 0)->integer);
    CHECK_FALSE(find_json_number("12.50", 0)->integer);
    CHECK_FALSE(find_json_number("1e2", 0)->integer);
    CHECK(find_json_number("x:42", 2)->end == 4);
}
