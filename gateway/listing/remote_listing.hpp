// listing/remote_listing: the JSON directory listing an agency's HTTPS endpoint returns.
//
// Owns: a strict, bounded reader of exactly the shape nginx's `autoindex_format json`
// writes: one array of flat objects whose values are strings or non-negative integers,
// e.g. [{"name":"a.csv","type":"file","mtime":"...","size":12}].
// Must never: accept another shape silently, change a name (escapes are decoded, bytes
// that are not valid UTF-8 are kept as they are: nginx passes file names through raw, and
// the exchange, not the parser, refuses a bad name), or read more than it was allowed.
// Written by hand rather than with nlohmann-json because that library refuses invalid
// UTF-8, and one hostile name would then hide every other file of the listing.
#pragma once

#include "gateway/base/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::listing {

struct RemoteListingEntry {
    std::string name;
    std::string type;                  // nginx: "file", "directory", "other"
    std::optional<std::uint64_t> size; // files only
};

inline constexpr std::size_t max_remote_listing_bytes = 16u << 20;
inline constexpr std::size_t max_remote_listing_entries = 100000;

// Entries in the listing's order; InputMalformed / InputTooLarge with the byte offset.
base::Result<std::vector<RemoteListingEntry>> parse_remote_listing(std::string_view json);

} // namespace dcagw::listing
