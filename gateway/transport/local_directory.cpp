// STUB on branch transport: replaced by the exchange branch's local_directory.cpp at merge.
#include "gateway/transport/local_directory.hpp"

namespace dcagw::transport {

base::Result<std::unique_ptr<Session>> make_local_directory_session(model::TransportProfile const&)
{
    return base::make_error(base::ErrorCode::TransportFailure, "the local directory transport is not built in this branch");
}

} // namespace dcagw::transport
