// cases/xml_case_scanner: finds each record element of an XML document of a declared shape
// (the case export's <cases><case>, or a return layout's root and record, xml_records.hpp)
// in the byte stream, without building the document. Internal to the cases module.
//
// Owns: the structure outside the records (prolog, the declared root, comments, processing
// instructions, what may follow the root; with RecordNameCheck::RefusesDocument, the name
// of each record element), the refusal of DOCTYPE and ENTITY declarations,
// the check of entity references in record text, and the bounding of each record by
// max_record_bytes (an over-long record is skipped byte by byte, never kept).
// Must never: expand an entity, hold more than one record, or let a record that does not
// end stop the reader silently (the end of the input inside a record is a file error).
#pragma once

#include "gateway/cases/case_reader_buffer.hpp"
#include "gateway/cases/xml_records.hpp"

#include <cstdint>
#include <string>

namespace dcagw::cases::detail {

class XmlCaseScanner {
public:
    XmlCaseScanner(InputBuffer& buffer, model::InputLimits const& limits, XmlDocumentShape shape = {})
        : m_buffer(buffer), m_limits(limits), m_shape(std::move(shape)) {}

    // One top-level child element of the root: bytes [begin, end) of the buffer, valid until
    // the next call. `oversize` and `problem` say why it must be rejected unread.
    struct Fragment {
        std::size_t begin { 0 };
        std::size_t end { 0 };
        std::uint64_t line { 0 };
        bool oversize { false };
        std::string problem;
    };

    base::Result<void> start();
    // False once the document has ended properly after the root's end tag.
    base::Result<bool> next(Fragment& fragment);

private:
    enum class Phase : std::uint8_t { Prolog, InRoot, AfterRoot };
    enum class State : std::uint8_t { Text, Comment, CData, ProcessingInstruction, StartTagName, StartTagBody, EndTagName, EndTagBody };
    enum class Step : std::uint8_t { Progress, NeedMore, RecordComplete, DocumentEnded };

    base::Result<Step> step(bool end_of_input);
    base::Result<Step> step_text(bool end_of_input);
    base::Result<Step> classify_markup(bool end_of_input);
    base::Result<Step> check_entity(bool end_of_input);
    base::Result<Step> on_start_tag(bool self_closing);
    base::Result<Step> on_end_tag();
    base::Result<Step> at_end_of_input();
    base::Error file_error(std::string text, std::size_t position);
    std::string root_tag() const { return "<" + m_shape.root + ">"; }
    std::string record_tag() const { return "<" + m_shape.record + ">"; }
    std::size_t keep_from() const;
    void record_problem(std::string text)
    {
        if (m_problem.empty())
            m_problem = std::move(text);
    }

    InputBuffer& m_buffer;
    model::InputLimits m_limits;
    XmlDocumentShape m_shape;
    std::size_t m_position { 0 };
    Phase m_phase { Phase::Prolog };
    State m_state { State::Text };
    // Progress through a terminator such as "-->" and the open quote of an attribute.
    std::size_t m_match { 0 };
    char m_quote { 0 };
    char m_last_significant { 0 };
    std::size_t m_tag_start { 0 };
    std::size_t m_name_start { 0 };
    std::size_t m_name_end { 0 };
    bool m_in_record { false };
    std::size_t m_depth { 0 };
    std::size_t m_record_start { 0 };
    std::uint64_t m_record_line { 0 };
    bool m_oversize { false };
    std::string m_problem;
};

} // namespace dcagw::cases::detail
