// listing/webdav_listing: the WebDAV PROPFIND (Depth: 1) answer an agency's HTTPS server
// sends for a folder, RFC 4918's 207 multistatus XML.
//
// Owns: a bounded reader of <D:multistatus> (namespace "DAV:", whatever prefix the server
// picked) into the same entries as the JSON listing: one per <D:response> whose href
// names a direct member of the requested folder, with its type (collection or not) and
// getcontentlength. Hrefs are absolute paths or absolute URIs (RFC 4918 8.3); they are
// percent-decoded segment by segment and compared with the requested folder.
// Must never: return an entry whose href lies outside the requested folder (another host,
// "..", a deeper path, the folder itself), expand a DTD or an entity other than XML's
// predefined ones, read more than it was allowed, or change a name beyond percent-decoding
// (a decoded "/" stays in the name; the exchange refuses such a name visibly).
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/listing/remote_listing.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::listing {

// What was asked for: the folder's path exactly as it was sent in the request URL
// (percent-encoded, ending in '/'), and the server's authority ("host:port") that an
// absolute-URI href must name.
struct WebdavListingScope {
    std::string_view folder_path;
    std::string_view authority;
};

// Members of the folder in the document's order: type "file" with the size the server
// reported (none when it gave no getcontentlength), or "directory" for collections.
// Responses outside the scope are left out. InputMalformed for a document that is not a
// DAV multistatus; InputTooLarge past max_remote_listing_bytes or _entries.
base::Result<std::vector<RemoteListingEntry>> parse_webdav_multistatus(std::string_view xml, WebdavListingScope const& scope);

// "a%20b" -> "a b"; nullopt for a '%' not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

} // namespace dcagw::listing
