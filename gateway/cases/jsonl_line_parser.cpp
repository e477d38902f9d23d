// The JSON value decoding of the JSON Lines reader: strings through base/json_string,
// their escapes decoded to UTF-8 into the scratch, and numbers checked against the JSON
// grammar. Must never decide what a value means for a case (jsonl_case_reader.cpp does),
// or write past the scratch.
#include "gateway/cases/jsonl_line_parser.hpp"

#include "gateway/base/json_string.hpp"

namespace dcagw::cases::detail {

bool JsonLineParser::read_string(std::string_view& value, std::string& reason)
{
    ++m_position; // opening quote
    std::string_view const rest = m_line.substr(m_position);
    auto const extent = base::find_json_string_end(rest);
    if (extent.problem != base::JsonStringProblem::None) {
        reason = base::describe(extent.problem);
        return false;
    }
    m_position += extent.end + 1;
    std::string_view const body = rest.substr(0, extent.end);
    if (!extent.has_escapes) {
        value = body;
        return true;
    }
    // The line as a whole is checked for UTF-8 by the reader, so raw bytes pass here.
    std::size_t const out = m_scratch.begin();
    char* const room = m_scratch.room(body.size());
    if (room == nullptr) {
        reason = "a string does not fit the record size limit";
        return false;
    }
    auto const decoded = base::decode_json_string_body(body, room, base::RawBytes::PassThrough);
    if (decoded.problem != base::JsonStringProblem::None) {
        reason = base::describe(decoded.problem);
        return false;
    }
    m_scratch.commit(decoded.size);
    value = m_scratch.since(out);
    return true;
}

bool JsonLineParser::read_number(std::string_view& value, bool& integer)
{
    auto const number = base::find_json_number(m_line, m_position);
    if (!number)
        return false;
    integer = number->integer;
    value = m_line.substr(m_position, number->end - m_position);
    m_position = number->end;
    return true;
}

} // namespace dcagw::cases::detail
