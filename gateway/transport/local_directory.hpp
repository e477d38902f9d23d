// transport/local_directory: a folder on this machine standing in for an agency's server
// (the bundled demo agency, tests, and a mounted share).
//
// Owns: the same publication rules as the network transports, on a local file system:
// copy under a temporary name, fsync, check the size, then link() to the final name so an
// existing file is never replaced (RemoteFileExists), and fsync the folder.
// Must never: overwrite or delete a file under a final name it publishes, follow a name
// out of its folders (every name passes check_remote_name or is one the exchange chose).
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/transport_profile.hpp"
#include "gateway/transport/session.hpp"

#include <memory>

namespace dcagw::transport {

// Fails (TransportFailure, transient) when local_root or one of its upload / collect
// folders is missing, like a server that is not reachable: the demo agency's folders are
// made by its set-up, never by the gateway guessing.
base::Result<std::unique_ptr<Session>> make_local_directory_session(model::TransportProfile const& profile);

} // namespace dcagw::transport
