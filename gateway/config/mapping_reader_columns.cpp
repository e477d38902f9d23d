// The "columns" part of a mapping: each output column's name, transform and source fields,
// and the rules that keep internal data inside the gateway.
#include "gateway/config/mapping_reader.hpp"
#include "gateway/config/mapping_reader_json.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace dcagw::config::detail {

namespace {

using model::CaseField;
using model::Transform;

constexpr std::size_t max_columns = 256;
constexpr std::size_t max_sources = 16;
constexpr std::size_t max_table_entries = 1000;
constexpr std::size_t max_name_bytes = 128;
constexpr std::size_t max_length_limit = 100000;
constexpr std::size_t max_constant_bytes = 1024;

constexpr std::array<std::string_view, 13> all_column_keys {
    "name", "transform", "source", "sources", "required", "max_length",
    "format", "keep_last", "mask_char", "value", "separator", "table", "default",
};

constexpr std::array<std::string_view, 13> transform_names {
    "copy", "rename", "date_format", "upper", "lower", "title", "truncate", "mask", "constant", "concatenate", "pence_to_pounds", "lookup", "pseudonym",
};

// The keys that belong to one transform only; every other key is common to all.
std::string_view owner_of_key(std::string_view key)
{
    if (key == "format")
        return "date_format";
    if (key == "keep_last" || key == "mask_char")
        return "mask";
    if (key == "value")
        return "constant";
    if (key == "separator")
        return "concatenate";
    if (key == "table" || key == "default")
        return "lookup";
    return {};
}

bool takes_many_sources(Transform transform)
{
    return transform == Transform::Concatenate || transform == Transform::Pseudonym;
}

// Internal references identify the creditor's own records; an agency may only ever see a
// keyed pseudonym of them, never the reference itself.
bool is_internal_reference(CaseField field)
{
    return field == CaseField::account_ref || field == CaseField::person_ref || field == CaseField::tenancy_ref;
}

std::vector<std::string_view> field_names()
{
    std::vector<std::string_view> names;
    for (auto const& entry : model::field_table())
        names.push_back(entry.name);
    return names;
}

bool has_control_character(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

struct SourceEntry {
    std::string name;
    std::string path;
};

// Reads "source" (shorthand) or "sources" into entries with their own paths.
std::vector<SourceEntry> read_source_entries(ObjectReader& reader)
{
    std::vector<SourceEntry> entries;
    bool const has_source = reader.has("source");
    bool const has_sources = reader.has("sources");
    if (has_source && has_sources) {
        reader.sink().add(reader.path_of("sources"), "give either 'source' or 'sources', not both");
        return entries;
    }
    if (has_source) {
        if (auto name = reader.string("source", Presence::Optional))
            entries.push_back(SourceEntry { *name, reader.path_of("source") });
        return entries;
    }
    if (auto names = reader.string_array("sources", Presence::Optional, max_sources)) {
        if (names->empty())
            reader.sink().add(reader.path_of("sources"), "must list at least one source field");
        for (std::size_t index = 0; index < names->size(); ++index)
            entries.push_back(SourceEntry { (*names)[index], join_path(reader.path_of("sources"), index) });
    }
    return entries;
}

void check_sources(ObjectReader& reader, std::optional<Transform> transform, std::string_view transform_name, std::vector<SourceEntry> const& entries, model::OutputColumn& column)
{
    static auto const names = field_names();
    for (auto const& entry : entries) {
        auto const field = model::field_from_name(entry.name);
        if (!field) {
            reader.sink().add(entry.path, "unknown source field " + in_quotes(entry.name) + did_you_mean(entry.name, names));
            continue;
        }
        auto const& info = model::info(*field);
        if (info.never_shared) {
            reader.sink().add(entry.path, std::string(info.name) + " can never be mapped: internal free text");
            continue;
        }
        if (transform && *transform != Transform::Pseudonym && is_internal_reference(*field)) {
            reader.sink().add(entry.path, std::string(info.name) + " is an internal reference: only the pseudonym transform may use it");
            continue;
        }
        if (transform == Transform::DateFormat && info.kind != model::FieldKind::Date)
            reader.sink().add(entry.path, "date_format needs a date field; " + std::string(info.name) + " is not a date");
        else if (transform == Transform::PenceToPounds && info.kind != model::FieldKind::Pence)
            reader.sink().add(entry.path, "pence_to_pounds needs a pence field; " + std::string(info.name) + " is not an amount in pence");
        column.sources.push_back(*field);
    }
    if (!transform)
        return;
    if (*transform == Transform::Constant) {
        if (reader.has("source") || reader.has("sources"))
            reader.sink().add(reader.path_of(reader.has("source") ? "source" : "sources"), "a constant takes no source fields");
        return;
    }
    if (!reader.has("source") && !reader.has("sources"))
        reader.sink().add(reader.path_of("sources"), "missing sources: transform '" + std::string(transform_name) + "' needs 'source' or 'sources'");
    else if (entries.size() > 1 && !takes_many_sources(*transform))
        reader.sink().add(reader.path_of("sources"), "transform '" + std::string(transform_name) + "' takes exactly one source field");
}

void read_lookup_table(ObjectReader& reader, model::OutputColumn& column)
{
    auto const* table = reader.object("table", Presence::Required);
    if (table == nullptr)
        return;
    auto const table_path = reader.path_of("table");
    if (table->empty())
        reader.sink().add(table_path, "lookup table must have at least one entry");
    if (table->size() > max_table_entries)
        reader.sink().add(table_path, "lookup table has more than " + std::to_string(max_table_entries) + " entries");
    // For a field with a fixed set of values, a key outside the set can never match: it is
    // a typo that would otherwise silently fall through to the default.
    std::span<std::string_view const> allowed;
    if (column.sources.size() == 1) {
        auto const field = column.sources.front();
        allowed = model::allowed_values(field);
        if (model::info(field).kind == model::FieldKind::YesNo) {
            static constexpr std::string_view yes_no[] = { "Y", "N" };
            allowed = yes_no;
        }
    }
    for (auto const& item : table->items()) {
        auto const entry_path = join_path(table_path, item.key());
        if (!item.value().is_string()) {
            reader.sink().add(entry_path, std::string("must be a string, not ") + type_name(item.value()));
            continue;
        }
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
            reader.sink().add(entry_path, in_quotes(item.key()) + " is not a value " + std::string(model::name_of(column.sources.front())) + " can take" + did_you_mean(item.key(), allowed));
            continue;
        }
        column.table.emplace(item.key(), item.value().get<std::string>());
    }
    if (auto fallback = reader.string("default", Presence::Optional, ObjectReader::Emptiness::Allowed))
        column.default_value = *fallback;
}

void read_transform_settings(ObjectReader& reader, Transform transform, model::OutputColumn& column)
{
    switch (transform) {
    case Transform::DateFormat:
        if (auto format = reader.string("format", Presence::Optional)) {
            auto const problem = check_date_format(*format);
            if (!problem.empty())
                reader.sink().add(reader.path_of("format"), problem);
            column.date_format = *format;
        }
        break;
    case Transform::Truncate:
        if (!reader.has("max_length"))
            reader.sink().add(reader.path_of("max_length"), "truncate needs max_length");
        break;
    case Transform::Mask:
        if (auto keep = reader.unsigned_integer("keep_last", Presence::Optional)) {
            if (*keep > 64)
                reader.sink().add(reader.path_of("keep_last"), "keep_last must be at most 64");
            else
                column.keep_last = static_cast<std::size_t>(*keep);
        }
        if (auto mask = reader.string("mask_char", Presence::Optional)) {
            if (mask->size() != 1 || static_cast<unsigned char>((*mask)[0]) < 0x20 || static_cast<unsigned char>((*mask)[0]) >= 0x7f)
                reader.sink().add(reader.path_of("mask_char"), "mask_char must be one printable ASCII character");
            else
                column.mask_char = (*mask)[0];
        }
        break;
    case Transform::Constant:
        if (auto value = reader.string("value", Presence::Required, ObjectReader::Emptiness::Allowed)) {
            if (value->size() > max_constant_bytes)
                reader.sink().add(reader.path_of("value"), "constant is longer than " + std::to_string(max_constant_bytes) + " bytes");
            column.constant = *value;
        }
        break;
    case Transform::Concatenate:
        if (auto separator = reader.string("separator", Presence::Optional, ObjectReader::Emptiness::Allowed)) {
            if (separator->size() > 16)
                reader.sink().add(reader.path_of("separator"), "separator is longer than 16 bytes");
            column.separator = *separator;
        }
        break;
    case Transform::Lookup: read_lookup_table(reader, column); break;
    default: break;
    }
}

void read_column(Json const& value, std::string const& path, ProblemSink& sink, model::OutputFormat format, model::Mapping& mapping, std::map<std::string, std::string>& names_seen)
{
    if (!expect_object(value, path, sink))
        return;
    ObjectReader reader(value, path, sink, all_column_keys);
    model::OutputColumn column;

    if (auto name = reader.string("name", Presence::Required)) {
        auto const name_path = reader.path_of("name");
        if (name->size() > max_name_bytes)
            sink.add(name_path, "column name is longer than " + std::to_string(max_name_bytes) + " bytes");
        else if (has_control_character(*name))
            sink.add(name_path, "column name must not hold control characters");
        else if (format == model::OutputFormat::Xml && !model::is_valid_xml_name(*name))
            sink.add(name_path, in_quotes(*name) + " is not a valid XML element name");
        if (auto [where, inserted] = names_seen.emplace(*name, path); !inserted)
            sink.add(name_path, "duplicate column name " + in_quotes(*name) + " (first used at " + where->second + ")");
        column.name = *name;
    }

    std::string transform_name = "copy";
    std::optional<Transform> transform = Transform::Copy;
    if (auto text = reader.string("transform", Presence::Optional)) {
        transform_name = *text;
        transform = model::transform_from_string(*text);
        if (!transform)
            sink.add(reader.path_of("transform"), "unknown transform " + in_quotes(*text) + did_you_mean(*text, transform_names));
    } else if (reader.has("transform")) {
        transform.reset(); // wrong type, already reported
    }

    if (transform) {
        for (auto key : all_column_keys) {
            auto const owner = owner_of_key(key);
            if (!owner.empty() && reader.has(key) && owner != model::to_string(*transform))
                sink.add(reader.path_of(key), "key '" + std::string(key) + "' does not apply to transform '" + transform_name + "' (only to '" + std::string(owner) + "')");
        }
    }

    auto const entries = read_source_entries(reader);
    check_sources(reader, transform, transform_name, entries, column);

    if (auto required = reader.boolean("required", Presence::Optional))
        column.required = *required;
    if (auto length = reader.unsigned_integer("max_length", Presence::Optional, 1)) {
        if (*length > max_length_limit)
            sink.add(reader.path_of("max_length"), "max_length must be at most " + std::to_string(max_length_limit));
        else
            column.max_length = static_cast<std::size_t>(*length);
    }
    if (transform) {
        column.transform = *transform;
        read_transform_settings(reader, *transform, column);
    }
    mapping.columns.push_back(std::move(column));
}

} // namespace

void read_columns(ObjectReader& root, model::OutputFormat format, model::Mapping& mapping)
{
    auto const* columns = root.array("columns", Presence::Required);
    if (columns == nullptr)
        return;
    auto const columns_path = root.path_of("columns");
    if (columns->empty()) {
        root.sink().add(columns_path, "must have at least one column");
        return;
    }
    if (columns->size() > max_columns) {
        root.sink().add(columns_path, "has more than " + std::to_string(max_columns) + " columns");
        return;
    }
    std::map<std::string, std::string> names_seen;
    std::size_t index = 0;
    for (auto const& column : *columns) {
        read_column(column, join_path(columns_path, index), root.sink(), format, mapping, names_seen);
        ++index;
    }
}

} // namespace dcagw::config::detail
