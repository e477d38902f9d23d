// The XML record reader for other modules (xml_records.hpp): the case export's scanner
// finds each record element in the stream, and pugixml parses just that fragment, in place
// in the read buffer, as in xml_case_reader.cpp. Memory is the read buffer (one record plus
// one 64 KiB read) and the record's parsed fragment, whatever the document's size.
#include "gateway/cases/xml_records.hpp"

#include "gateway/cases/case_reader_buffer.hpp"
#include "gateway/cases/xml_case_scanner.hpp"
#include "gateway/cases/xml_element_text.hpp"

#include <pugixml.hpp>

#include <new>

namespace dcagw::cases {

namespace {

using detail::InputBuffer;
using detail::Scratch;
using detail::XmlCaseScanner;

// Return files are read from a stream (the plaintext after the envelope).
class StreamSource final : public detail::ByteSource {
public:
    explicit StreamSource(std::istream& input) : m_input(input) {}

    base::Result<std::size_t> read(char* destination, std::size_t size) override
    {
        if (!m_input.good())
            return std::size_t { 0 };
        m_input.read(destination, static_cast<std::streamsize>(size));
        if (m_input.bad())
            return base::make_error(base::ErrorCode::FileUnreadable, "reading failed");
        return static_cast<std::size_t>(m_input.gcount());
    }
    std::size_t largest_read() const override { return 64 * 1024; }

private:
    std::istream& m_input;
};

bool is_blank(std::string_view text)
{
    for (char const byte : text)
        if (byte != ' ' && byte != '\t' && byte != '\r' && byte != '\n')
            return false;
    return true;
}

class Reader final : public XmlRecordReader {
public:
    Reader(std::istream& input, XmlDocumentShape shape, model::InputLimits const& limits)
        : m_limits(limits)
        , m_buffer(std::make_unique<StreamSource>(input), limits)
        , m_scanner(m_buffer, limits, shape)
        , m_shape(std::move(shape))
        , m_scratch(limits.max_record_bytes)
    {
    }

    base::Result<void> start() { return m_scanner.start(); }
    base::Result<bool> next(XmlRecord& record) override;

private:
    // Fills record.values; false (with record.problem) when the record cannot be read.
    bool read_values(pugi::xml_node element, XmlRecord& record);
    bool add(XmlRecord& record, XmlValueSource source, std::string_view name, std::string_view value);
    std::string record_tag() const { return "<" + m_shape.record + ">"; }

    model::InputLimits m_limits;
    InputBuffer m_buffer;
    XmlCaseScanner m_scanner;
    XmlDocumentShape m_shape;
    Scratch m_scratch;
    pugi::xml_document m_document;
};

bool Reader::add(XmlRecord& record, XmlValueSource source, std::string_view name, std::string_view value)
{
    if (record.values.size() >= m_limits.max_fields) {
        record.problem = "the record has more than " + std::to_string(m_limits.max_fields) + " attributes and field elements (max_fields)";
        return false;
    }
    record.values.push_back(XmlValue { source, name, value });
    return true;
}

bool Reader::read_values(pugi::xml_node element, XmlRecord& record)
{
    for (pugi::xml_attribute attribute = element.first_attribute(); attribute; attribute = attribute.next_attribute())
        if (!add(record, XmlValueSource::Attribute, attribute.name(), attribute.value()))
            return false;
    for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
            if (!is_blank(child.value())) {
                record.problem = "text directly inside " + record_tag() + " (each value belongs in its own field element)";
                return false;
            }
            continue;
        }
        if (child.type() != pugi::node_element)
            continue; // comments and processing instructions hold no value
        std::string_view const name = child.name();
        if (child.first_attribute()) {
            record.problem_element = std::string(name);
            record.problem = "the field element has attributes (its value belongs in its text)";
            return false;
        }
        auto const value = element_text(child, m_scratch);
        if (!value) {
            record.problem_element = std::string(name);
            record.problem = "the field element contains another element";
            return false;
        }
        if (!add(record, XmlValueSource::Element, name, *value))
            return false;
    }
    return true;
}

base::Result<bool> Reader::next(XmlRecord& record)
{
    // The previous record's views end here: its document is dropped before the buffer moves.
    m_document.reset();
    record.values.clear();
    record.problem.clear();
    record.problem_element.clear();
    XmlCaseScanner::Fragment fragment;
    if (!TRY(m_scanner.next(fragment)))
        return false;
    record.line = fragment.line;
    if (fragment.oversize) {
        record.problem = "the record is longer than " + std::to_string(m_limits.max_record_bytes) + " bytes (max_record_bytes)";
        return true;
    }
    if (!fragment.problem.empty()) {
        record.problem = "malformed record: " + fragment.problem;
        return true;
    }
    pugi::xml_parse_result parsed;
    try {
        unsigned const options = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol | pugi::parse_ws_pcdata_single;
        parsed = m_document.load_buffer_inplace(m_buffer.data() + fragment.begin, fragment.end - fragment.begin, options, pugi::encoding_utf8);
    } catch (std::bad_alloc const&) {
        return base::make_error(base::ErrorCode::Internal, "out of memory parsing an XML record");
    }
    if (!parsed) {
        record.problem = std::string("malformed record: ") + parsed.description() + " at byte " + std::to_string(parsed.offset) + " of the record";
        return true;
    }
    pugi::xml_node const element = m_document.document_element();
    if (std::string_view(element.name()) != m_shape.record) {
        record.problem = "an element other than " + record_tag() + " inside <" + m_shape.root + ">";
        return true;
    }
    m_scratch.clear();
    read_values(element, record);
    return true;
}

} // namespace

base::Result<std::unique_ptr<XmlRecordReader>> open_xml_record_reader(std::istream& input, XmlDocumentShape shape, model::InputLimits const& limits)
{
    auto reader = std::make_unique<Reader>(input, std::move(shape), limits);
    TRY(reader->start());
    return std::unique_ptr<XmlRecordReader>(std::move(reader));
}

} // namespace dcagw::cases
