// cases/jsonl_line_parser: the JSON scanning under the JSON Lines case reader. Internal
// to the cases module.
//
// Owns: stepping through one line of JSON byte by byte, and decoding its scalar values: a
// string (base/json_string: escapes, \u escapes and surrogate pairs decoded to UTF-8, control characters
// refused), a number (base/json_string's grammar, saying whether it is a whole number) and the
// literals true, false and null.
// Must never: know about case fields, limits or records (jsonl_case_reader.cpp maps the
// keys and values onto a case), allocate per value, or be included outside gateway/cases.
#pragma once

#include "gateway/base/json_string.hpp"
#include "gateway/cases/case_reader_buffer.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace dcagw::cases::detail {

using base::is_json_space;

// Parses one line. Values are views into the line, or into the scratch when unescaped
// (an escape is never shorter than what it decodes to, so the scratch cannot overflow).
// The stepping functions are inline: the reader calls them for every key and value.
class JsonLineParser {
public:
    JsonLineParser(std::string_view line, Scratch& scratch) : m_line(line), m_scratch(scratch) {}

    std::size_t position() const { return m_position; }
    bool at_end() const { return m_position >= m_line.size(); }
    char peek() const { return m_line[m_position]; }
    void advance() { ++m_position; }
    void skip_space()
    {
        while (m_position < m_line.size() && is_json_space(m_line[m_position]))
            ++m_position;
    }

    // Reads a string whose opening quote is at the current position. False and a reason
    // on failure.
    bool read_string(std::string_view& value, std::string& reason);
    // Reads a JSON number; `integer` tells whether it had no fraction or exponent.
    bool read_number(std::string_view& value, bool& integer);
    bool read_literal(std::string_view literal)
    {
        if (m_line.substr(m_position, literal.size()) != literal)
            return false;
        m_position += literal.size();
        return true;
    }

private:
    std::string_view m_line;
    Scratch& m_scratch;
    std::size_t m_position { 0 };
};

} // namespace dcagw::cases::detail
