#include "gateway/base/date.hpp"
#include "gateway/base/file.hpp"
#include "gateway/base/result.hpp"
#include "gateway/base/text.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/stat.h>

using namespace dcagw::base;

TEST_CASE("dates parse strictly and only as real calendar dates")
{
    CHECK(Date::parse("2024-02-29").has_value());
    CHECK_FALSE(Date::parse("2023-02-29").has_value());
    CHECK_FALSE(Date::parse("2023-13-01").has_value());
    CHECK_FALSE(Date::parse("2023-1-01").has_value());
    CHECK_FALSE(Date::parse("2023-01-01 ").has_value());
    CHECK_FALSE(Date::parse("20230101").has_value());
    CHECK(Date::parse("1900-02-28").has_value());
    CHECK_FALSE(Date::parse("1900-02-29").has_value());
    CHECK(Date::parse("2000-02-29").has_value());
}

TEST_CASE("day arithmetic round-trips and leap days clamp when adding years")
{
    auto const date = *Date::parse("2024-02-29");
    CHECK(Date::from_days(date.to_days()) == date);
    CHECK(date.plus_years(6).to_string() == "2030-02-28");
    CHECK(date.plus_years(4).to_string() == "2028-02-29");
    CHECK(Date::parse("1970-01-01")->to_days() == 0);
    CHECK(Date::parse("2026-11-23")->plus_days(60).to_string() == "2027-01-22");
}

TEST_CASE("text helpers escape and parse exactly")
{
    std::string out;
    append_csv_field(out, "a,b\"c");
    CHECK(out == "\"a,b\"\"c\"");
    out.clear();
    append_json_string(out, "x\"\n\x01");
    CHECK(out == "\"x\\\"\\n\\u0001\"");
    out.clear();
    append_xml_escaped(out, "<a&b>");
    CHECK(out == "&lt;a&amp;b&gt;");
    CHECK(parse_int64("-12") == -12);
    CHECK_FALSE(parse_int64("+12").has_value());
    CHECK_FALSE(parse_int64("12.0").has_value());
    CHECK_FALSE(parse_int64("99999999999999999999").has_value());
    CHECK(pence_to_pounds(123456) == "1234.56");
    CHECK(pence_to_pounds(-5) == "-0.05");
    CHECK(is_valid_utf8("Llanfair Pwllgwyngyll Siân Éowyn"));
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));
    CHECK(utf8_prefix("Siân", 3) == "Siâ");
    CHECK(utf8_length("Siân") == 4);
}

TEST_CASE("errors carry context outermost first")
{
    auto error = make_error(ErrorCode::MappingInvalid, "unknown transform 'uppcase'");
    error.add_context("line 12");
    error.add_context("reading mappings/agency-a.json");
    CHECK(error.to_text() == "reading mappings/agency-a.json: line 12: unknown transform 'uppcase'");
    CHECK(exit_code_for(ErrorCode::ConfigInvalid) == 2);
}

TEST_CASE("atomic files publish only on commit and never replace")
{
    auto const folder = std::filesystem::temp_directory_path() / "dcagw-base-test";
    std::filesystem::remove_all(folder);
    REQUIRE(ensure_private_directory(folder).ok());
    auto const target = folder / "out.txt";
    {
        auto file = AtomicFile::create(target);
        REQUIRE(file.ok());
        REQUIRE(file.value().write(std::string_view("hello")).ok());
        CHECK_FALSE(std::filesystem::exists(target));
    }
    CHECK_FALSE(std::filesystem::exists(target));
    CHECK(std::distance(std::filesystem::directory_iterator(folder), std::filesystem::directory_iterator()) == 0);
    {
        auto file = AtomicFile::create(target);
        REQUIRE(file.ok());
        REQUIRE(file.value().write(std::string_view("hello")).ok());
        REQUIRE(file.value().commit().ok());
    }
    struct stat status {};
    REQUIRE(::stat(target.c_str(), &status) == 0);
    CHECK((status.st_mode & 0777) == 0600);
    auto again = AtomicFile::create(target);
    CHECK(again.is_error());
    CHECK(again.error().code() == ErrorCode::AlreadyExists);
    CHECK(read_file_limited(target, 100).value() == "hello");
    CHECK(read_file_limited(target, 3).error().code() == ErrorCode::InputTooLarge);
    CHECK(check_owner_only(target).ok());
    ::chmod(target.c_str(), 0644);
    CHECK(check_owner_only(target).error().code() == ErrorCode::PermissionsTooOpen);
    std::filesystem::remove_all(folder);
}

#include "gateway/base/fingerprint.hpp"

TEST_CASE("fingerprints separate pieces and see every byte")
{
    auto of = [](std::initializer_list<std::string_view> pieces) {
        FingerprintBuilder builder;
        for (auto piece : pieces)
            builder.add(piece);
        return builder.finish();
    };
    CHECK(of({ "ab", "c" }) != of({ "a", "bc" }));
    CHECK(of({ "", "x" }) != of({ "x", "" }));
    CHECK(of({ std::string_view() }) == of({ "" })); // an empty view with no data pointer
    CHECK(of({ "abcdefg" }) != of({ "abcdefg", "" }));
    CHECK(of({ "abcdefgh" }) != of({ "abcdefgi" }));
    CHECK(of({ "a long piece of text, over eight bytes" }) == of({ "a long piece of text, over eight bytes" }));
    CHECK(of({ "a long piece of text, over eight bytes" }) != of({ "a long piece of text, over eight bytez" }));
    // A short piece whose bytes look like a length word must not collide with a long one.
    CHECK(of({ std::string_view("\x08\0\0\0\0\0\0", 7) }) != of({ "12345678" }));
    FingerprintBuilder with_bits;
    with_bits.add_bits(1);
    FingerprintBuilder other_bits;
    other_bits.add_bits(2);
    CHECK(with_bits.finish() != other_bits.finish());
}

TEST_CASE("an exclusive lock is refused while another holder has it, and freed on release")
{
    auto const folder = std::filesystem::temp_directory_path() / "dcagw-lock-test";
    std::filesystem::remove_all(folder);
    REQUIRE(ensure_private_directory(folder).ok());
    {
        auto first = ExclusiveLock::acquire(folder / "run.lock");
        REQUIRE(first.ok());
        auto second = ExclusiveLock::acquire(folder / "run.lock");
        REQUIRE(second.is_error());
        CHECK(second.error().to_text().find("another dcagw run") != std::string::npos);
    }
    CHECK(ExclusiveLock::acquire(folder / "run.lock").ok());
    std::filesystem::remove_all(folder);
}
