// transport/remote_path: encoding names for URLs and SFTP commands.
#include "gateway/transport/remote_path.hpp"

#include "gateway/transport/curl_easy.hpp"

namespace dcagw::transport {

std::string percent_encode_segment(std::string_view segment)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(segment.size());
    for (char character : segment) {
        auto byte = static_cast<unsigned char>(character);
        bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9')
            || byte == '-' || byte == '.' || byte == '_' || byte == '~';
        if (unreserved) {
            out.push_back(character);
        } else {
            out.push_back('%');
            out.push_back(hex[byte >> 4]);
            out.push_back(hex[byte & 0x0f]);
        }
    }
    return out;
}

std::string percent_encode_path(std::string_view path)
{
    std::string out;
    while (!path.empty()) {
        auto slash = path.find('/');
        auto segment = path.substr(0, slash);
        if (!segment.empty()) {
            if (!out.empty())
                out.push_back('/');
            out += percent_encode_segment(segment);
        }
        if (slash == std::string_view::npos)
            break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

base::Result<void> check_operation_name(std::string_view name, std::string_view server)
{
    bool bad = name.empty() || name == "." || name == ".." || name.size() > 1024;
    for (char character : name) {
        auto byte = static_cast<unsigned char>(character);
        if (byte == '/' || byte < 0x20 || byte == 0x7f)
            bad = true;
    }
    if (bad)
        return base::make_error(base::ErrorCode::RemoteNameInvalid,
            std::string(server) + ": refusing remote file name '" + sanitised_excerpt(name, 80) + "'");
    return {};
}

std::string quote_sftp_path(std::string_view path)
{
    std::string out = "\"";
    for (char character : path) {
        if (character == '"' || character == '\\')
            out.push_back('\\');
        out.push_back(character);
    }
    out.push_back('"');
    return out;
}

} // namespace dcagw::transport
