// transport/https_session: the agency's HTTPS (WebDAV-style) endpoint, through libcurl.
//
// Owns: TLS 1.2+ with the peer always verified (system store or the agency's CA file),
// an optional public-key pin, an optional client certificate, bearer or basic
// authentication from 0600 files, one reused connection per session, publication by PUT
// to a temporary name, HEAD to check the size and MOVE with "Overwrite: F" (or one
// multipart POST), and collection from a JSON listing.
// Must never: follow a redirect (credentials would travel to another host), turn off
// verification, or send a request that may replace an existing file.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/transport_profile.hpp"
#include "gateway/transport/session.hpp"

#include <memory>

namespace dcagw::transport {

base::Result<std::unique_ptr<Session>> make_https_session(model::TransportProfile const& profile);

} // namespace dcagw::transport
