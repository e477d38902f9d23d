// audit/keys_in_use: which keys a run loads, named for the audit log (docs/audit.md, kind
// `key`): each placement agency's pseudonym key, the OpenPGP signing key, and the keys
// send and collect log in to an agency's server with.
//
// Owns: the list of a run's keys, how each is named (its identity) and what it is used
// for, and recording the new ones through Journal::record_key_if_new.
// Must never: put secret key material, or a hash of a low-entropy secret (a password or
// token file), into an entry.
#pragma once

#include "gateway/audit/journal.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/config.hpp"

#include <vector>

namespace dcagw::audit {

// An agency of a placement run and the id of the pseudonym key the run loaded for it
// (crypto::PseudonymKey::key_id of the key in use, not the file read again).
struct AgencyPseudonymKey {
    model::AgencyConfig const* agency { nullptr };
    std::string key_id;
};

// The pseudonym key of each agency, and the OpenPGP signing key when one of them gets
// OpenPGP files (they are signed with it).
base::Result<std::vector<KeyInUse>> placement_keys(model::GatewayConfig const& config, std::vector<AgencyPseudonymKey> const& agencies);

// The private keys that log in to each agency's server: an SFTP client key, a TLS client
// key, named by the SHA-256 of the key file. (Password and token files are credentials,
// not keys: not recorded.) A key file that cannot be read is left out.
std::vector<KeyInUse> transport_keys(std::vector<model::AgencyConfig const*> const& agencies);

// Records each key the log does not name yet; the caller holds the transaction.
base::Result<void> record_keys_if_new(Journal& journal, std::vector<KeyInUse> const& keys);

} // namespace dcagw::audit
