// config/mapping_reader_layouts: the rules the mapping's return layouts ("returns") and
// message layouts ("messages") share, so that both read a delimiter, a money unit, a
// column name and a list of layouts the same way, with the same words in each problem.
// Internal to the config module.
//
// Owns: those shared readers.
// Must never: know which kind of layout it is reading.
#pragma once

#include "gateway/config/mapping_reader_json.hpp"
#include "gateway/model/return_layout.hpp"

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace dcagw::config::detail {

// "delimiter": one printable ASCII character or tab, not a quote; nullopt when absent or
// refused (and reported).
std::optional<char> read_csv_delimiter(ObjectReader& csv_reader);

// "'a', 'b' or 'c'".
std::string list_of_choices(std::span<std::string_view const> names);

// One of a fixed set of words, into `value` when present and one of `choices`; otherwise
// reported as "must be 'a', 'b' or 'c', not 'x'" with a suggestion.
template<typename Enum, std::size_t Count>
void read_choice(ObjectReader& reader, std::string_view key, std::array<std::pair<std::string_view, Enum>, Count> const& choices, Enum& value)
{
    auto text = reader.string(key, Presence::Optional);
    if (!text)
        return;
    for (auto const& [name, choice] : choices)
        if (*text == name) {
            value = choice;
            return;
        }
    std::array<std::string_view, Count> names;
    for (std::size_t index = 0; index < Count; ++index)
        names[index] = choices[index].first;
    reader.sink().add(reader.path_of(key), "must be " + list_of_choices(names) + ", not " + in_quotes(*text) + did_you_mean(*text, names));
}

// "money_unit": "minor_units" or "pounds".
void read_money_unit(ObjectReader& reader, model::MoneyUnit& unit);

// A column's "name": present, at most `max_bytes`, and not already in `names` (added).
std::optional<std::string> read_column_name(ObjectReader& column_reader, std::set<std::string, std::less<>>& names, std::size_t max_bytes);

// Each object of the array `key`, handed to read_one(element, path) in order. An array of
// fewer than `min_items` or more than `max_items` is reported ("must list 1 to 64
// columns", "at most 16 message layouts"), as is an element that is not an object.
void for_each_object(ObjectReader& parent, std::string_view key, Presence presence, std::size_t min_items, std::size_t max_items, std::string_view noun,
    std::function<void(Json const&, std::string const&)> const& read_one);

} // namespace dcagw::config::detail
