// transport/connect: picks the session for the agency's configured transport.
#include "gateway/transport/https_session.hpp"
#include "gateway/transport/local_directory.hpp"
#include "gateway/transport/session.hpp"
#include "gateway/transport/sftp_session.hpp"

namespace dcagw::transport {

base::Result<std::unique_ptr<Session>> connect(model::TransportProfile const& profile)
{
    switch (profile.kind) {
    case model::TransportKind::LocalDirectory: return make_local_directory_session(profile);
    case model::TransportKind::Sftp: return make_sftp_session(profile);
    case model::TransportKind::Https: return make_https_session(profile);
    }
    return base::make_error(base::ErrorCode::Internal, "unknown transport kind");
}

} // namespace dcagw::transport
