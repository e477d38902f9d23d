// cases/xml_records: a streaming reader of flat XML record documents of a declared shape
// (a root element holding only record elements, each holding one value per attribute or
// child element), for readers outside cases: layouts' XML return files
// (docs/returns.md, "XML returns"). It is the XML case export's scanner and fragment
// parser behind an interface without pugixml, so pugixml stays included by cases alone.
//
// Owns: the document structure (prolog, the declared root, nothing else at top level, with
// RecordNameCheck::RefusesDocument only record elements in the root), the refusal of
// DOCTYPE and ENTITY declarations (no entity is ever expanded), the bounds of
// model::InputLimits (file, record; fields per record counted here, field bytes and UTF-8
// left to the caller, who names the column), and the line each record starts on.
// Must never: hold more than one record, put a value into a problem's text, or expose a
// pugixml type.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/config.hpp"

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::cases {

// What a root child of another name than the record's means.
enum class XmlRecordNameCheck : std::uint8_t {
    LeftToReader,    // the case export: that one record is rejected by the reader
    RefusesDocument, // a return file: the document is not the declared layout
};

struct XmlDocumentShape {
    std::string root { "cases" };
    std::string record { "case" };
    XmlRecordNameCheck record_name_check { XmlRecordNameCheck::LeftToReader };
    // How errors name the document: "DOCTYPE ... are not accepted in <document>".
    std::string document { "a case export" };
};

enum class XmlValueSource : std::uint8_t { Attribute, Element };

// One value of a record: an attribute of the record element or a child element's text
// (character references and the five predefined entities decoded, CDATA joined).
struct XmlValue {
    XmlValueSource source { XmlValueSource::Element };
    std::string_view name;
    std::string_view value;
};

struct XmlRecord {
    std::uint64_t line { 0 }; // the line the record's start tag is on, 1-based
    // The record element's attributes, then its child elements, in document order. Views
    // valid until the next call of next().
    std::vector<XmlValue> values;
    // Non-empty when the record cannot be read (then `values` is incomplete): why, in
    // words that hold no value. `problem_element` is the child element it concerns, as
    // written (the caller decides whether to show it), or empty for the whole record.
    std::string problem;
    std::string problem_element;
};

class XmlRecordReader {
public:
    virtual ~XmlRecordReader() = default;
    // True: `record` holds the next record (or its problem). False: the document ended
    // properly. An error: the document as a whole cannot be read further ("line N: ..."):
    // not the declared shape, a DOCTYPE, malformed outside a record, over max_file_bytes
    // (InputTooLarge), unreadable (FileUnreadable).
    virtual base::Result<bool> next(XmlRecord& record) = 0;
};

// Reads `input` (which must outlive the reader) in 64 KiB reads. A UTF-8 byte order mark at
// the start is skipped; an XML declaration naming another encoding than UTF-8 is an error.
base::Result<std::unique_ptr<XmlRecordReader>> open_xml_record_reader(std::istream& input, XmlDocumentShape shape,
    model::InputLimits const& limits);

} // namespace dcagw::cases
