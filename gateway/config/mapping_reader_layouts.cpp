#include "gateway/config/mapping_reader_layouts.hpp"

namespace dcagw::config::detail {

std::optional<char> read_csv_delimiter(ObjectReader& csv_reader)
{
    auto delimiter = csv_reader.string("delimiter", Presence::Optional);
    if (!delimiter)
        return std::nullopt;
    auto const c = (*delimiter)[0];
    if (delimiter->size() != 1 || c == '"' || c == '\r' || c == '\n' || (static_cast<unsigned char>(c) < 0x20 && c != '\t') || static_cast<unsigned char>(c) >= 0x7f) {
        csv_reader.sink().add(csv_reader.path_of("delimiter"), "delimiter must be one printable ASCII character or tab, not a quote");
        return std::nullopt;
    }
    return c;
}

std::string list_of_choices(std::span<std::string_view const> names)
{
    std::string text;
    for (std::size_t index = 0; index < names.size(); ++index) {
        if (index > 0)
            text += index + 1 == names.size() ? " or " : ", ";
        text += "'" + std::string(names[index]) + "'";
    }
    return text;
}

void read_money_unit(ObjectReader& reader, model::MoneyUnit& unit)
{
    static constexpr std::array<std::pair<std::string_view, model::MoneyUnit>, 2> units { {
        { "minor_units", model::MoneyUnit::MinorUnits },
        { "pounds", model::MoneyUnit::Pounds },
    } };
    read_choice(reader, "money_unit", units, unit);
}

std::optional<std::string> read_column_name(ObjectReader& column_reader, std::set<std::string, std::less<>>& names, std::size_t max_bytes)
{
    auto name = column_reader.string("name", Presence::Required);
    if (!name)
        return std::nullopt;
    if (name->size() > max_bytes)
        column_reader.sink().add(column_reader.path_of("name"), "column name is longer than " + std::to_string(max_bytes) + " bytes");
    else if (!names.insert(*name).second)
        column_reader.sink().add(column_reader.path_of("name"), "column " + in_quotes(*name) + " is listed twice");
    return name;
}

void for_each_object(ObjectReader& parent, std::string_view key, Presence presence, std::size_t min_items, std::size_t max_items, std::string_view noun,
    std::function<void(Json const&, std::string const&)> const& read_one)
{
    auto const* elements = parent.array(key, presence);
    if (elements == nullptr)
        return;
    if (elements->size() < min_items || elements->size() > max_items) {
        auto const limit = min_items > 0 ? "must list " + std::to_string(min_items) + " to " + std::to_string(max_items) : "at most " + std::to_string(max_items);
        parent.sink().add(parent.path_of(key), limit + " " + std::string(noun));
    }
    std::size_t index = 0;
    for (auto const& element : *elements) {
        auto const path = join_path(parent.path_of(key), index++);
        if (expect_object(element, path, parent.sink()))
            read_one(element, path);
    }
}

} // namespace dcagw::config::detail
