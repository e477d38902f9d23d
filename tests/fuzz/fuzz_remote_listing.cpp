// Fuzz target: the HTTPS collection listing (listing/remote_listing), JSON from an agency's server.
#include "gateway/listing/remote_listing.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    auto parsed = dcagw::listing::parse_remote_listing(std::string_view(reinterpret_cast<char const*>(data), size));
    if (parsed.ok()) {
        for (auto const& entry : parsed.value())
            (void)entry.name.size();
    }
    return 0;
}
