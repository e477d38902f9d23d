// Fuzz target: the SFTP long directory listing (transport/sftp_listing), text from an agency's server.
#include "gateway/transport/sftp_listing.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    auto files = dcagw::transport::parse_sftp_long_listing(std::string_view(reinterpret_cast<char const*>(data), size));
    for (auto const& file : files)
        (void)file.name.size();
    return 0;
}
