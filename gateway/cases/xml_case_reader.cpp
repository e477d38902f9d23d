// The XML case export reader: the scanner finds each <case> element in the stream, and
// pugixml parses just that fragment, in place in the read buffer. The whole document is
// never built, so memory does not grow with the number of records.
#include "gateway/cases/case_reader.hpp"
#include "gateway/base/text.hpp"
#include "gateway/cases/case_reader_buffer.hpp"
#include "gateway/cases/xml_case_scanner.hpp"
#include "gateway/cases/xml_element_text.hpp"

#include <pugixml.hpp>

#include <cstring>
#include <new>

namespace dcagw::cases::detail {

namespace {

bool is_blank(std::string_view text)
{
    for (char const byte : text)
        if (byte != ' ' && byte != '\t' && byte != '\r' && byte != '\n')
            return false;
    return true;
}

class XmlCaseReader final : public CaseReader {
public:
    XmlCaseReader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name)
        : CaseReader(std::move(display_name))
        , m_limits(limits)
        , m_buffer(std::move(source), limits)
        , m_scanner(m_buffer, limits)
        , m_scratch(limits.max_record_bytes)
    {
    }

    base::Result<void> start() { return m_scanner.start(); }

private:
    base::Result<ReadOutcome> next_record(model::RawRecord& record, model::Rejection& rejection) override;
    // Empty when the record was read; otherwise the field (may be empty) and reason.
    bool read_fields(pugi::xml_node element, model::RawRecord& record, std::string& field, std::string& reason);

    model::InputLimits m_limits;
    InputBuffer m_buffer;
    XmlCaseScanner m_scanner;
    Scratch m_scratch;
    pugi::xml_document m_document;
};

bool XmlCaseReader::read_fields(pugi::xml_node element, model::RawRecord& record, std::string& field, std::string& reason)
{
    std::size_t elements = 0;
    for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
            if (!is_blank(child.value())) {
                reason = "text directly inside <case> (each value belongs in its own field element)";
                return false;
            }
            continue;
        }
        if (child.type() != pugi::node_element)
            continue;
        if (++elements > m_limits.max_fields) {
            reason = "the record has more than " + std::to_string(m_limits.max_fields) + " field elements (max_fields)";
            return false;
        }
        std::string_view const name = child.name();
        auto const canonical = lookup_field(name);
        auto const text = element_text(child, m_scratch);
        if (!text) {
            field = canonical ? std::string(name) : printable_name(name);
            reason = "the field element contains another element";
            return false;
        }
        std::string_view const value = *text;
        if (!canonical.has_value()) {
            add_warning("unknown element <" + printable_name(name) + "> ignored");
            continue;
        }
        field = std::string(name);
        auto const index = model::index_of(*canonical);
        if (record.present[index]) {
            reason = "the field appears twice";
            return false;
        }
        record.values[index] = value;
        record.present[index] = true;
        if (value.size() > m_limits.max_field_bytes) {
            reason = "the field is longer than the limit of " + std::to_string(m_limits.max_field_bytes) + " bytes (max_field_bytes)";
            return false;
        }
        if (!base::is_valid_utf8(value)) {
            reason = "the field is not valid UTF-8";
            return false;
        }
    }
    field.clear();
    return true;
}

base::Result<ReadOutcome> XmlCaseReader::next_record(model::RawRecord& record, model::Rejection& rejection)
{
    // The previous record's views end here: its document is dropped before the buffer moves.
    m_document.reset();
    XmlCaseScanner::Fragment fragment;
    bool const found = TRY(m_scanner.next(fragment));
    if (!found)
        return ReadOutcome::End;
    reset_record(record, display_name(), fragment.line);
    auto const reject = [&](std::string field, std::string reason) {
        make_rejection(rejection, display_name(), fragment.line, &record, field, std::move(reason));
        return ReadOutcome::Rejected;
    };
    if (fragment.oversize)
        return reject("", "the element is longer than the limit of " + std::to_string(m_limits.max_record_bytes) + " bytes (max_record_bytes)");
    if (!fragment.problem.empty())
        return reject("", "malformed element: " + fragment.problem);

    char* bytes = m_buffer.data() + fragment.begin;
    std::size_t const size = fragment.end - fragment.begin;
    pugi::xml_parse_result parsed;
    try {
        unsigned const options = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol | pugi::parse_ws_pcdata_single;
        parsed = m_document.load_buffer_inplace(bytes, size, options, pugi::encoding_utf8);
    } catch (std::bad_alloc const&) {
        return base::make_error(base::ErrorCode::Internal, "out of memory parsing an XML record");
    }
    if (!parsed)
        return reject("", std::string("malformed element: ") + parsed.description() + " at byte " + std::to_string(parsed.offset) + " of the element");
    pugi::xml_node const element = m_document.document_element();
    std::string_view const name = element.name();
    if (name != "case")
        return reject("", "unexpected element <" + printable_name(name) + "> inside <cases> (only <case> elements hold records)");
    m_scratch.clear();
    std::string field;
    std::string reason;
    if (!read_fields(element, record, field, reason))
        return reject(field, reason);
    return ReadOutcome::Record;
}

} // namespace

base::Result<std::unique_ptr<CaseReader>> open_xml_case_reader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name)
{
    auto reader = std::make_unique<XmlCaseReader>(std::move(source), limits, std::move(display_name));
    TRY(reader->start());
    return std::unique_ptr<CaseReader>(std::move(reader));
}

} // namespace dcagw::cases::detail
