// Fuzz target: the HTTPS collection listing as WebDAV multistatus XML (listing/webdav_listing),
// from an agency's server, confined to the folder asked for.
#include "gateway/listing/webdav_listing.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    dcagw::listing::WebdavListingScope const scope { "/dca/outgoing/", "127.0.0.1:8443" };
    auto parsed = dcagw::listing::parse_webdav_multistatus(std::string_view(reinterpret_cast<char const*>(data), size), scope);
    if (parsed.ok()) {
        for (auto const& entry : parsed.value())
            (void)entry.name.size();
    }
    return 0;
}
