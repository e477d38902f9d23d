// Fuzz target: transport::check_remote_name, the gate between a file name an agency's
// server reports and a file in the local inbox. Beyond not crashing, it checks what the
// gate promises: an accepted name is one plain path component (no separator, not "." or
// "..", not hidden, no control byte, valid UTF-8, at most 200 bytes) that stays inside
// the folder it is joined to; a refused name is reported with nothing but printable ASCII,
// so a hostile name cannot drive the operator's terminal.
#include "gateway/base/text.hpp"
#include "gateway/transport/session.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const name(reinterpret_cast<char const*>(data), size);
    auto const checked = dcagw::transport::check_remote_name(name);
    if (checked.is_error()) {
        require(checked.error().code() == dcagw::base::ErrorCode::RemoteNameInvalid);
        for (unsigned char const c : checked.error().message())
            require(c >= 0x20 && c < 0x7f);
        return 0;
    }
    require(!name.empty() && name.size() <= 200);
    require(name.front() != '.');
    require(dcagw::base::is_valid_utf8(name));
    for (unsigned char const c : name)
        require(c >= 0x20 && c != 0x7f && c != '/' && c != '\\');
    std::filesystem::path const inbox("/inbox/agency");
    auto const joined = inbox / std::string(name);
    require(joined.parent_path() == inbox);
    require(joined.filename() == std::string(name));
    return 0;
}
