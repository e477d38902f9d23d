#include "gateway/layouts/return_reader.hpp"

#include "gateway/base/text.hpp"
#include "gateway/layouts/return_csv.hpp"
#include "gateway/layouts/return_formats.hpp"
#include "gateway/layouts/return_lines.hpp"

#include <fstream>
#include <system_error>

namespace dcagw::layouts {

namespace {

using detail::CsvRecord;
using detail::CsvRecordReader;
using detail::RecordProblem;

// A column name from the file, for an error message: printable ASCII only, cut short.
// Header rows name columns, not people, but the text is still the sender's.
std::string shown_name(std::string_view text)
{
    std::string shown = "'";
    for (char const c : text.substr(0, 64))
        shown.push_back(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f ? c : '?');
    if (text.size() > 64)
        shown += "...";
    return shown + "'";
}

// The header problem, or empty when `fields` is exactly the layout's column names.
std::string header_problem(model::ReturnLayout const& layout, CsvRecord const& header)
{
    if (header.problem != RecordProblem::None)
        return "the header row is not well-formed CSV within the size limits";
    for (std::size_t i = 0; i < layout.columns.size(); ++i) {
        if (i >= header.fields.size())
            return "column " + std::to_string(i + 1) + " '" + layout.columns[i].name + "' is missing (the header has " + std::to_string(header.fields.size()) + " columns)";
        if (header.fields[i] != layout.columns[i].name)
            return "column " + std::to_string(i + 1) + " is " + shown_name(header.fields[i]) + " but layout '" + layout.name + "' declares '" + layout.columns[i].name + "'";
    }
    if (header.fields.size() > layout.columns.size())
        return "column " + std::to_string(layout.columns.size() + 1) + " " + shown_name(header.fields[layout.columns.size()]) + " is not in layout '" + layout.name + "'";
    return {};
}

std::string describe(RecordProblem problem, model::InputLimits const& limits)
{
    switch (problem) {
    case RecordProblem::RecordTooLong: return "line is longer than " + std::to_string(limits.max_record_bytes) + " bytes";
    case RecordProblem::TooManyFields: return "line has more than " + std::to_string(limits.max_fields) + " fields";
    case RecordProblem::FieldTooLong: return "field is longer than " + std::to_string(limits.max_field_bytes) + " bytes";
    case RecordProblem::BadQuoting: return "field is not well-formed CSV (a stray or unclosed quote)";
    case RecordProblem::None: break;
    }
    return {};
}

model::Rejection rejection(ReturnReadOptions const& options, std::uint64_t line, std::string field, std::string reason)
{
    return detail::make_rejection(options, line, std::move(field), std::move(reason));
}

// The quarantine reason for one record, or nullopt when it holds a good line.
std::optional<model::Rejection> check_record(model::ReturnLayout const& layout, CsvRecord const& record, ReturnReadOptions const& options)
{
    if (record.problem != RecordProblem::None) {
        std::string field;
        if ((record.problem == RecordProblem::FieldTooLong || record.problem == RecordProblem::BadQuoting) && record.problem_field < layout.columns.size())
            field = layout.columns[record.problem_field].name;
        return rejection(options, record.line, field, describe(record.problem, options.limits));
    }
    if (record.fields.size() != layout.columns.size())
        return rejection(options, record.line, {}, "line has " + std::to_string(record.fields.size()) + " fields; layout '" + layout.name + "' has " + std::to_string(layout.columns.size()) + " columns");
    for (std::size_t i = 0; i < record.fields.size(); ++i)
        if (!base::is_valid_utf8(record.fields[i]))
            return rejection(options, record.line, layout.columns[i].name, "field is not valid UTF-8");
    return std::nullopt;
}

base::Error too_large(ReturnReadOptions const& options)
{
    return detail::file_too_large(options);
}

base::Result<ReturnReadCounts> read_csv_stream(model::ReturnLayout const& layout, std::istream& input, ReturnReadOptions const& options, ReturnSink& sink);

} // namespace

namespace detail {

model::Rejection make_rejection(ReturnReadOptions const& options, std::uint64_t line, std::string field, std::string reason)
{
    model::Rejection result;
    result.file = options.file_label;
    result.line = line;
    result.field = std::move(field);
    result.reason = std::move(reason);
    return result;
}

base::Result<void> deliver_line(model::ReturnLayout const& layout, std::vector<std::string> const& values,
    std::uint64_t line, ReturnReadOptions const& options, ReturnSink& sink, ReturnReadCounts& counts)
{
    auto built = build_return_line(layout, values, line, options.today);
    if (auto* built_line = std::get_if<model::ReturnLine>(&built)) {
        TRY(sink.accept(*built_line));
        ++counts.lines_accepted;
        return {};
    }
    auto& problem = std::get<LineProblem>(built);
    TRY(sink.reject(make_rejection(options, line, std::move(problem.column), std::move(problem.reason))));
    ++counts.lines_rejected;
    return {};
}

base::Error file_too_large(ReturnReadOptions const& options)
{
    return base::Error(base::ErrorCode::InputTooLarge, options.file_label + ": the file is larger than the limit of " + std::to_string(options.limits.max_file_bytes) + " bytes (limits.max_file_bytes)");
}

} // namespace detail

base::Result<ReturnReadCounts> read_return_stream(model::ReturnLayout const& layout, std::istream& input, ReturnReadOptions const& options, ReturnSink& sink)
{
    switch (layout.format) {
    case model::ReturnFormat::Csv: return read_csv_stream(layout, input, options, sink);
    case model::ReturnFormat::JsonLines: return detail::read_jsonl_stream(layout, input, options, sink);
    case model::ReturnFormat::Xml: return detail::read_xml_stream(layout, input, options, sink);
    }
    return base::make_error(base::ErrorCode::Internal, options.file_label + ": layout '" + layout.name + "' has no known format");
}

namespace {

base::Result<ReturnReadCounts> read_csv_stream(model::ReturnLayout const& layout, std::istream& input, ReturnReadOptions const& options, ReturnSink& sink)
{
    CsvRecordReader reader(input, layout.csv_delimiter, options.limits);
    CsvRecord record;
    if (!reader.next(record))
        return base::make_error(base::ErrorCode::InputMalformed, options.file_label + ": line 1: the file is empty; layout '" + layout.name + "' starts with a header row");
    if (auto const problem = header_problem(layout, record); !problem.empty())
        return base::make_error(base::ErrorCode::InputMalformed, options.file_label + ": line 1: " + problem);
    ReturnReadCounts counts;
    while (reader.next(record)) {
        if (reader.bytes_read() > options.limits.max_file_bytes)
            return too_large(options);
        if (record.blank())
            continue; // an empty line (a trailing newline, a spacer) holds nothing
        auto quarantine = check_record(layout, record, options);
        if (!quarantine) {
            TRY(detail::deliver_line(layout, record.fields, record.line, options, sink, counts));
            continue;
        }
        TRY(sink.reject(*quarantine));
        ++counts.lines_rejected;
    }
    if (reader.failed())
        return base::make_error(base::ErrorCode::FileUnreadable, options.file_label + ": reading failed after " + std::to_string(reader.bytes_read()) + " bytes");
    return counts;
}

} // namespace

base::Result<ReturnReadCounts> read_return_file(model::ReturnLayout const& layout, std::filesystem::path const& plaintext, ReturnReadOptions const& options, ReturnSink& sink)
{
    std::error_code error;
    auto const size = std::filesystem::file_size(plaintext, error);
    if (error)
        return base::make_error(base::ErrorCode::FileUnreadable, options.file_label + ": " + error.message());
    if (size > options.limits.max_file_bytes)
        return too_large(options);
    std::ifstream input(plaintext, std::ios::binary);
    if (!input)
        return base::make_error(base::ErrorCode::FileUnreadable, options.file_label + ": cannot be opened");
    return read_return_stream(layout, input, options, sink);
}

base::Result<model::ReturnLayout const*> select_return_layout(model::Mapping const& mapping, std::string_view file_name,
    std::string_view remote_folder, std::filesystem::path const& plaintext, model::InputLimits const& limits)
{
    std::vector<model::ReturnLayout const*> candidates;
    for (auto const& layout : mapping.returns)
        if (model::glob_matches(layout.file_name_glob, file_name) && (layout.remote_folder.empty() || layout.remote_folder == remote_folder))
            candidates.push_back(&layout);
    auto const refused = [&](std::string why) {
        return base::make_error(base::ErrorCode::InputMalformed, std::string(file_name) + ": " + why + " in mapping '" + mapping.agency + "' (docs/returns.md); the file is refused whole");
    };
    if (candidates.empty())
        return refused("no return layout matches this file name" + std::string(remote_folder.empty() ? "" : " and remote folder '" + std::string(remote_folder) + "'"));
    if (candidates.size() == 1)
        return candidates.front();
    // Several layouts share the name (InDebted's YYYY-MM-DD.csv): the header row decides.
    std::vector<model::ReturnLayout const*> by_header;
    for (auto const* layout : candidates) {
        // Only CSV has a header row to tell layouts apart; a JSON Lines or XML layout that
        // shares its name with another is never chosen (docs/returns.md).
        if (layout->format != model::ReturnFormat::Csv)
            continue;
        std::ifstream input(plaintext, std::ios::binary);
        if (!input)
            return base::make_error(base::ErrorCode::FileUnreadable, std::string(file_name) + ": cannot be opened");
        CsvRecordReader reader(input, layout->csv_delimiter, limits);
        CsvRecord header;
        if (reader.next(header) && header_problem(*layout, header).empty())
            by_header.push_back(layout);
    }
    if (by_header.size() == 1)
        return by_header.front();
    std::string names;
    for (auto const* layout : candidates)
        names += (names.empty() ? "'" : ", '") + layout->name + "'";
    if (by_header.empty())
        return refused("the header row is none of the layouts this name can be (" + names + ")");
    return refused("the header row fits more than one layout (" + names + ")");
}

} // namespace dcagw::layouts
