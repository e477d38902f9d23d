// transport/local_directory: a folder on this machine standing in for an agency's server.
//
// STUB on branch transport: the exchange branch owns the real header and implementation;
// the lead takes those at merge. Only the declaration connect() needs is here.
// Must never: (real implementation) overwrite or delete a file under a final name.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/transport_profile.hpp"
#include "gateway/transport/session.hpp"

#include <memory>

namespace dcagw::transport {

base::Result<std::unique_ptr<Session>> make_local_directory_session(model::TransportProfile const& profile);

} // namespace dcagw::transport
