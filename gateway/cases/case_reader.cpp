#include "gateway/cases/case_reader.hpp"

#include "gateway/cases/case_reader_buffer.hpp"
#include "gateway/base/text.hpp"

namespace dcagw::cases {

namespace {

base::Result<model::InputFormat> format_from_extension(std::filesystem::path const& name)
{
    std::string const extension = base::to_lower_ascii(name.extension().string());
    if (extension == ".csv")
        return model::InputFormat::Csv;
    if (extension == ".jsonl" || extension == ".ndjson")
        return model::InputFormat::JsonLines;
    if (extension == ".xml")
        return model::InputFormat::Xml;
    return base::make_error(base::ErrorCode::Usage,
        "cannot tell the input format from the extension '" + extension + "' (use .csv, .jsonl, .ndjson or .xml, or name the format)");
}

base::Result<std::unique_ptr<CaseReader>> open_from_source(std::unique_ptr<detail::ByteSource> source, model::InputFormat format,
    model::InputLimits const& limits, std::string display_name)
{
    switch (format) {
    case model::InputFormat::Csv:
        return detail::open_csv_case_reader(std::move(source), limits, std::move(display_name));
    case model::InputFormat::JsonLines:
        return detail::open_jsonl_case_reader(std::move(source), limits, std::move(display_name));
    case model::InputFormat::Xml:
        return detail::open_xml_case_reader(std::move(source), limits, std::move(display_name));
    case model::InputFormat::Auto:
        break;
    }
    return base::make_error(base::ErrorCode::Internal, "input format not resolved");
}

base::Result<void> check_limits(model::InputLimits const& limits)
{
    // A zero limit would make every record a rejection; a record limit beyond 1 GiB would
    // make the fixed read buffer unreasonable. Both are configuration mistakes.
    if (limits.max_record_bytes == 0 || limits.max_fields == 0 || limits.max_field_bytes == 0 || limits.max_record_bytes > (1u << 30))
        return base::make_error(base::ErrorCode::ConfigInvalid, "input limits must be above zero and max_record_bytes at most 1 GiB");
    return {};
}

} // namespace

base::Result<ReadOutcome> CaseReader::next(model::RawRecord& record, model::Rejection& rejection)
{
    auto result = next_record(record, rejection);
    if (result.is_error())
        return result.release_error().with_context("reading " + m_display_name);
    return result;
}

void CaseReader::add_warning(std::string text)
{
    if (m_warnings.size() > max_warnings || m_warned.contains(text))
        return;
    if (m_warnings.size() == max_warnings) {
        m_warnings.emplace_back("further warnings are not listed");
        return;
    }
    m_warned.insert(text);
    m_warnings.push_back(std::move(text));
}

base::Result<std::unique_ptr<CaseReader>> open_case_reader(std::filesystem::path const& path, model::InputFormat format,
    model::InputLimits const& limits, std::string display_name)
{
    std::string const context = "reading " + display_name;
    TRY_CONTEXT(check_limits(limits), context);
    if (format == model::InputFormat::Auto)
        format = TRY_CONTEXT(format_from_extension(path), context);
    auto source = TRY_CONTEXT(detail::open_file_source(path, limits.max_file_bytes), context);
    return TRY_CONTEXT(open_from_source(std::move(source), format, limits, std::move(display_name)), context);
}

base::Result<std::unique_ptr<CaseReader>> open_case_reader_from_memory(std::string_view bytes, model::InputFormat format,
    model::InputLimits const& limits, std::string display_name, std::size_t chunk_bytes)
{
    std::string const context = "reading " + display_name;
    TRY_CONTEXT(check_limits(limits), context);
    if (format == model::InputFormat::Auto)
        format = TRY_CONTEXT(format_from_extension(display_name), context);
    if (bytes.size() > limits.max_file_bytes)
        return base::make_error(base::ErrorCode::InputTooLarge, "the file is larger than the limit of " + std::to_string(limits.max_file_bytes) + " bytes (max_file_bytes)")
            .with_context(context);
    auto source = detail::make_memory_source(bytes, chunk_bytes);
    return TRY_CONTEXT(open_from_source(std::move(source), format, limits, std::move(display_name)), context);
}

} // namespace dcagw::cases
