// transport/sftp_listing: reading the long directory listing libcurl returns for SFTP.
//
// Owns: parsing the server's "ls -l" style lines (OpenSSH: mode, links, owner, group,
// size, three date fields, one space, then the name verbatim) into regular files with
// sizes.
// Must never: report a folder, link or device as a file, or alter a name (callers
// validate names; a hostile name is passed on exactly as the server sent it).
#pragma once

#include "gateway/transport/session.hpp"

#include <string_view>
#include <vector>

namespace dcagw::transport {

// Lines that do not have the long-listing shape are taken as the continuation of the
// previous entry's name (a name containing a newline); such a name is kept with its '\n'
// so the exchange sees and refuses it.
std::vector<RemoteFile> parse_sftp_long_listing(std::string_view listing);

} // namespace dcagw::transport
