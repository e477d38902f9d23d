#include "gateway/store/row_reader.hpp"

#include <cstdio>

namespace dcagw::store::detail {

// The value is read from the database and may hold anything: shown escaped and cut.
std::string shown(std::string_view text)
{
    std::string out;
    for (unsigned char const c : text.substr(0, 120)) {
        if (c < 0x20 || c == 0x7f || c == '\\') {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (text.size() > 120)
        out += "...";
    return out;
}

base::Error Columns::unknown_stored_name(std::string_view row, std::string_view column, std::string_view text)
{
    return make_error(ErrorCode::StoreCorrupt, std::string(row) + " has unknown " + std::string(column) + " '" + shown(text) + "'");
}

} // namespace dcagw::store::detail
