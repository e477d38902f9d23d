#include "gateway/transport/https_session.hpp"
namespace dcagw::transport {
base::Result<std::unique_ptr<Session>> make_https_session(model::TransportProfile const&)
{
    return base::make_error(base::ErrorCode::TransportFailure, "not yet");
}
}
