// check_remote_name: the gate between a name an agency's server reports and a local file.
// Collection calls it before anything is written, so a hostile listing ("../../etc/x",
// "a/b", "\x1b[2J", ".bashrc", invalid UTF-8) never becomes a path on this machine.
#include "gateway/transport/session.hpp"

#include "gateway/base/text.hpp"

#include <cstdio>

namespace dcagw::transport {

namespace {

// Long enough for any file name an agency uses, short enough to leave room for the
// inbox folder and the temporary suffix AtomicFile adds within NAME_MAX (255).
constexpr std::size_t max_remote_name_bytes = 200;

base::Error invalid(std::string_view name, std::string_view reason)
{
    // The name is shown escaped and cut: it is outside data and may hold control bytes.
    std::string shown;
    for (unsigned char const c : name.substr(0, 64)) {
        if (c < 0x20 || c == 0x7f || c >= 0x80 || c == '\\') {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            shown += hex;
        } else {
            shown += static_cast<char>(c);
        }
    }
    if (name.size() > 64)
        shown += "...";
    return base::make_error(base::ErrorCode::RemoteNameInvalid, "remote file name '" + shown + "' refused: " + std::string(reason));
}

} // namespace

base::Result<void> check_remote_name(std::string_view name)
{
    if (name.empty())
        return invalid(name, "it is empty");
    if (name.size() > max_remote_name_bytes)
        return invalid(name, "longer than " + std::to_string(max_remote_name_bytes) + " bytes");
    if (name == "." || name == "..")
        return invalid(name, "it names a folder, not a file");
    if (name.front() == '.')
        return invalid(name, "it starts with '.' (hidden and temporary files are never collected)");
    for (unsigned char const c : name) {
        if (c == '/' || c == '\\')
            return invalid(name, "it contains a path separator");
        if (c < 0x20 || c == 0x7f)
            return invalid(name, "it contains a control character");
    }
    if (!base::is_valid_utf8(name))
        return invalid(name, "it is not valid UTF-8");
    // C1 control characters (U+0080..U+009F, encoded C2 80..C2 9F) move terminals too.
    for (std::size_t i = 0; i + 1 < name.size(); ++i)
        if (static_cast<unsigned char>(name[i]) == 0xc2 && static_cast<unsigned char>(name[i + 1]) >= 0x80
            && static_cast<unsigned char>(name[i + 1]) <= 0x9f)
            return invalid(name, "it contains a control character");
    return {};
}

} // namespace dcagw::transport
