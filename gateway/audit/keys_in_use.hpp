// audit/keys_in_use: which keys a run loads, named for the audit log (docs/audit.md, kind
// `key`): each placement agency's pseudonym key, the OpenPGP signing key, and the keys
// send and collect log in to an agency's server with.
//
// Owns: the list of a run's keys, how each is named (its identity) and what it is used
// for, and recording the new ones through Journal::record_key_if_new.
// Must never: put secret key material, or anything computed from a secret file's bytes
// (a hash of a key file, of a password or token file), or an absolute path into an entry.
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

// The private keys that log in to each agency's server, named by public material only:
// an SFTP client key by its public key's fingerprint ("SHA256:...", as ssh-keygen -lf
// prints it), a TLS client key by the SHA-256 of its certificate's public key. (Password
// and token files are credentials, not keys: not recorded.) A key that cannot be named
// (unreadable, an encrypted PEM key, no certificate) is left out: the connection fails
// for that agency alone, or the key is in use without an entry (docs/audit.md).
std::vector<KeyInUse> transport_keys(model::GatewayConfig const& config, std::vector<model::AgencyConfig const*> const& agencies);

// How a key file's location is recorded (docs/audit.md, "Key entries"): relative to the
// configuration file's folder when the key lies under it ("keys/agency.key"), otherwise
// its file name alone. Never an absolute path: the log goes to third parties, and a state
// directory copied or moved keeps naming the same keys.
std::string recorded_key_path(model::GatewayConfig const& config, std::filesystem::path const& path);

// Records each key the log does not name yet; the caller holds the transaction.
base::Result<void> record_keys_if_new(Journal& journal, std::vector<KeyInUse> const& keys);

} // namespace dcagw::audit
