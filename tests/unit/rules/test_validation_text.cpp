#include "gateway/rules/field_checks.hpp"
#include "gateway/rules/validation.hpp"
#include "validation_helpers.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

// Text-level checks: control characters, references, quoting in reasons, the fast path,
// and the speed of the whole validator.

using namespace dcagw;
using model::CaseField;
using test::contains;
using test::single_problem;
using test::TestRow;
using test::today;
using test::validate;

TEST_CASE("control characters are refused in every shared field, without repeating free text")
{
    TestRow line_feed;
    line_feed.set(CaseField::last_name, "Jones\nSmith");
    auto const reason = single_problem(line_feed, CaseField::last_name);
    CHECK(contains(reason, "line feed"));
    CHECK(contains(reason, "byte 6"));
    CHECK_FALSE(contains(reason, "Jones"));

    TestRow carriage_return;
    carriage_return.set(CaseField::first_name, "Ja\rne");
    CHECK(contains(single_problem(carriage_return, CaseField::first_name), "carriage return"));
    TestRow trailing;
    trailing.set(CaseField::address_line2, "Flat 2\r\n");
    CHECK(contains(single_problem(trailing, CaseField::address_line2), "carriage return"));
    TestRow tab;
    tab.set(CaseField::officer, "J\tBloggs");
    CHECK(contains(single_problem(tab, CaseField::officer), "tab"));
    // Internal notes never leave the gateway: line breaks and tabs there are accepted.
    TestRow notes;
    notes.set(CaseField::notes, "rang twice,\r\nno answer\tcall back").set(CaseField::vulnerability_notes, "line one\nline two");
    auto const notes_outcome = validate(notes);
    CHECK(notes_outcome.valid);
    CHECK(notes_outcome.rejections.empty());
    TestRow del;
    del.set(CaseField::town, "Car\x7F" "diff");
    CHECK(contains(single_problem(del, CaseField::town), "delete"));
    TestRow c1;
    c1.set(CaseField::town, "Car\xC2\x85" "diff"); // U+0085 NEXT LINE
    CHECK(contains(single_problem(c1, CaseField::town), "control character"));
    TestRow nul;
    nul.set(CaseField::balance_pence, std::string("12\0", 3));
    CHECK(contains(single_problem(nul, CaseField::balance_pence), "NUL"));
    TestRow welsh;
    welsh.set(CaseField::town, "Ynys Môn").set(CaseField::first_name, "Siân").set(CaseField::last_name, "Ŵyn-Müller");
    CHECK(validate(welsh).valid);
    TestRow broken_utf8;
    broken_utf8.set(CaseField::last_name, "Jon\xC3");
    CHECK(contains(single_problem(broken_utf8, CaseField::last_name), "not valid UTF-8"));
}

TEST_CASE("references are printable ASCII, at most 64 bytes, without surrounding spaces")
{
    TestRow longest;
    longest.set(CaseField::account_ref, std::string(64, 'A'));
    CHECK(validate(longest).valid);
    TestRow too_long;
    too_long.set(CaseField::account_ref, std::string(65, 'A'));
    CHECK(single_problem(too_long, CaseField::account_ref) == "account_ref: is 65 bytes long; references may be at most 64");
    TestRow accented;
    accented.set(CaseField::person_ref, "P-é1");
    CHECK(contains(single_problem(accented, CaseField::person_ref), "printable ASCII"));
    TestRow padded;
    padded.set(CaseField::account_ref, " ACC-1");
    CHECK(contains(single_problem(padded, CaseField::account_ref), "leading or trailing spaces"));
    TestRow control;
    control.set(CaseField::account_ref, "ACC\x1b[2J");
    auto const outcome = validate(control);
    REQUIRE(outcome.rejections.size() == 1);
    CHECK(contains(outcome.rejections[0].reason, "escape"));
    // The terminal escape is shown escaped, never raw, wherever the reference is reported.
    CHECK(outcome.rejections[0].account_ref == "ACC\\x1B[2J");
}

TEST_CASE("rejection quoting escapes and caps the value")
{
    std::string out;
    rules::append_quoted(out, "a'b\nc");
    CHECK(out == "'a\\x27b\\x0Ac'");
    out.clear();
    rules::append_quoted(out, std::string(100, 'x'));
    CHECK(out == "'" + std::string(40, 'x') + "...'");
    out.clear();
    rules::append_quoted(out, std::string(39, 'x') + "é");
    CHECK(out == "'" + std::string(39, 'x') + "...'"); // never half a code point
}

TEST_CASE("a refused value is described by its length and kinds of character, never shown")
{
    std::string out;
    rules::append_redacted(out, "SW1A 1AA");
    CHECK(out == "a value of 8 bytes (upper-case letters, digits, spaces)");
    out.clear();
    rules::append_redacted(out, "1980-02-30");
    CHECK(out == "a value of 10 bytes (digits, punctuation)");
    out.clear();
    rules::append_redacted(out, "x");
    CHECK(out == "a value of 1 byte (lower-case letters)");
    out.clear();
    rules::append_redacted(out, "\xC3\xA9\n");
    CHECK(out == "a value of 3 bytes (control or non-ASCII bytes)");
    out.clear();
    rules::append_redacted(out, "");
    CHECK(out == "an empty value");
}

TEST_CASE("validating a million valid rows", "[.][performance]")
{
    TestRow row;
    row.set(CaseField::last_payment_date, "2024-01-15").set(CaseField::phone_mobile, "07700900123").set(CaseField::address_line2, "Flat 2");
    auto const& raw = row.raw();
    rules::Validator validator(today);
    std::vector<model::Rejection> rejections;
    model::CaseRecord record;
    std::size_t valid = 0;
    auto const start = std::chrono::steady_clock::now();
    std::clock_t const cpu_start = std::clock();
    for (int i = 0; i < 1'000'000; ++i)
        valid += validator.validate(raw, record, rejections) ? 1 : 0;
    double const cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    auto const elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("validated 1,000,000 rows in %.3f s wall, %.3f s CPU\n", elapsed, cpu);
    CHECK(valid == 1'000'000);
    CHECK(rejections.empty());
}

TEST_CASE("the plain-ASCII fast path agrees with the exact checks for every byte, position and length")
{
    for (std::size_t length = 1; length <= 19; ++length) {
        for (int byte = 0; byte < 256; ++byte) {
            for (std::size_t position = 0; position < length; ++position) {
                std::string text(length, 'a');
                text[position] = static_cast<char>(byte);
                bool const printable = byte >= 0x20 && byte <= 0x7E;
                INFO("byte " << byte << " at " << position << " of " << length);
                REQUIRE(rules::is_plain_printable_ascii(text) == printable);
                REQUIRE(rules::is_printable_ascii(text) == printable);
                if (byte < 0x20 || byte == 0x7F)
                    REQUIRE(rules::find_control_character(text).has_value());
            }
        }
    }
    CHECK(rules::is_plain_printable_ascii(""));
    CHECK(rules::is_plain_printable_ascii(" ~"));
    CHECK_FALSE(rules::is_plain_printable_ascii(std::string_view("\x7F\x80", 2)));
}
