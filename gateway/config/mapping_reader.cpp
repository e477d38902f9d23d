#include "gateway/config/mapping_reader.hpp"

#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/config/mapping_reader_json.hpp"

#include <algorithm>
#include <array>

namespace dcagw::config::detail {

namespace {

constexpr std::array<std::string_view, 11> mapping_keys { "agency", "description", "format", "file_name_pattern", "csv", "xml", "eligibility", "columns", "returns", "messages", "$schema" };
constexpr std::array<std::string_view, 3> csv_keys { "delimiter", "header", "crlf" };
constexpr std::array<std::string_view, 2> xml_keys { "root", "record" };
constexpr std::array<std::string_view, 4> eligibility_keys { "debt_types", "minimum_balance_pence", "maximum_balance_pence", "vulnerable" };
constexpr std::array<std::string_view, 3> format_names { "csv", "json", "xml" };
constexpr std::array<std::string_view, 2> vulnerable_names { "exclude", "handling_code_only" };
constexpr std::size_t max_pattern_length = 200;

bool is_name_character(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

std::string describe_character(char c)
{
    auto const byte = static_cast<unsigned char>(c);
    if (byte >= 0x21 && byte < 0x7f)
        return std::string("'") + c + "'";
    char text[8];
    std::snprintf(text, sizeof text, "0x%02x", byte);
    return text;
}

void read_csv_settings(ObjectReader& root, model::OutputFormat format, model::Mapping& mapping)
{
    auto const* csv = root.object("csv", Presence::Optional);
    if (csv == nullptr)
        return;
    if (format != model::OutputFormat::Csv)
        root.sink().add(root.path_of("csv"), "CSV settings given but the format is not csv");
    ObjectReader reader(*csv, root.path_of("csv"), root.sink(), csv_keys);
    if (auto delimiter = reader.string("delimiter", Presence::Optional, ObjectReader::Emptiness::Allowed)) {
        auto const& text = *delimiter;
        bool const one_ascii = text.size() == 1 && static_cast<unsigned char>(text[0]) < 0x80;
        if (!one_ascii)
            reader.sink().add(reader.path_of("delimiter"), "delimiter must be exactly one ASCII character, not " + in_quotes(text));
        else if (text[0] == '"' || text[0] == '\r' || text[0] == '\n')
            reader.sink().add(reader.path_of("delimiter"), "delimiter must not be a quote, CR or LF");
        else if (static_cast<unsigned char>(text[0]) < 0x20 && text[0] != '\t')
            reader.sink().add(reader.path_of("delimiter"), "delimiter must be a printable character or tab, not " + describe_character(text[0]));
        else
            mapping.csv_delimiter = text[0];
    }
    if (auto header = reader.boolean("header", Presence::Optional))
        mapping.csv_header = *header;
    if (auto crlf = reader.boolean("crlf", Presence::Optional))
        mapping.crlf = *crlf;
}

void read_xml_settings(ObjectReader& root, model::OutputFormat format, model::Mapping& mapping)
{
    auto const* xml = root.object("xml", Presence::Optional);
    if (xml == nullptr)
        return;
    if (format != model::OutputFormat::Xml)
        root.sink().add(root.path_of("xml"), "XML settings given but the format is not xml");
    ObjectReader reader(*xml, root.path_of("xml"), root.sink(), xml_keys);
    for (auto [key, target] : { std::pair { "root", &mapping.xml_root }, std::pair { "record", &mapping.xml_record } }) {
        auto name = reader.string(key, Presence::Optional);
        if (!name)
            continue;
        if (!model::is_valid_xml_name(*name))
            reader.sink().add(reader.path_of(key), in_quotes(*name) + " is not a valid XML element name");
        else
            *target = *name;
    }
}

void read_eligibility(ObjectReader& root, model::Mapping& mapping)
{
    auto const* eligibility = root.object("eligibility", Presence::Optional);
    if (eligibility == nullptr)
        return;
    ObjectReader reader(*eligibility, root.path_of("eligibility"), root.sink(), eligibility_keys);
    auto& rules = mapping.eligibility;
    if (auto const* types = reader.array("debt_types", Presence::Optional)) {
        auto const allowed = model::allowed_values(model::CaseField::debt_type);
        std::size_t index = 0;
        for (auto const& element : *types) {
            auto const path = join_path(reader.path_of("debt_types"), index++);
            if (!element.is_string()) {
                reader.sink().add(path, std::string("must be a string, not ") + type_name(element));
                continue;
            }
            auto const& text = element.get_ref<std::string const&>();
            auto const type = model::debt_type_from_string(text);
            if (!type) {
                reader.sink().add(path, "unknown debt type " + in_quotes(text) + did_you_mean(text, allowed));
                continue;
            }
            if (std::find(rules.debt_types.begin(), rules.debt_types.end(), *type) != rules.debt_types.end()) {
                reader.sink().add(path, "debt type " + in_quotes(text) + " is listed twice");
                continue;
            }
            rules.debt_types.push_back(*type);
        }
        if (types->empty())
            reader.sink().add(reader.path_of("debt_types"), "must list at least one debt type (leave the key out to accept all)");
    }
    rules.minimum_balance_pence = reader.integer("minimum_balance_pence", Presence::Optional);
    rules.maximum_balance_pence = reader.integer("maximum_balance_pence", Presence::Optional);
    if (rules.minimum_balance_pence && rules.maximum_balance_pence && *rules.minimum_balance_pence > *rules.maximum_balance_pence)
        reader.sink().add(reader.path_of("minimum_balance_pence"), "minimum balance (" + std::to_string(*rules.minimum_balance_pence) + ") is greater than the maximum (" + std::to_string(*rules.maximum_balance_pence) + ")");
    if (auto vulnerable = reader.string("vulnerable", Presence::Optional)) {
        if (*vulnerable == "exclude")
            rules.vulnerable = model::VulnerablePolicy::Exclude;
        else if (*vulnerable == "handling_code_only")
            rules.vulnerable = model::VulnerablePolicy::HandlingCodeOnly;
        else
            reader.sink().add(reader.path_of("vulnerable"), "must be 'exclude' or 'handling_code_only', not " + in_quotes(*vulnerable) + did_you_mean(*vulnerable, vulnerable_names));
    }
}

} // namespace

bool is_valid_agency_id(std::string_view id)
{
    if (id.empty() || id.size() > 40)
        return false;
    auto const allowed = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; };
    return id.front() != '-' && std::all_of(id.begin(), id.end(), allowed);
}

std::string check_date_format(std::string_view format)
{
    if (format.empty())
        return "date format must not be empty";
    if (format.size() > 32)
        return "date format is longer than 32 characters";
    for (std::size_t i = 0; i < format.size(); ++i) {
        char const c = format[i];
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            return "date format may only hold printable ASCII";
        if (c != '%')
            continue;
        if (i + 1 == format.size())
            return "date format ends with a lone '%'";
        char const token = format[++i];
        if (token != 'Y' && token != 'm' && token != 'd' && token != 'y' && token != '%')
            return "date format token '%" + std::string(1, token) + "' is not supported (only %Y %m %d %y %%)";
    }
    return {};
}

std::string check_remote_folder(std::string_view folder)
{
    if (folder.size() > 200)
        return "remote folder is longer than 200 characters";
    if (folder.front() == '/' || folder.back() == '/')
        return "remote folder is relative to the transport's root and has no leading or trailing '/'";
    for (auto const piece : base::split(folder, '/'))
        if (piece.empty() || piece == "." || piece == "..")
            return "remote folder must not hold empty, '.' or '..' parts";
    for (char const c : folder)
        if (c != '/' && !is_name_character(c))
            return "remote folder may only hold letters, digits, '.', '_', '-' and '/'";
    return {};
}

std::string check_file_name_pattern(std::string_view pattern, NameTokens tokens)
{
    if (pattern.empty())
        return "file name pattern must not be empty";
    if (pattern.size() > max_pattern_length)
        return "file name pattern is longer than " + std::to_string(max_pattern_length) + " characters";
    if (pattern.front() == '.')
        return "file name pattern must not start with '.' (hidden and temporary files start with '.')";
    bool has_date = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        char const c = pattern[i];
        if (c == '/')
            return "file name pattern must not contain '/': it names a file, not a path";
        if (c == '}')
            return "unmatched '}' in file name pattern";
        if (c == '{') {
            auto const end = pattern.find('}', i);
            if (end == std::string_view::npos)
                return "unmatched '{' in file name pattern";
            auto const token = pattern.substr(i + 1, end - i - 1);
            bool const message_token = tokens == NameTokens::Message && (token == "iso_date" || token == "time");
            if (token == "date" || (message_token && token == "iso_date"))
                has_date = true;
            else if (token.starts_with("sequence:")) {
                auto const width = token.substr(9);
                if (width.size() != 1 || width[0] < '1' || width[0] > '9')
                    return "token {" + std::string(token) + "}: the width must be one digit from 1 to 9";
            } else if (token != "agency" && token != "sequence" && !message_token)
                return "unknown token {" + std::string(token) + "} (known: {agency} {date} "
                    + (tokens == NameTokens::Message ? "{iso_date} {time} " : "") + "{sequence} {sequence:N})";
            i = end;
            continue;
        }
        if (!is_name_character(c))
            return "file name pattern may only hold letters, digits, '.', '_', '-' and tokens, not " + describe_character(c);
    }
    if (!has_date)
        return tokens == NameTokens::Message ? "file name pattern must contain {date} or {iso_date} so that each day's file has its own name"
                                             : "file name pattern must contain {date} so that each day's file has its own name";
    return {};
}

void check_mapping_text(std::string_view text, std::string const& file, model::Mapping& mapping, std::vector<ConfigProblem>& problems)
{
    ProblemSink sink(file, problems);
    auto document = parse_document(text, sink);
    if (!document)
        return;
    try {
        if (!expect_object(*document, "", sink))
            return;
        ObjectReader root(*document, "", sink, mapping_keys);
        if (auto agency = root.string("agency", Presence::Required)) {
            if (!is_valid_agency_id(*agency))
                sink.add(root.path_of("agency"), in_quotes(*agency) + " is not a valid agency id (lower-case letters, digits and '-', at most 40)");
            mapping.agency = *agency;
        }
        if (auto description = root.string("description", Presence::Optional, ObjectReader::Emptiness::Allowed))
            mapping.description = *description;
        if (auto format = root.string("format", Presence::Required)) {
            if (*format == "csv")
                mapping.format = model::OutputFormat::Csv;
            else if (*format == "json")
                mapping.format = model::OutputFormat::Json;
            else if (*format == "xml")
                mapping.format = model::OutputFormat::Xml;
            else
                sink.add(root.path_of("format"), "must be 'csv', 'json' or 'xml', not " + in_quotes(*format) + did_you_mean(*format, format_names));
        }
        if (auto pattern = root.string("file_name_pattern", Presence::Required)) {
            auto const problem = check_file_name_pattern(*pattern);
            if (!problem.empty())
                sink.add(root.path_of("file_name_pattern"), problem);
            mapping.file_name_pattern = *pattern;
        }
        read_csv_settings(root, mapping.format, mapping);
        read_xml_settings(root, mapping.format, mapping);
        read_eligibility(root, mapping);
        read_columns(root, mapping.format, mapping);
        read_returns(root, mapping);
        read_messages(root, mapping);

        if (mapping.eligibility.vulnerable == model::VulnerablePolicy::HandlingCodeOnly) {
            auto const shared = mapping.fields_shared();
            if (std::find(shared.begin(), shared.end(), model::CaseField::vulnerability_code) == shared.end())
                sink.add("/eligibility/vulnerable", "'handling_code_only' needs a column that sources vulnerability_code; without one the agency would never learn of the vulnerability");
        }
    } catch (std::exception const& error) {
        // Accessors check types first, so this is a programming error; report it rather
        // than let an exception leave the module.
        sink.add("", std::string("internal error while checking: ") + error.what());
    }
}

} // namespace dcagw::config::detail

namespace dcagw::config {

std::vector<ConfigProblem> check_mapping(std::filesystem::path const& mapping_file, model::Mapping* out)
{
    std::vector<ConfigProblem> problems;
    model::Mapping mapping;
    auto text = base::read_file_limited(mapping_file, detail::max_settings_file_bytes);
    if (text.is_error()) {
        problems.push_back(ConfigProblem { mapping_file.string(), "", text.error().to_text() });
        return problems;
    }
    detail::check_mapping_text(text.value(), mapping_file.string(), mapping, problems);
    if (out != nullptr)
        *out = std::move(mapping);
    return problems;
}

base::Result<model::Mapping> load_mapping(std::filesystem::path const& mapping_file)
{
    model::Mapping mapping;
    auto problems = check_mapping(mapping_file, &mapping);
    if (!problems.empty())
        return base::make_error(base::ErrorCode::MappingInvalid, describe_first_problem(problems));
    return mapping;
}

} // namespace dcagw::config
