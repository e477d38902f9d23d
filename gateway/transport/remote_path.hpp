// transport/remote_path: names and paths on the agency's server, as URLs and SFTP commands.
//
// Owns: percent-encoding of path segments, quoting of paths in SFTP commands, and the
// minimal check every name must pass before a session uses it in a remote operation.
// Must never: let a name reach a URL or an SFTP command unencoded, or name anything
// outside the agency's configured folders (no '/', no "." or "..").
#pragma once

#include "gateway/base/result.hpp"

#include <string>
#include <string_view>

namespace dcagw::transport {

// Every byte outside RFC 3986's unreserved set as %XX ("/" too: one segment).
std::string percent_encode_segment(std::string_view segment);
// Each '/'-separated segment of a relative folder path encoded; empty segments dropped.
std::string percent_encode_path(std::string_view path);

// A file name a session may send to the server: not empty, not "." or "..", no '/', no
// control characters. (Collection validates names fully with check_remote_name first;
// this is the transport's own last line of defence.) server names the session.
base::Result<void> check_operation_name(std::string_view name, std::string_view server);

// "path" in double quotes with '"' and '\' escaped, as libcurl's SFTP quote commands read it.
std::string quote_sftp_path(std::string_view path);

} // namespace dcagw::transport
