// layouts/return_xml: XML return files (docs/returns.md, "XML returns").
//
// The document is the layout's root element holding only record elements; each record's
// values are its child elements (and, for columns declared "xml": "attribute", attributes
// of the record element) named by the layout's column names. The streaming, DOCTYPE- and
// entity-refusing scanner is cases/xml_records (the one pugixml user reads the bytes; this
// file sees names and values only). A root or a record element other than the layout's
// refuses the whole file, as a wrong CSV header does; anything wrong inside one record
// quarantines that record, at the line its start tag is on. A missing field element is an
// empty value (a required column then quarantines the record through the line builder); an
// element or attribute the layout does not declare, one given twice, an over-long value or
// invalid UTF-8 quarantine the record. Element names are not shown in reasons: they are
// the sender's text, as JSON keys are.
#include "gateway/base/text.hpp"
#include "gateway/cases/xml_records.hpp"
#include "gateway/layouts/return_formats.hpp"
#include "gateway/layouts/return_lines.hpp"

#include <optional>

namespace dcagw::layouts::detail {

namespace {

model::XmlPlace place_of(cases::XmlValueSource source)
{
    return source == cases::XmlValueSource::Attribute ? model::XmlPlace::Attribute : model::XmlPlace::Element;
}

std::optional<std::size_t> column_of(model::ReturnLayout const& layout, std::string_view name, model::XmlPlace place)
{
    for (std::size_t i = 0; i < layout.columns.size(); ++i)
        if (layout.columns[i].xml_place == place && layout.columns[i].name == name)
            return i;
    return std::nullopt;
}

// One record's values, one per column (empty when missing), or the reason it is quarantined.
std::optional<LineProblem> record_values(model::ReturnLayout const& layout, cases::XmlRecord const& record,
    model::InputLimits const& limits, std::vector<std::string>& values)
{
    if (!record.problem.empty()) {
        auto const column = column_of(layout, record.problem_element, model::XmlPlace::Element);
        return LineProblem { column ? layout.columns[*column].name : std::string(), record.problem };
    }
    values.assign(layout.columns.size(), {});
    std::vector<bool> seen(layout.columns.size(), false);
    std::size_t number[2] = { 0, 0 };
    for (auto const& value : record.values) {
        auto const place = place_of(value.source);
        auto const ordinal = ++number[place == model::XmlPlace::Attribute ? 0 : 1];
        auto const column = column_of(layout, value.name, place);
        if (!column)
            return LineProblem { {}, std::string(place == model::XmlPlace::Attribute ? "attribute " : "field element ") + std::to_string(ordinal) + " is not a column of layout '" + layout.name + "'" };
        auto const& name = layout.columns[*column].name;
        if (seen[*column])
            return LineProblem { name, "appears twice in the record" };
        seen[*column] = true;
        if (value.value.size() > limits.max_field_bytes)
            return LineProblem { name, "field is longer than " + std::to_string(limits.max_field_bytes) + " bytes" };
        if (!base::is_valid_utf8(value.value))
            return LineProblem { name, "field is not valid UTF-8" };
        values[*column].assign(value.value);
    }
    return std::nullopt;
}

base::Error file_error(base::Error const& error, ReturnReadOptions const& options)
{
    if (error.code() == base::ErrorCode::InputTooLarge)
        return file_too_large(options);
    return base::make_error(error.code(), options.file_label + ": " + error.message());
}

} // namespace

base::Result<ReturnReadCounts> read_xml_stream(model::ReturnLayout const& layout, std::istream& input, ReturnReadOptions const& options, ReturnSink& sink)
{
    cases::XmlDocumentShape shape { layout.xml_root, layout.xml_record, cases::XmlRecordNameCheck::RefusesDocument, "a return file" };
    auto opened = cases::open_xml_record_reader(input, std::move(shape), options.limits);
    if (!opened.ok())
        return file_error(opened.error(), options);
    auto reader = opened.release_value();
    cases::XmlRecord record;
    std::vector<std::string> values;
    ReturnReadCounts counts;
    for (;;) {
        auto found = reader->next(record);
        if (!found.ok())
            return file_error(found.error(), options);
        if (!found.value())
            break;
        if (auto bad = record_values(layout, record, options.limits, values)) {
            TRY(sink.reject(make_rejection(options, record.line, std::move(bad->column), std::move(bad->reason))));
            ++counts.lines_rejected;
            continue;
        }
        TRY(deliver_line(layout, values, record.line, options, sink, counts));
    }
    return counts;
}

} // namespace dcagw::layouts::detail
