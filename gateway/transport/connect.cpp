// TEMPORARY (branch exchange): dispatches the directory transport only. The transport
// branch's connect.cpp (SFTP and HTTPS over libcurl) replaces this file at merge.
#include "gateway/transport/local_directory.hpp"
#include "gateway/transport/session.hpp"

namespace dcagw::transport {

base::Result<std::unique_ptr<Session>> connect(model::TransportProfile const& profile)
{
    switch (profile.kind) {
    case model::TransportKind::LocalDirectory: return make_local_directory_session(profile);
    case model::TransportKind::Sftp:
    case model::TransportKind::Https: break;
    }
    return base::make_error(base::ErrorCode::TransportFailure, "SFTP and HTTPS transports are not built in this branch");
}

} // namespace dcagw::transport
