// base/json_writer: compact JSON objects and arrays for the summaries the use cases print
// and store with their runs.
//
// Owns: the punctuation (braces, commas, quotes) so a summary names its fields and
// nothing else; strings go through append_json_string, the one escaper.
// Must never: parse JSON (json_string does), pretty-print, or take a floating-point
// value (money is integer pence, and so is every number a summary holds).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::base {

// One JSON object built field by field: JsonObject().text("agency", id).number("n", 3).
// take() yields the text, closing brace included, and spends the object.
class JsonObject {
public:
    JsonObject& text(std::string_view key, std::string_view value);
    JsonObject& number(std::string_view key, std::int64_t value);
    JsonObject& boolean(std::string_view key, bool value);
    JsonObject& strings(std::string_view key, std::vector<std::string> const& values);
    // A value that is already JSON (a nested object or array).
    JsonObject& json(std::string_view key, std::string_view value);

    std::string take();

private:
    void append_key(std::string_view key);
    std::string m_text { "{" };
};

// Joins values that are already JSON into an array.
std::string json_array(std::vector<std::string> const& values);
// An array of JSON strings.
std::string json_string_array(std::vector<std::string> const& values);

} // namespace dcagw::base
