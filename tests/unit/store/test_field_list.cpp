// The store's tiny parser for JSON arrays of plain strings.
#include "gateway/store/field_list.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;
using namespace dcagw::store::detail;

TEST_CASE("field lists round-trip through their JSON text")
{
    std::vector<std::vector<std::string>> const lists {
        {},
        { "account_ref" },
        { "account_ref", "balance_pence", "first_name" },
        { "quote\"", "back\\slash", "new\nline", "tab\t", "\x01\x1f", "\xC2\xA3 pound", "\xF0\x9F\x98\x80" },
    };
    for (auto const& list : lists) {
        auto const json = encode_field_list(list);
        REQUIRE(json.ok());
        auto const parsed = parse_field_list(json.value());
        REQUIRE(parsed.ok());
        CHECK(parsed.value() == list);
    }
    CHECK(encode_field_list({ "a", "b" }).value() == R"(["a","b"])");
}

TEST_CASE("the field list parser accepts standard JSON escapes and whitespace")
{
    auto const parsed = parse_field_list(" [ \"a\\/b\" , \"\\u00e9\\b\\f\\r\", \"\\ud83d\\ude00\" ] ");
    REQUIRE(parsed.ok());
    REQUIRE(parsed.value().size() == 3);
    CHECK(parsed.value()[0] == "a/b");
    CHECK(parsed.value()[1] == "\xC3\xA9\b\f\r");
    CHECK(parsed.value()[2] == "\xF0\x9F\x98\x80");
}

TEST_CASE("the field list parser refuses anything but an array of strings")
{
    for (std::string_view const bad : {
             "", "[", "]", "{}", "[1]", "[\"a\",]", "[\"a\" \"b\"]", "[\"a\"] x", "[\"a", "[\"\\x\"]", "[\"\\u12\"]", "[\"\\ud800\"]",
             "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]", "[\"\x01\"]", "[\"\xFF\"]", "[null]", "[[\"a\"]]" }) {
        auto const parsed = parse_field_list(bad);
        CHECK(parsed.is_error());
        if (parsed.is_error())
            CHECK(parsed.error().code() == base::ErrorCode::StoreCorrupt);
    }
}

TEST_CASE("field lists have size limits both ways")
{
    std::vector<std::string> many(field_list_max_fields + 1, "f");
    CHECK(encode_field_list(many).is_error());
    std::vector<std::string> huge { std::string(field_list_max_bytes, 'x') };
    CHECK(encode_field_list(huge).is_error());
    CHECK(encode_field_list({ std::string("\xFF") }).is_error());

    std::string long_text = "[\"" + std::string(field_list_max_bytes, 'x') + "\"]";
    CHECK(parse_field_list(long_text).is_error());
    std::string many_text = "[";
    for (std::size_t index = 0; index <= field_list_max_fields; ++index)
        many_text += index == 0 ? "\"f\"" : ",\"f\"";
    many_text += "]";
    CHECK(parse_field_list(many_text).is_error());
}
