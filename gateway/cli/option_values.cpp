// The option values several commands share, checked one way everywhere (docs/cli.md):
// required values, dates (which option, and why it is not a date), --agency (an agency of
// the configuration, for the list commands as for place/send/collect) and a placement's
// --status. Every problem is a usage error (exit 2).
#include "gateway/cli/commands.hpp"

#include "gateway/config/config_reader.hpp"

namespace dcagw::cli {

namespace {

// The placement statuses of the ledger (store/placements.cpp refuses any other).
constexpr std::string_view placement_statuses[] = { "open", "closed", "recalled", "returned" };

bool all_digits(std::string_view text)
{
    for (char const c : text)
        if (c < '0' || c > '9')
            return false;
    return !text.empty();
}

// Why `text` is not a date Date::parse accepts.
std::string why_not_a_date(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) || !all_digits(text.substr(5, 2))
        || !all_digits(text.substr(8, 2)))
        return "it is not in the form YYYY-MM-DD";
    int const year = std::stoi(std::string(text.substr(0, 4)));
    int const month = std::stoi(std::string(text.substr(5, 2)));
    int const day = std::stoi(std::string(text.substr(8, 2)));
    if (year < 1800)
        return "the year must be 1800 or later";
    if (month < 1 || month > 12)
        return "there is no month " + std::to_string(month);
    if (day < 1 || day > base::days_in_month(year, month))
        return std::string(text.substr(0, 7)) + " has " + std::to_string(base::days_in_month(year, month)) + " days";
    return "it is not a calendar date";
}

std::string joined_words(std::vector<std::string> const& words)
{
    std::string text;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0)
            text += i + 1 == words.size() ? " or " : ", ";
        text += words[i];
    }
    return text;
}

} // namespace

base::Error usage_error(std::string message)
{
    return base::make_error(base::ErrorCode::Usage, std::move(message));
}

base::Result<std::string> required_value(Arguments const& arguments, std::string_view name, std::string_view value_name)
{
    auto value = arguments.value(name);
    if (!value || value->empty())
        return usage_error("--" + std::string(name) + " " + std::string(value_name) + " is required");
    return *value;
}

base::Result<model::GatewayConfig> load_configuration(Arguments const& arguments)
{
    return config::load_config(TRY(required_value(arguments, "config", "FILE")));
}

base::Result<std::optional<base::Date>> date_option(Arguments const& arguments, std::string_view name)
{
    auto const text = arguments.value(name);
    if (!text)
        return std::optional<base::Date> {};
    auto const date = base::Date::parse(*text);
    if (!date)
        return usage_error("--" + std::string(name) + " '" + *text + "' is not a date: " + why_not_a_date(*text))
            .with_hint("dates are YYYY-MM-DD, e.g. 2026-11-23");
    return date;
}

base::Result<base::Date> requested_date(Arguments const& arguments)
{
    auto const date = TRY(date_option(arguments, "as-of"));
    return date ? *date : base::today_local();
}

base::Result<std::optional<std::string>> agency_option(Arguments const& arguments, model::GatewayConfig const& config)
{
    auto const agency = arguments.value("agency");
    if (!agency || config.find_agency(*agency) != nullptr)
        return agency;
    std::vector<std::string> known;
    for (auto const& configured : config.agencies)
        known.push_back(configured.id);
    auto error = usage_error("--agency: no agency with id '" + *agency + "' in the configuration");
    if (!known.empty())
        error = std::move(error).with_hint("the configuration's agencies: " + joined_words(known));
    return error;
}

TableOptions table_options(Arguments const& arguments, std::vector<std::string> detail_columns)
{
    return TableOptions { arguments.has("wide"), output_width(), std::move(detail_columns) };
}

base::Result<std::optional<std::string>> placement_status_option(Arguments const& arguments)
{
    auto const status = arguments.value("status");
    if (!status)
        return status;
    std::vector<std::string> known;
    for (auto const word : placement_statuses) {
        if (word == *status)
            return status;
        known.emplace_back(word);
    }
    return usage_error("--status: unknown placement status '" + *status + "' (it is " + joined_words(known) + ")");
}

} // namespace dcagw::cli
