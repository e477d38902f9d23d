#include "gateway/base/json_writer.hpp"

#include <catch2/catch.hpp>

using namespace dcagw;

TEST_CASE("json writer: fields in order, strings escaped, arrays joined", "[json_writer]")
{
    auto nested = base::JsonObject().number("n", -3).take();
    auto text = base::JsonObject()
                    .text("name", "O\"Brien\n")
                    .number("pence", 123456789012)
                    .boolean("ok", true)
                    .strings("files", { "a.csv", "b\\c" })
                    .json("nested", nested)
                    .json("list", base::json_array({ nested, nested }))
                    .take();
    CHECK(text == R"({"name":"O\"Brien\n","pence":123456789012,"ok":true,"files":["a.csv","b\\c"],"nested":{"n":-3},"list":[{"n":-3},{"n":-3}]})");
}

TEST_CASE("json writer: empty object and arrays", "[json_writer]")
{
    CHECK(base::JsonObject().take() == "{}");
    CHECK(base::json_array({}) == "[]");
    CHECK(base::json_string_array({}) == "[]");
    CHECK(base::JsonObject().strings("none", {}).take() == R"({"none":[]})");
}
