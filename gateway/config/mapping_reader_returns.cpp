// The "returns" part of a mapping: one layout per kind of file the agency sends back
// (docs/returns.md). Every rule here exists so that a return file is read exactly as the
// agency publishes it, and so that no agency code is ever guessed.
#include "gateway/config/mapping_reader.hpp"
#include "gateway/config/mapping_reader_json.hpp"
#include "gateway/config/mapping_reader_layouts.hpp"
#include "gateway/base/text.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace dcagw::config::detail {

namespace {

using model::ReturnField;
using model::ReturnKind;

constexpr std::size_t max_layouts = 32;
constexpr std::size_t max_return_columns = 128;
constexpr std::size_t max_name_bytes = 128;

constexpr std::array<std::string_view, 18> layout_keys {
    "name", "description", "kind", "file_name", "remote_folder", "format", "csv", "xml", "columns", "money_unit",
    "amount_sign", "date_format", "reasons", "closure_codes", "refund_types", "acknowledgement_codes", "trace_outcomes", "$comment",
};
constexpr std::array<std::string_view, 2> csv_keys { "delimiter", "header" };
constexpr std::array<std::string_view, 4> column_keys { "name", "field", "required", "xml" };
constexpr std::array<std::string_view, 2> xml_keys { "root", "record" };
constexpr std::array<std::string_view, 7> kind_names { "acknowledgement", "activity", "closure", "trace", "payment", "refund", "payout" };
constexpr std::array<std::string_view, 3> format_names { "csv", "jsonl", "xml" };

bool is_glob_character(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '*' || c == '?';
}

std::string check_glob(std::string_view glob)
{
    if (glob.empty() || glob.size() > 200)
        return "file name pattern must be 1 to 200 characters";
    if (glob.front() == '.')
        return "file name pattern must not start with '.' (hidden and temporary files start with '.')";
    if (!std::all_of(glob.begin(), glob.end(), is_glob_character))
        return "file name pattern may only hold letters, digits, '.', '_', '-', '*' and '?'";
    return {};
}

// The fields each kind may read; docs/returns.md has the same table.
bool field_allowed(ReturnKind kind, ReturnField field)
{
    switch (field) {
    case ReturnField::Ignore:
    case ReturnField::AccountReference:
    case ReturnField::CustomerReference:
        return true;
    case ReturnField::Date:
        return kind != ReturnKind::Acknowledgement;
    case ReturnField::Code:
        return kind == ReturnKind::Acknowledgement || kind == ReturnKind::Activity || kind == ReturnKind::Closure || kind == ReturnKind::Trace || kind == ReturnKind::Refund;
    case ReturnField::FileName:
        return kind == ReturnKind::Acknowledgement;
    case ReturnField::Amount:
    case ReturnField::PaymentId:
        return kind == ReturnKind::Payment || kind == ReturnKind::Refund || kind == ReturnKind::Payout;
    case ReturnField::PaidAt:
        return kind == ReturnKind::Payment;
    case ReturnField::RefundId:
    case ReturnField::RefundType:
        return kind == ReturnKind::Refund;
    case ReturnField::PayoutId:
    case ReturnField::Gross:
    case ReturnField::Commission:
    case ReturnField::Vat:
    case ReturnField::Net:
        return kind == ReturnKind::Payout;
    default:
        return kind == ReturnKind::Trace && model::is_trace_field(field);
    }
}

std::vector<ReturnField> fields_needed(ReturnKind kind)
{
    switch (kind) {
    case ReturnKind::Acknowledgement: return { ReturnField::FileName, ReturnField::Code };
    case ReturnKind::Activity:
    case ReturnKind::Closure:
    case ReturnKind::Trace: return { ReturnField::AccountReference, ReturnField::Date, ReturnField::Code };
    case ReturnKind::Payment:
    case ReturnKind::Refund: return { ReturnField::AccountReference, ReturnField::PaymentId, ReturnField::Amount, ReturnField::Date };
    case ReturnKind::Payout: return { ReturnField::PayoutId, ReturnField::Date };
    }
    return {};
}

// An XML layout's column is an element or attribute name; "xml" says which (docs/returns.md).
void read_xml_place(ObjectReader& column_reader, model::ReturnFormat format, model::ReturnColumn& column)
{
    if (format != model::ReturnFormat::Xml) {
        if (column_reader.string("xml", Presence::Optional))
            column_reader.sink().add(column_reader.path_of("xml"), "'xml' is only read in an 'xml' layout");
        return;
    }
    if (!column.name.empty() && !model::is_valid_xml_name(column.name))
        column_reader.sink().add(column_reader.path_of("name"), in_quotes(column.name) + " is not a valid XML element or attribute name");
    static constexpr std::array<std::pair<std::string_view, model::XmlPlace>, 2> places { {
        { "element", model::XmlPlace::Element },
        { "attribute", model::XmlPlace::Attribute },
    } };
    read_choice(column_reader, "xml", places, column.xml_place);
}

// The root and record element names of an XML layout, required there and refused elsewhere.
void read_xml_settings(ObjectReader& reader, model::ReturnLayout& layout)
{
    auto& sink = reader.sink();
    auto const* xml = reader.object("xml", Presence::Optional);
    if (layout.format != model::ReturnFormat::Xml) {
        if (xml != nullptr)
            sink.add(reader.path_of("xml"), "'xml' settings are only read in an 'xml' layout");
        return;
    }
    if (xml == nullptr) {
        sink.add(reader.path_of("xml"), "an 'xml' layout needs 'xml' with its 'root' and 'record' element names");
        return;
    }
    ObjectReader xml_reader(*xml, reader.path_of("xml"), sink, xml_keys);
    for (auto [key, target] : { std::pair { "root", &layout.xml_root }, std::pair { "record", &layout.xml_record } }) {
        auto name = xml_reader.string(key, Presence::Required);
        if (!name)
            continue;
        if (!model::is_valid_xml_name(*name))
            sink.add(xml_reader.path_of(key), in_quotes(*name) + " is not a valid XML element name");
        *target = *name;
    }
    if (!layout.xml_root.empty() && layout.xml_root == layout.xml_record)
        sink.add(xml_reader.path_of("record"), "the record element must be named apart from the root element");
}

void read_layout_columns(ObjectReader& reader, model::ReturnLayout& layout)
{
    // Without a columns array (missing, or not an array: reported) the checks of which
    // fields the kind needs would only repeat the problem.
    if (reader.array("columns", Presence::Required) == nullptr)
        return;
    std::set<std::string, std::less<>> names;
    std::set<ReturnField> fields;
    auto const field_names = names_up_to(ReturnField::Email);
    for_each_object(reader, "columns", Presence::Required, 1, max_return_columns, "columns", [&](Json const& element, std::string const& path) {
        ObjectReader column_reader(element, path, reader.sink(), column_keys);
        model::ReturnColumn column;
        if (auto name = read_column_name(column_reader, names, max_name_bytes))
            column.name = *name;
        if (auto field_text = column_reader.string("field", Presence::Required)) {
            auto const field = model::return_field_from_string(*field_text);
            if (!field)
                column_reader.sink().add(column_reader.path_of("field"), "unknown return field " + in_quotes(*field_text) + did_you_mean(*field_text, field_names));
            else if (!field_allowed(layout.kind, *field))
                column_reader.sink().add(column_reader.path_of("field"), "field " + in_quotes(*field_text) + " is not read in a " + std::string(model::to_string(layout.kind)) + " file");
            else if (*field != ReturnField::Ignore && !fields.insert(*field).second)
                column_reader.sink().add(column_reader.path_of("field"), "field " + in_quotes(*field_text) + " is read from two columns");
            else
                column.field = *field;
        }
        if (auto required = column_reader.boolean("required", Presence::Optional))
            column.required = *required;
        read_xml_place(column_reader, layout.format, column);
        layout.columns.push_back(std::move(column));
    });
    for (auto const field : fields_needed(layout.kind))
        if (!fields.contains(field))
            reader.sink().add(reader.path_of("columns"), "a " + std::string(model::to_string(layout.kind)) + " layout needs a column for '" + std::string(model::to_string(field)) + "'");
    if (layout.kind == ReturnKind::Payout) {
        bool const lines = fields.contains(ReturnField::PaymentId) && fields.contains(ReturnField::Amount);
        bool const totals = fields.contains(ReturnField::Gross) && fields.contains(ReturnField::Commission) && fields.contains(ReturnField::Vat) && fields.contains(ReturnField::Net);
        bool const some_totals = fields.contains(ReturnField::Gross) || fields.contains(ReturnField::Commission) || fields.contains(ReturnField::Vat) || fields.contains(ReturnField::Net);
        if (!lines && !totals)
            reader.sink().add(reader.path_of("columns"), "a payout layout needs 'payment_id' and 'amount' (payout lines), or 'gross', 'commission', 'vat' and 'net' (totals), or both");
        else if (some_totals && !totals)
            reader.sink().add(reader.path_of("columns"), "a payout's totals need all four of 'gross', 'commission', 'vat' and 'net'");
    }
    if (layout.kind == ReturnKind::Trace && std::none_of(fields.begin(), fields.end(), model::is_trace_field))
        reader.sink().add(reader.path_of("columns"), "a trace layout needs at least one address or contact field");
}

void read_layout_settings(ObjectReader& reader, model::ReturnLayout& layout)
{
    auto& sink = reader.sink();
    if (auto format = reader.string("format", Presence::Optional)) {
        if (*format == "csv")
            layout.format = model::ReturnFormat::Csv;
        else if (*format == "jsonl")
            layout.format = model::ReturnFormat::JsonLines;
        else if (*format == "xml")
            layout.format = model::ReturnFormat::Xml;
        else
            sink.add(reader.path_of("format"), "must be 'csv', 'jsonl' or 'xml', not " + in_quotes(*format) + did_you_mean(*format, format_names));
    }
    read_xml_settings(reader, layout);
    if (auto const* csv = reader.object("csv", Presence::Optional)) {
        if (layout.format != model::ReturnFormat::Csv)
            sink.add(reader.path_of("csv"), "'csv' settings are only read in a 'csv' layout");
        ObjectReader csv_reader(*csv, reader.path_of("csv"), sink, csv_keys);
        if (auto delimiter = read_csv_delimiter(csv_reader))
            layout.csv_delimiter = *delimiter;
        if (auto header = csv_reader.boolean("header", Presence::Optional))
            layout.csv_header = *header;
    }
    read_money_unit(reader, layout.money_unit);
    static constexpr std::array<std::pair<std::string_view, model::AmountSign>, 2> signs { {
        { "positive", model::AmountSign::Positive },
        { "negative", model::AmountSign::Negative },
    } };
    read_choice(reader, "amount_sign", signs, layout.amount_sign);
    static constexpr std::array<std::pair<std::string_view, model::ReturnDateFormat>, 3> date_formats { {
        { "YYYY-MM-DD", model::ReturnDateFormat::IsoDate },
        { "RFC3339", model::ReturnDateFormat::Rfc3339 },
        { "DD/MM/YYYY", model::ReturnDateFormat::UkDate },
    } };
    read_choice(reader, "date_format", date_formats, layout.date_format);
}

void read_layout(Json const& element, std::string const& path, ProblemSink& sink, model::ReturnLayout& layout)
{
    ObjectReader reader(element, path, sink, layout_keys);
    if (auto name = reader.string("name", Presence::Required)) {
        if (!is_valid_agency_id(*name))
            sink.add(reader.path_of("name"), in_quotes(*name) + " is not a valid layout name (lower-case letters, digits and '-', at most 40)");
        layout.name = *name;
    }
    if (auto description = reader.string("description", Presence::Optional, ObjectReader::Emptiness::Allowed))
        layout.description = *description;
    bool kind_known = false;
    if (auto kind = reader.string("kind", Presence::Required)) {
        if (auto parsed = model::return_kind_from_string(*kind)) {
            layout.kind = *parsed;
            kind_known = true;
        } else {
            sink.add(reader.path_of("kind"), "unknown return kind " + in_quotes(*kind) + did_you_mean(*kind, kind_names));
        }
    }
    if (auto glob = reader.string("file_name", Presence::Required)) {
        if (auto problem = check_glob(*glob); !problem.empty())
            sink.add(reader.path_of("file_name"), problem);
        layout.file_name_glob = *glob;
    }
    if (auto folder = reader.string("remote_folder", Presence::Optional)) {
        if (auto problem = check_remote_folder(*folder); !problem.empty())
            sink.add(reader.path_of("remote_folder"), problem);
        layout.remote_folder = *folder;
    }
    read_layout_settings(reader, layout);
    if (!kind_known)
        return; // the columns and tables depend on the kind
    read_layout_columns(reader, layout);
    read_return_tables(reader, layout);
    if (!layout.csv_header)
        sink.add(reader.path_of("csv"), "return files must have a header row: it is checked against the layout before any line is read");
}

// Two layouts a file could match in the same way cannot be told apart.
void check_distinct(std::vector<model::ReturnLayout> const& layouts, ProblemSink& sink)
{
    for (std::size_t i = 0; i < layouts.size(); ++i)
        for (std::size_t j = i + 1; j < layouts.size(); ++j) {
            auto const& a = layouts[i];
            auto const& b = layouts[j];
            if (a.name == b.name)
                sink.add(join_path("/returns", j), "layout name " + in_quotes(a.name) + " is used twice");
            auto const names = [](model::ReturnLayout const& layout) {
                std::vector<std::string> result;
                for (auto const& column : layout.columns)
                    result.push_back(column.name);
                return result;
            };
            if (a.file_name_glob == b.file_name_glob && a.remote_folder == b.remote_folder && names(a) == names(b))
                sink.add(join_path("/returns", j), "layouts " + in_quotes(a.name) + " and " + in_quotes(b.name) + " have the same file name, remote folder and header row: a file could not be told apart");
        }
}

} // namespace

void read_returns(ObjectReader& root, model::Mapping& mapping)
{
    for_each_object(root, "returns", Presence::Optional, 0, max_layouts, "return layouts", [&](Json const& element, std::string const& path) {
        model::ReturnLayout layout;
        read_layout(element, path, root.sink(), layout);
        mapping.returns.push_back(std::move(layout));
    });
    check_distinct(mapping.returns, root.sink());
}

} // namespace dcagw::config::detail
