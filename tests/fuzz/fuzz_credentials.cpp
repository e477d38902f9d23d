// Fuzz target: transport/credentials, a one-line secret file (a password or passphrase).
// What it returns is one NUL-terminated line without CR, LF or NUL inside.
#include "gateway/transport/credentials.hpp"

#include "fuzz_file.hpp"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw;
    auto const file = fuzz::fuzz_folder().write("credential", fuzz::as_text(data, size));
    auto line = transport::read_credential_line(file);
    if (line.ok()) {
        auto const& buffer = line.value();
        fuzz::require(buffer.size() >= 2 && buffer.data()[buffer.size() - 1] == '\0');
        std::string_view const text(transport::credential_text(buffer));
        fuzz::require(text.size() == buffer.size() - 1 && text.find_first_of("\r\n") == std::string_view::npos);
    }
    return 0;
}
