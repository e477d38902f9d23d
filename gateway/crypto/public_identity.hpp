// crypto/public_identity: how the audit log names a login key whose format is not ours
// (an SSH client key, a TLS client key) by public material only.
//
// Owns: the SSH public key fingerprint of a client key file ("SHA256:<base64>", exactly as
// `ssh-keygen -lf` prints it) and the SHA-256 of a certificate's SubjectPublicKeyInfo.
// Must never: return, log or hash anything computed from the secret part of a key: the
// result must be what anyone holding only the public key could compute.
#pragma once

#include "gateway/base/result.hpp"

#include <filesystem>
#include <string>

namespace dcagw::crypto {

// The fingerprint of the public half of an SSH private key file. OpenSSH-format keys
// ("BEGIN OPENSSH PRIVATE KEY", encrypted or not) carry their public key in the clear, so
// it is read from there; an unencrypted PEM key (RSA, EC or Ed25519, `ssh-keygen -m PEM`)
// is parsed with OpenSSL and its public key encoded as SSH does. An encrypted PEM key
// cannot be named without its passphrase: KeyInvalid (convert it with `ssh-keygen -p`).
// The file is read with read_secret_file (owner-only, size-capped, protected memory).
base::Result<std::string> ssh_public_key_fingerprint(std::filesystem::path const& path);

// Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo of the (first) certificate in a
// PEM file: the TLS client key's public key, as
//   openssl x509 -in CERT -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum
// prints it. It names the key, so a renewed certificate for the same key keeps its id.
base::Result<std::string> certificate_public_key_sha256(std::filesystem::path const& certificate);

} // namespace dcagw::crypto
