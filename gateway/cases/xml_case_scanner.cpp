// The XML byte-stream scanner: a resumable state machine over the read buffer. Every piece
// of state lives in members, so the scan can stop at any byte when the buffer runs out and
// go on after a refill; positions are buffer offsets reduced by each refill's shift.
#include "gateway/cases/xml_case_scanner.hpp"

#include <algorithm>
#include <cstring>

namespace dcagw::cases::detail {

namespace {

bool is_xml_space(char byte)
{
    return byte == ' ' || byte == '\t' || byte == '\r' || byte == '\n';
}

bool is_name_start(char byte)
{
    auto const value = static_cast<unsigned char>(byte);
    return (value >= 'a' && value <= 'z') || (value >= 'A' && value <= 'Z') || value == '_' || value == ':' || value >= 0x80;
}

bool is_name_end(char byte)
{
    return is_xml_space(byte) || byte == '/' || byte == '>';
}

// The longest entity reference accepted: "&#x10FFFF;" with some leading zeros.
constexpr std::size_t max_entity_bytes = 12;

bool is_allowed_reference(std::string_view body)
{
    if (body == "amp" || body == "lt" || body == "gt" || body == "quot" || body == "apos")
        return true;
    if (body.size() < 2 || body[0] != '#')
        return false;
    bool const hexadecimal = body[1] == 'x';
    std::string_view const digits = body.substr(hexadecimal ? 2 : 1);
    if (digits.empty())
        return false;
    std::uint32_t value = 0;
    for (char const digit : digits) {
        std::uint32_t add;
        if (digit >= '0' && digit <= '9')
            add = static_cast<std::uint32_t>(digit - '0');
        else if (hexadecimal && digit >= 'a' && digit <= 'f')
            add = static_cast<std::uint32_t>(digit - 'a' + 10);
        else if (hexadecimal && digit >= 'A' && digit <= 'F')
            add = static_cast<std::uint32_t>(digit - 'A' + 10);
        else
            return false;
        value = value * (hexadecimal ? 16 : 10) + add;
        if (value > 0x10FFFF)
            return false;
    }
    // XML 1.0 Char production: no NUL, no other C0 controls, no surrogates.
    return value == 0x9 || value == 0xA || value == 0xD || (value >= 0x20 && value <= 0xD7FF) || (value >= 0xE000 && value <= 0xFFFD)
        || value >= 0x10000;
}

} // namespace

base::Error XmlCaseScanner::file_error(std::string text, std::size_t position)
{
    return base::make_error(base::ErrorCode::InputMalformed, "line " + std::to_string(m_buffer.line_at(std::max(position, m_position))) + ": " + text);
}

base::Result<void> XmlCaseScanner::start()
{
    m_position = TRY(m_buffer.skip_byte_order_mark());
    return {};
}

std::size_t XmlCaseScanner::keep_from() const
{
    if (m_in_record && !m_oversize)
        return m_record_start;
    bool const in_tag = m_state == State::StartTagName || m_state == State::StartTagBody || m_state == State::EndTagName || m_state == State::EndTagBody;
    if (!m_in_record && (in_tag || (m_state == State::ProcessingInstruction && m_phase == Phase::Prolog)))
        return m_tag_start;
    return m_position;
}

base::Result<bool> XmlCaseScanner::next(Fragment& fragment)
{
    for (;;) {
        Step const result = TRY(step(m_buffer.at_end_of_input()));
        if (m_in_record && !m_oversize && m_position - m_record_start > m_limits.max_record_bytes)
            m_oversize = true;
        if (!m_in_record && m_state != State::Text && m_state != State::Comment && m_position - m_tag_start > m_limits.max_record_bytes)
            return file_error("markup outside the " + record_tag() + " elements is longer than the limit of " + std::to_string(m_limits.max_record_bytes) + " bytes", m_tag_start);
        switch (result) {
        case Step::Progress:
            continue;
        case Step::NeedMore: {
            std::size_t const keep = keep_from();
            auto const refill = TRY(m_buffer.refill(keep));
            auto const shift = [&](std::size_t& position) { position = position >= refill.shift ? position - refill.shift : 0; };
            shift(m_position);
            shift(m_tag_start);
            shift(m_name_start);
            shift(m_name_end);
            shift(m_record_start);
            continue;
        }
        case Step::RecordComplete:
            fragment.begin = m_record_start;
            fragment.end = m_position;
            fragment.line = m_record_line;
            fragment.oversize = m_oversize;
            fragment.problem = std::move(m_problem);
            m_problem.clear();
            m_in_record = false;
            // Lines are counted before the record is handed out: the XML parser rewrites
            // the record's bytes in place.
            m_buffer.line_at(m_position);
            return true;
        case Step::DocumentEnded:
            return false;
        }
    }
}

base::Result<XmlCaseScanner::Step> XmlCaseScanner::step(bool end_of_input)
{
    char const* data = m_buffer.data();
    std::size_t const size = m_buffer.size();
    std::size_t p = m_position;
    switch (m_state) {
    case State::Text:
        return step_text(end_of_input);
    case State::Comment:
    case State::CData:
    case State::ProcessingInstruction: {
        // Terminators "-->", "]]>" and "?>": m_match counts the bytes of it already seen.
        char const repeat = m_state == State::Comment ? '-' : m_state == State::CData ? ']' : '?';
        std::size_t const needed = m_state == State::ProcessingInstruction ? 1 : 2;
        for (; p < size; ++p) {
            char const byte = data[p];
            if (byte == '>' && m_match >= needed) {
                m_position = p + 1;
                if (m_state == State::ProcessingInstruction && !m_in_record && m_phase == Phase::Prolog) {
                    std::string_view const text(data + m_tag_start, m_position - m_tag_start);
                    if (text.starts_with("<?xml") && text.find("encoding") != std::string_view::npos && text.find("UTF-8") == std::string_view::npos
                        && text.find("utf-8") == std::string_view::npos)
                        return file_error("the XML declaration names an encoding other than UTF-8", m_tag_start);
                }
                m_state = State::Text;
                return Step::Progress;
            }
            m_match = byte == repeat ? std::min(m_match + 1, needed) : 0;
        }
        m_position = p;
        return end_of_input ? at_end_of_input() : Step::NeedMore;
    }
    case State::StartTagName:
    case State::EndTagName:
        while (p < size && !is_name_end(data[p]))
            ++p;
        m_position = p;
        if (p == size)
            return end_of_input ? at_end_of_input() : Step::NeedMore;
        m_name_end = p;
        if (m_name_end == m_name_start)
            return file_error("an end tag has no name", p);
        m_state = m_state == State::StartTagName ? State::StartTagBody : State::EndTagBody;
        m_quote = 0;
        m_last_significant = 0;
        return Step::Progress;
    case State::EndTagBody: {
        auto const* close = static_cast<char const*>(std::memchr(data + p, '>', size - p));
        if (close == nullptr) {
            m_position = size;
            return end_of_input ? at_end_of_input() : Step::NeedMore;
        }
        for (char const* cursor = data + p; cursor < close; ++cursor)
            if (!is_xml_space(*cursor)) {
                if (!m_in_record)
                    return file_error("an end tag is malformed", p);
                record_problem("an end tag is malformed");
                break;
            }
        m_position = static_cast<std::size_t>(close - data) + 1;
        m_state = State::Text;
        return on_end_tag();
    }
    case State::StartTagBody:
        for (; p < size; ++p) {
            char const byte = data[p];
            if (m_quote != 0) {
                auto const* close = static_cast<char const*>(std::memchr(data + p, m_quote, size - p));
                if (close == nullptr) {
                    p = size;
                    break;
                }
                p = static_cast<std::size_t>(close - data);
                m_quote = 0;
                m_last_significant = '"';
            } else if (byte == '"' || byte == '\'') {
                m_quote = byte;
            } else if (byte == '>') {
                m_position = p + 1;
                m_state = State::Text;
                return on_start_tag(m_last_significant == '/');
            } else if (byte == '<') {
                if (!m_in_record)
                    return file_error("a start tag is not closed", m_tag_start);
                record_problem("a start tag is not closed");
            } else if (!is_xml_space(byte)) {
                m_last_significant = byte;
            }
        }
        m_position = p;
        return end_of_input ? at_end_of_input() : Step::NeedMore;
    }
    return Step::Progress;
}

base::Result<XmlCaseScanner::Step> XmlCaseScanner::step_text(bool end_of_input)
{
    char const* data = m_buffer.data();
    std::size_t const size = m_buffer.size();
    std::size_t p = m_position;
    if (!m_in_record) {
        while (p < size && is_xml_space(data[p]))
            ++p;
        if (p < size && data[p] != '<')
            return file_error("text outside any " + record_tag() + " element", p);
    } else {
        while (p < size && data[p] != '<' && data[p] != '&' && data[p] != '\0')
            ++p;
        if (p < size && data[p] == '\0') {
            record_problem("the element contains a NUL byte");
            m_position = p + 1;
            return Step::Progress;
        }
    }
    m_position = p;
    if (p == size)
        return end_of_input ? at_end_of_input() : Step::NeedMore;
    if (data[p] == '&')
        return check_entity(end_of_input);
    return classify_markup(end_of_input);
}

base::Result<XmlCaseScanner::Step> XmlCaseScanner::check_entity(bool end_of_input)
{
    char const* data = m_buffer.data();
    std::size_t const available = m_buffer.size() - m_position;
    std::size_t const window = std::min(available, max_entity_bytes);
    auto const* semicolon = static_cast<char const*>(std::memchr(data + m_position, ';', window));
    if (semicolon == nullptr && window < max_entity_bytes && !end_of_input)
        return Step::NeedMore;
    if (semicolon == nullptr) {
        record_problem("an '&' does not start an entity reference (write &amp;)");
        ++m_position;
        return Step::Progress;
    }
    std::string_view const body(data + m_position + 1, static_cast<std::size_t>(semicolon - data) - m_position - 1);
    if (!is_allowed_reference(body))
        record_problem("an entity reference other than &amp; &lt; &gt; &quot; &apos; or a valid character reference");
    m_position = static_cast<std::size_t>(semicolon - data) + 1;
    return Step::Progress;
}

base::Result<XmlCaseScanner::Step> XmlCaseScanner::classify_markup(bool end_of_input)
{
    constexpr std::size_t longest_prefix = 9; // "<![CDATA["
    char const* data = m_buffer.data();
    std::size_t const p = m_position;
    std::size_t const available = m_buffer.size() - p;
    if (available < longest_prefix && !end_of_input)
        return Step::NeedMore;
    std::string_view const head(data + p, std::min(available, longest_prefix));
    m_tag_start = p;
    m_match = 0;
    if (head.starts_with("<!--")) {
        m_state = State::Comment;
        m_position = p + 4;
    } else if (head.starts_with("<![CDATA[")) {
        if (!m_in_record)
            return file_error("CDATA outside any " + record_tag() + " element", p);
        m_state = State::CData;
        m_position = p + 9;
    } else if (head.starts_with("<!")) {
        // DOCTYPE and ENTITY declarations are refused outright: no entity is ever expanded.
        return file_error("DOCTYPE and ENTITY declarations are not accepted in " + m_shape.document, p);
    } else if (head.starts_with("<?")) {
        m_state = State::ProcessingInstruction;
        m_position = p + 2;
    } else if (head.starts_with("</")) {
        m_state = State::EndTagName;
        m_name_start = p + 2;
        m_position = p + 2;
    } else if (head.size() >= 2 && is_name_start(head[1])) {
        if (!m_in_record) {
            if (m_phase == Phase::AfterRoot)
                return file_error("an element follows the end of the " + root_tag() + " root element", p);
            if (m_phase == Phase::InRoot) {
                m_in_record = true;
                m_depth = 0;
                m_record_start = p;
                m_record_line = m_buffer.line_at(p);
                m_oversize = false;
                m_problem.clear();
            }
        }
        m_state = State::StartTagName;
        m_name_start = p + 1;
        m_position = p + 1;
    } else {
        if (!m_in_record)
            return file_error("a '<' that does not start markup", p);
        record_problem("a '<' that does not start markup (write &lt;)");
        m_position = p + 1;
    }
    return Step::Progress;
}

base::Result<XmlCaseScanner::Step> XmlCaseScanner::on_start_tag(bool self_closing)
{
    if (m_in_record) {
        // The record's own start tag: its name is still in the buffer unless the record is
        // already over the limit (then it is rejected for its size, unread).
        if (m_depth == 0 && !m_oversize && m_shape.record_name_check == XmlRecordNameCheck::RefusesDocument) {
            std::string_view const name(m_buffer.data() + m_name_start, m_name_end - m_name_start);
            if (name != m_shape.record)
                return file_error("the root element " + root_tag() + " holds <" + printable_name(name) + ">, not only " + record_tag() + " elements", m_tag_start);
        }
        if (!self_closing)
            ++m_depth;
        return m_depth == 0 ? Step::RecordComplete : Step::Progress;
    }
    std::string_view const name(m_buffer.data() + m_name_start, m_name_end - m_name_start);
    // Only the prolog can get here: in the root a start tag begins a record.
    if (name != m_shape.root)
        return file_error("the root element must be " + root_tag() + ", not <" + printable_name(name) + ">", m_tag_start);
    m_phase = self_closing ? Phase::AfterRoot : Phase::InRoot;
    return Step::Progress;
}

base::Result<XmlCaseScanner::Step> XmlCaseScanner::on_end_tag()
{
    if (m_in_record) {
        if (m_depth > 0)
            --m_depth;
        return m_depth == 0 ? Step::RecordComplete : Step::Progress;
    }
    std::string_view const name(m_buffer.data() + m_name_start, m_name_end - m_name_start);
    if (m_phase != Phase::InRoot || name != m_shape.root)
        return file_error("unexpected end tag </" + printable_name(name) + ">", m_tag_start);
    m_phase = Phase::AfterRoot;
    return Step::Progress;
}

base::Result<XmlCaseScanner::Step> XmlCaseScanner::at_end_of_input()
{
    if (m_in_record)
        return file_error("the document ends inside the element that starts on line " + std::to_string(m_record_line), m_position);
    if (m_state != State::Text)
        return file_error("the document ends inside markup", m_position);
    switch (m_phase) {
    case Phase::Prolog:
        return file_error("the document has no " + root_tag() + " root element", m_position);
    case Phase::InRoot:
        return file_error("the document ends before the </" + m_shape.root + "> end tag", m_position);
    case Phase::AfterRoot:
        break;
    }
    return Step::DocumentEnded;
}

} // namespace dcagw::cases::detail
