// transport/sftp_session: the agency's SFTP server, through libcurl's libssh2 backend.
//
// Owns: public-key (or, only when configured, password) authentication from files, the
// host key check against a pinned SHA-256 fingerprint and/or a known_hosts file (failing
// closed, naming the fingerprint seen and the one expected), one reused SSH connection
// per session, and publication by upload to a temporary name, size check, and a rename
// that refuses an existing target (SFTP v3 SSH_FXP_RENAME; OpenSSH links, so it never
// replaces).
// Must never: accept an unknown host key, add one to known_hosts, or use the
// posix-rename extension (which replaces).
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/transport_profile.hpp"
#include "gateway/transport/session.hpp"

#include <memory>

namespace dcagw::transport {

base::Result<std::unique_ptr<Session>> make_sftp_session(model::TransportProfile const& profile);

} // namespace dcagw::transport
