// cases/xml_element_text: the text of one field element, for both XML readers (the case
// export's and the return files' records).
//
// Owns: joining an element's text nodes: one is used in place; several (text split by
// CDATA sections or comments) are joined in the reader's scratch, which holds a record.
// Must never: be included outside gateway/cases (it speaks pugixml), or accept an element
// inside a field element (a field is text, never structure).
#pragma once

#include "gateway/cases/case_reader_buffer.hpp"

#include <pugixml.hpp>

#include <optional>
#include <string_view>

namespace dcagw::cases::detail {

// None when the element holds another element. The view is valid until the scratch is
// cleared (the next record).
inline std::optional<std::string_view> element_text(pugi::xml_node element, Scratch& scratch)
{
    std::string_view value;
    std::size_t texts = 0;
    std::size_t const start = scratch.begin();
    for (pugi::xml_node part = element.first_child(); part; part = part.next_sibling()) {
        if (part.type() == pugi::node_element)
            return std::nullopt;
        if (part.type() != pugi::node_pcdata && part.type() != pugi::node_cdata)
            continue;
        std::string_view const text = part.value();
        if (texts == 0) {
            value = text;
        } else {
            if (texts == 1)
                scratch.append(value.data(), value.size());
            scratch.append(text.data(), text.size());
            value = scratch.since(start);
        }
        ++texts;
    }
    return value;
}

} // namespace dcagw::cases::detail
